// Rows grouped by key, in their order: a row listed under each distinct key it gives (absent keys skipped).
export function groupBy<T>(rows: readonly T[], keysOf: (row: T) => readonly (string | null | undefined)[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    for (const key of new Set(keysOf(row))) if (key) (out.get(key) ?? out.set(key, []).get(key)!).push(row);
  }
  return out;
}
