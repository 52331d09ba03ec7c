// The shape every service handler returns; the router writes it to the socket.
export interface AwsResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** What the router knows about an incoming signed request. */
export interface AwsRequest {
  method: string;
  /** Path without query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  region: string;
  requestId: string;
}

/** A request the service recognised: its operation name and how to run it. */
export interface RoutedCall {
  operation: string;
  cluster?: string;
  execute: () => AwsResponse | Promise<AwsResponse>;
  /** What the operation returned before its wire format (set by execute): the CloudTrail feed reads it. */
  result?: unknown;
}
