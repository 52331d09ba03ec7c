/**
 * IAM-style glob matching: `*` = any run of characters (including none),
 * `?` = exactly one character. Everything else is literal.
 *
 * A hand-rolled matcher instead of a RegExp: patterns come from user-supplied
 * policies, and the greedy-star backtracking below is linear-ish for any
 * pattern, whereas nested `.*` regexes can blow up.
 */

type Token = { kind: "star" } | { kind: "one" } | { kind: "lit"; ch: string };

interface WildcardOptions {
  ignoreCase?: boolean;
  /**
   * Honour IAM's escape sequences `${*}`, `${?}`, `${$}` (literal `*`, `?`, `$`).
   * Other policy variables such as `${aws:username}` are not substituted:
   * RoleGate has no caller identity to substitute, so they stay literal text.
   */
  policyEscapes?: boolean;
}

const ESCAPES: Record<string, string> = { "${*}": "*", "${?}": "?", "${$}": "$" };

function tokenize(pattern: string, escapes: boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (escapes && pattern[i] === "$") {
      const esc = ESCAPES[pattern.slice(i, i + 4)];
      if (esc !== undefined) {
        out.push({ kind: "lit", ch: esc });
        i += 3;
        continue;
      }
    }
    const ch = pattern[i] as string;
    if (ch === "*") {
      // Collapse runs of stars: they are equivalent and this keeps matching cheap.
      if (out[out.length - 1]?.kind !== "star") out.push({ kind: "star" });
    } else if (ch === "?") out.push({ kind: "one" });
    else out.push({ kind: "lit", ch });
  }
  return out;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

export function matchWildcard(pattern: string, value: string, opts: WildcardOptions = {}): boolean {
  const p = opts.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = opts.ignoreCase ? value.toLowerCase() : value;
  const toks = tokenize(p, opts.policyEscapes ?? false);
  let ti = 0;
  let vi = 0;
  let starT = -1;
  let starV = 0;
  while (vi < v.length) {
    const t = toks[ti];
    if (t && (t.kind === "one" || (t.kind === "lit" && t.ch === v[vi]))) {
      ti++;
      vi++;
    } else if (t && t.kind === "star") {
      starT = ti++;
      starV = vi;
    } else if (starT >= 0) {
      ti = starT + 1;
      vi = ++starV;
    } else {
      return false;
    }
  }
  while (toks[ti]?.kind === "star") ti++;
  return ti === toks.length;
}

/** Literal comparison that still resolves `${*}`-style escapes in the policy value. */
export function unescapePolicyValue(value: string): string {
  return value.replace(/\$\{[*?$]\}/g, (m) => ESCAPES[m] ?? m);
}
