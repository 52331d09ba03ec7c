// The wildcard matcher against a plain reference (memoised recursion over the
// pattern's tokens) on small generated inputs, and its running time on the
// adversarial patterns that stalled the old RegExp translation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileWildcard, evaluateTrust, irsaRequest, matchWildcard, parseTrustPolicy } from "@/lib/trust";
import { wildcardMatch as sandboxActionMatch } from "@/sandbox/aws/sts";

type Tok = "*" | "?" | { lit: string };

function tokens(pattern: string, escapes: boolean): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const four = pattern.slice(i, i + 4);
    if (escapes && (four === "${*}" || four === "${?}" || four === "${$}")) {
      out.push({ lit: four[2]! });
      i += 3;
    } else if (pattern[i] === "*" || pattern[i] === "?") out.push(pattern[i] as "*" | "?");
    else out.push({ lit: pattern[i]! });
  }
  return out;
}

/** Obviously-correct reference: does tokens[i..] match value[j..]? Exponential without the memo, fine on small inputs. */
function reference(pattern: string, value: string, opts: { ignoreCase?: boolean; policyEscapes?: boolean } = {}): boolean {
  const p = opts.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = opts.ignoreCase ? value.toLowerCase() : value;
  const toks = tokens(p, opts.policyEscapes ?? false);
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    const t = toks[i];
    if (t === undefined) r = j === v.length;
    else if (t === "*") r = go(i + 1, j) || (j < v.length && go(i, j + 1));
    else if (t === "?") r = j < v.length && go(i + 1, j + 1);
    else r = j < v.length && v[j] === t.lit && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

// Few distinct characters so patterns and values collide often; "$", "{", "}" exercise the escapes.
const patternChar = fc.constantFrom("a", "b", "A", ":", "*", "?", "$", "{", "}", "${*}", "${?}", "${$}");
const valueChar = fc.constantFrom("a", "b", "A", ":", "*", "?", "$", "{", "}");
const pattern = fc.array(patternChar, { maxLength: 10 }).map((xs) => xs.join(""));
const value = fc.array(valueChar, { maxLength: 12 }).map((xs) => xs.join(""));
const options = fc.record({ ignoreCase: fc.boolean(), policyEscapes: fc.boolean() });

describe("linear wildcard matcher", () => {
  it("agrees with the reference on generated patterns, values and options", () => {
    fc.assert(
      fc.property(pattern, value, options, (p, v, o) => {
        expect(matchWildcard(p, v, o)).toBe(reference(p, v, o));
        expect(compileWildcard(p, o).test(v)).toBe(reference(p, v, o));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with the reference when the value is built from the pattern (mostly matches)", () => {
    // Values derived from the pattern hit the matching side far more often than random ones.
    const filled = fc.tuple(pattern, fc.array(valueChar, { minLength: 8, maxLength: 8 })).map(([p, fill]) => {
      let k = 0;
      const v = tokens(p, true).map((t) => (t === "*" ? fill.slice(0, k++ % 3).join("") : t === "?" ? fill[k++ % 8]! : t.lit)).join("");
      return [p, v] as const;
    });
    fc.assert(
      fc.property(filled, ([p, v]) => {
        expect(matchWildcard(p, v, { policyEscapes: true })).toBe(reference(p, v, { policyEscapes: true }));
      }),
      { numRuns: 3000 },
    );
  });

  it("the sandbox's STS action matcher agrees with the reference (case-insensitive, no escapes)", () => {
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        expect(sandboxActionMatch(p, v)).toBe(reference(p, v, { ignoreCase: true }));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps IAM's escapes literal: ${*} is a star, ${?} a question mark, ${$} a dollar", () => {
    expect(matchWildcard("a${*}b", "a*b", { policyEscapes: true })).toBe(true);
    expect(matchWildcard("a${*}b", "aXb", { policyEscapes: true })).toBe(false);
    expect(matchWildcard("a${?}", "a?", { policyEscapes: true })).toBe(true);
    expect(matchWildcard("a${?}", "ab", { policyEscapes: true })).toBe(false);
    expect(matchWildcard("${$}x*", "$xyz", { policyEscapes: true })).toBe(true);
    expect(matchWildcard("${aws:username}", "${aws:username}", { policyEscapes: true })).toBe(true);
    expect(matchWildcard("StringLike", "stringlike")).toBe(false);
  });
});

describe("adversarial patterns finish in milliseconds", () => {
  const name253 = `system:serviceaccount:domino-compute:${"dmuser-".repeat(40)}`.slice(0, 253);
  const timed = (f: () => boolean) => {
    const t = performance.now();
    const r = f();
    return { r, ms: performance.now() - t };
  };

  it("40-star patterns against 253-character names: under 50 ms per match", () => {
    const patterns = [
      "*".repeat(40) + "X",
      `system:serviceaccount:${"*a".repeat(40)}X`,
      `${"*?".repeat(40)}X`,
      `${"*d*m*u*s*e*r".repeat(7)}X`,
      `${"*?".repeat(20)}${"*d".repeat(20)}`,
    ];
    for (const p of patterns) {
      expect((p.match(/\*/g) ?? []).length).toBeGreaterThanOrEqual(40);
      for (const v of [name253, "a".repeat(253), "?".repeat(253)]) {
        const { r, ms } = timed(() => matchWildcard(p, v, { policyEscapes: true }));
        expect(r).toBe(reference(p, v, { policyEscapes: true }));
        expect(ms).toBeLessThan(50);
      }
    }
  });

  it("the issue's reproduction (12 *? pairs then X) against an ordinary service account is fast and false", () => {
    const hostile = `system:serviceaccount:${"*?".repeat(12)}X`;
    const sub = "system:serviceaccount:domino-compute:dmuser-alice-analytics-workbench";
    const { r, ms } = timed(() => compileWildcard(hostile, { policyEscapes: true }).test(sub));
    expect(r).toBe(false);
    expect(ms).toBeLessThan(50);
    // Through the full evaluator too: a StringLike :sub condition in a trust policy.
    const host = "oidc.eks.us-east-1.amazonaws.com/id/ABC";
    const policy = parseTrustPolicy(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${host}` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { [`${host}:sub`]: hostile } } },
      }),
    );
    const req = irsaRequest({ mechanism: "irsa", issuer: `https://${host}`, namespace: "domino-compute", serviceAccount: "dmuser-alice-analytics-workbench", providerAccount: "111122223333" });
    const t = performance.now();
    expect(evaluateTrust(policy, req).allowed).toBe(false);
    expect(performance.now() - t).toBeLessThan(50);
  });
});
