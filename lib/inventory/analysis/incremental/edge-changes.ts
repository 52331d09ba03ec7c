// What a delta did to the edges, as callers see it: added and removed edges
// with the items a re-evaluation removed and put back unchanged cancelled out,
// so a caller (the CloudTrail consumer, the view) only acts on real changes.
import type { Edge, PatternEdge } from "../model";

export interface EdgeChanges {
  added: Edge[];
  removed: Edge[];
  patterns: { added: PatternEdge[]; removed: PatternEdge[] };
}

export const newChanges = (): EdgeChanges => ({ added: [], removed: [], patterns: { added: [], removed: [] } });

/** Removed and added lists, without the items that were removed and re-added unchanged. */
function cancelUnchanged<T>(added: T[], removed: T[]): { added: T[]; removed: T[] } {
  const pending = new Map<string, number>();
  for (const r of removed) {
    const k = JSON.stringify(r);
    pending.set(k, (pending.get(k) ?? 0) + 1);
  }
  const kept: T[] = [];
  const readded = new Map<string, number>();
  for (const x of added) {
    const k = JSON.stringify(x);
    const n = pending.get(k) ?? 0;
    if (n > 0) {
      pending.set(k, n - 1);
      readded.set(k, (readded.get(k) ?? 0) + 1);
    } else kept.push(x);
  }
  const gone = removed.filter((r) => {
    const k = JSON.stringify(r);
    const n = readded.get(k) ?? 0;
    if (n === 0) return true;
    readded.set(k, n - 1);
    return false;
  });
  return { added: kept, removed: gone };
}

export const net = (ch: EdgeChanges): EdgeChanges => ({ ...cancelUnchanged(ch.added, ch.removed), patterns: cancelUnchanged(ch.patterns.added, ch.patterns.removed) });
