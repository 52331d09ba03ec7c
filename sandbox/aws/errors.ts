// One error type for all emulated services; each protocol module renders it in
// its own wire shape (restJson header + body for EKS, XML ErrorResponse for
// IAM/STS), so service code never thinks about the wire format.

export class AwsError extends Error {
  constructor(
    /** AWS error code as it appears on the wire ("NoSuchEntity", "ResourceNotFoundException"). */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error structure (EKS: clusterName, nodegroupName...). */
    readonly fields: Record<string, string | undefined> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** awsQuery's <Type>: whose fault it is. */
  get fault(): "Sender" | "Receiver" {
    return this.status >= 500 ? "Receiver" : "Sender";
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;
