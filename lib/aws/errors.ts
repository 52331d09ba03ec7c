import { AwsCallError } from "./types";

interface SdkLikeError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: unknown;
}

/** Turns an SDK exception into AwsCallError; other errors (network...) keep their message. */
export function toAwsCallError(operation: string, e: unknown): AwsCallError {
  if (e instanceof AwsCallError) return e;
  const err = (e ?? {}) as SdkLikeError;
  const status = err.$metadata?.httpStatusCode;
  const code = err.name && err.name !== "Error" ? err.name : (e as NodeJS.ErrnoException)?.code ?? "UnknownError";
  return new AwsCallError(
    operation,
    code,
    err.message ?? String(e),
    status,
    err.$metadata?.requestId,
    Boolean(err.$retryable) || (status !== undefined && status >= 500),
  );
}
