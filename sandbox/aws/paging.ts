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
  // Keys computed once per item, not per comparison: a 1,000-association cluster is listed a page at a time.
  const sorted = items.map((item) => ({ k: key(item), item })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  let start = 0;
  if (after !== undefined) {
    // The first key past `after` (keys are sorted).
    let hi = sorted.length;
    while (start < hi) {
      const mid = (start + hi) >>> 1;
      if (sorted[mid]!.k > after) hi = mid;
      else start = mid + 1;
    }
  }
  const end = Math.min(sorted.length, start + limit);
  const page = sorted.slice(start, end).map((e) => e.item);
  return { page, nextKey: end < sorted.length && page.length > 0 ? sorted[end - 1]!.k : undefined };
}
