/**
 * IAM-style glob matching: `*` = any run of characters (including none),
 * `?` = exactly one character; with `policyEscapes`, `${*}` `${?}` `${$}` are
 * the literal characters. Everything else is literal.
 *
 * The one matcher wherever policy data meets names (StringLike, ArnLike
 * segments, Action and Principal wildcards, the IRSA index, fixes, migration).
 * Never a RegExp: patterns come from trust policies anyone with IAM write access
 * in a watched account can edit, and `.*` chains backtrack exponentially (12
 * `*?` pairs took minutes). Here a pattern is split at its stars into
 * segments; the first must match at the start, the last at the end, and each
 * middle one is taken at its leftmost occurrence after the previous one (the
 * leftmost choice is always safe for a `*` gap, so there is no backtracking
 * across segments). Worst case O(pattern x value), never exponential.
 */

export interface WildcardOptions {
  ignoreCase?: boolean;
  /**
   * Honour IAM's escape sequences `${*}`, `${?}`, `${$}` (literal `*`, `?`, `$`).
   * Other policy variables such as `${aws:username}` are not substituted:
   * RoleGate has no caller identity to substitute, so they stay literal text.
   */
  policyEscapes?: boolean;
}

/** A run of the pattern between stars: literal text where `any[i]` marks a `?`. */
interface Segment {
  text: string;
  /** Positions holding `?` (one character of any kind); null when the segment is all literal. */
  any: boolean[] | null;
}

export interface CompiledWildcard {
  readonly pattern: string;
  /** True when the value matches the whole pattern. */
  test(value: string): boolean;
}

const ESCAPES: Record<string, string> = { "${*}": "*", "${?}": "?", "${$}": "$" };

function segments(pattern: string, escapes: boolean): { segs: Segment[]; starred: boolean } {
  const segs: Segment[] = [];
  let text = "";
  let any: boolean[] | null = null;
  let starred = false;
  const close = () => {
    segs.push({ text, any });
    text = "";
    any = null;
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    const esc = escapes && ch === "$" ? ESCAPES[pattern.slice(i, i + 4)] : undefined;
    if (esc !== undefined) {
      text += esc;
      i += 3;
    } else if (ch === "*") {
      starred = true;
      close();
    } else if (ch === "?") {
      any ??= [];
      any[text.length] = true;
      text += "?";
    } else text += ch;
  }
  close();
  // Consecutive stars give empty middle segments; they match anywhere, so drop them.
  const middle = segs.slice(1, -1).filter((s) => s.text.length > 0);
  return { segs: segs.length === 1 ? segs : [segs[0]!, ...middle, segs[segs.length - 1]!], starred };
}

function segmentAt(seg: Segment, v: string, at: number): boolean {
  const { text, any } = seg;
  if (at + text.length > v.length) return false;
  if (!any) return v.startsWith(text, at);
  for (let j = 0; j < text.length; j++) if (!any[j] && text.charCodeAt(j) !== v.charCodeAt(at + j)) return false;
  return true;
}

/** Leftmost position >= from where seg matches and ends by `end`, or -1. */
function findSegment(seg: Segment, v: string, from: number, end: number): number {
  const last = end - seg.text.length;
  if (!seg.any) {
    const i = v.indexOf(seg.text, from);
    return i >= 0 && i <= last ? i : -1;
  }
  for (let i = from; i <= last; i++) if (segmentAt(seg, v, i)) return i;
  return -1;
}

/** Compile once, test many values (the IRSA index tests one pattern against every service account). */
export function compileWildcard(pattern: string, opts: WildcardOptions = {}): CompiledWildcard {
  const ignoreCase = opts.ignoreCase ?? false;
  const { segs, starred } = segments(ignoreCase ? pattern.toLowerCase() : pattern, opts.policyEscapes ?? false);
  const head = segs[0]!;
  const tail = segs[segs.length - 1]!;
  const middle = segs.slice(1, -1);
  const minLength = segs.reduce((n, s) => n + s.text.length, 0);
  const test = (raw: string): boolean => {
    const v = ignoreCase ? raw.toLowerCase() : raw;
    if (!starred) return v.length === head.text.length && segmentAt(head, v, 0);
    if (v.length < minLength || !segmentAt(head, v, 0)) return false;
    const end = v.length - tail.text.length;
    if (!segmentAt(tail, v, end)) return false;
    let pos = head.text.length;
    for (const seg of middle) {
      const at = findSegment(seg, v, pos, end);
      if (at < 0) return false;
      pos = at + seg.text.length;
    }
    return true;
  };
  return { pattern, test };
}

// Policies repeat the same few patterns (actions, ARNs) across thousands of
// evaluations; keep the compiled forms, bounded so hostile input cannot grow it.
const CACHE_LIMIT = 4096;
const cache = new Map<string, CompiledWildcard>();

export function matchWildcard(pattern: string, value: string, opts: WildcardOptions = {}): boolean {
  const key = `${opts.ignoreCase ? 1 : 0}${opts.policyEscapes ? 1 : 0}${pattern}`;
  let m = cache.get(key);
  if (!m) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, (m = compileWildcard(pattern, opts)));
  }
  return m.test(value);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

/** Literal comparison that still resolves `${*}`-style escapes in the policy value. */
export function unescapePolicyValue(value: string): string {
  return value.replace(/\$\{[*?$]\}/g, (m) => ESCAPES[m] ?? m);
}
