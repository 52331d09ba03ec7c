// An IAM item as a reviewer reads it: the policy it writes against the one the
// role has now, statement by statement (jsdiff's diffArrays on the statements,
// compared by content), a statement that was edited in place shown line by line
// (diffLines on the pretty-printed JSON). Plain data: the page renders it.
import { diffArrays, diffLines } from "diff";

export type DiffLine = { text: string; change: "added" | "removed" | "same" };
export type StatementChange =
  | { change: "added" | "removed" | "same"; label: string; json: string }
  | { change: "edited"; label: string; lines: DiffLine[] };

export interface PolicyDiff {
  statements: StatementChange[];
  added: number;
  removed: number;
  edited: number;
  /** The current document could not be read as a policy (shown as a whole instead). */
  error?: string;
}

function statementsOf(doc: string | null): unknown[] {
  if (doc === null) return [];
  const parsed = JSON.parse(doc) as { Statement?: unknown };
  return Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
}

/** Key order does not make two statements differ. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);
const labelOf = (s: unknown, n: number) => {
  const sid = (s as { Sid?: unknown })?.Sid;
  return typeof sid === "string" && sid ? `Statement "${sid}"` : `Statement ${n + 1}`;
};

function lineDiff(before: string, after: string): DiffLine[] {
  return diffLines(before, after).flatMap((part) =>
    part.value.replace(/\n$/, "").split("\n").map((text) => ({ text, change: part.added ? "added" as const : part.removed ? "removed" as const : "same" as const })),
  );
}

/** `before`: the policy the role has now (null: none, e.g. a new inline policy); `after`: what the item writes. */
export function policyDiff(before: string | null, after: string): PolicyDiff {
  let old: unknown[];
  let next: unknown[];
  try {
    next = statementsOf(after);
  } catch (e) {
    return { statements: [], added: 0, removed: 0, edited: 0, error: `The new document is not JSON: ${(e as Error).message}` };
  }
  try {
    old = statementsOf(before);
  } catch (e) {
    return { statements: next.map((s, n) => ({ change: "added", label: labelOf(s, n), json: pretty(s) })), added: next.length, removed: 0, edited: 0, error: `The current document is not JSON: ${(e as Error).message}` };
  }
  const parts = diffArrays(old, next, { comparator: (a, b) => canonical(a) === canonical(b) });
  const out: StatementChange[] = [];
  let n = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    const following = parts[k + 1];
    // A removed run directly followed by an added run: statements edited in place, paired in order.
    if (part.removed && following?.added) {
      const pairs = Math.min(part.value.length, following.value.length);
      for (let p = 0; p < pairs; p++) out.push({ change: "edited", label: labelOf(following.value[p], n++), lines: lineDiff(pretty(part.value[p]), pretty(following.value[p])) });
      for (const s of part.value.slice(pairs)) out.push({ change: "removed", label: labelOf(s, n), json: pretty(s) });
      for (const s of following.value.slice(pairs)) out.push({ change: "added", label: labelOf(s, n), json: pretty(s) }), n++;
      k++;
      continue;
    }
    for (const s of part.value) {
      out.push({ change: part.added ? "added" : part.removed ? "removed" : "same", label: labelOf(s, n), json: pretty(s) });
      if (!part.removed) n++;
    }
  }
  return {
    statements: out,
    added: out.filter((s) => s.change === "added").length,
    removed: out.filter((s) => s.change === "removed").length,
    edited: out.filter((s) => s.change === "edited").length,
  };
}
