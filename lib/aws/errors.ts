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

/** Run one AWS call, turning its failure into an AwsCallError that names the operation. */
export async function awsCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toAwsCallError(operation, e);
  }
}

/** Every item of a paged AWS list: `page(token)` reads one page and returns its items and the next token (none after the last). */
export async function allPages<T>(page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    all.push(...p.items);
    token = p.next;
  } while (token);
  return all;
}
