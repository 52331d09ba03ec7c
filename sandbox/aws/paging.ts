// Opaque continuation tokens shared by EKS (nextToken) and IAM (Marker). They
// carry the sort key of the last item returned rather than an offset, so a page
// walk stays correct while items are created or deleted in between.

export function encodeToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey }), "utf8").toString("base64url");
}

/** Returns the sort key to continue after, or null when the token is not one of ours. */
export function decodeToken(token: string): string | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object" && typeof (parsed as { after?: unknown }).after === "string") {
      return (parsed as { after: string }).after;
    }
  } catch {
    /* fall through */
  }
  return null;
}

/** Sorts by key, skips past `after`, and tells whether more items remain. */
export function paginate<T>(
  items: T[],
  key: (item: T) => string,
  after: string | undefined,
  limit: number,
): { page: T[]; nextKey?: string } {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const start = after === undefined ? sorted : sorted.filter((i) => key(i) > after);
  const page = start.slice(0, limit);
  const more = start.length > limit;
  return { page, nextKey: more && page.length > 0 ? key(page[page.length - 1]!) : undefined };
}
