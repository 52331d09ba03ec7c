// patternWithin: "every name the template's pattern matches, the policy's pattern
// matches too" (lib/templates/covers.ts). Sound against the one matcher
// (lib/trust/wildcard.ts) on names generated from the inner pattern, and
// polynomial on adversarial patterns.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchWildcard } from "@/lib/trust";
import { patternWithin } from "@/lib/templates";

const pattern = fc.array(fc.constantFrom("a", "b", "-", "*", "?"), { maxLength: 8 }).map((cs) => cs.join(""));
/** A name `p` matches: each * becomes a run of letters, each ? one letter. */
const instance = (p: string) => fc.array(fc.array(fc.constantFrom("a", "b", "-"), { maxLength: 3 }), { minLength: p.length, maxLength: p.length }).map((fills) => [...p].map((c, i) => (c === "*" ? fills[i]!.join("") : c === "?" ? (fills[i]![0] ?? "a") : c)).join(""));

describe("patternWithin", () => {
  it("answers the cases a policy meets", () => {
    expect(patternWithin("domino-green", "domino-*")).toBe(true);
    expect(patternWithin("domino-g*", "domino-*")).toBe(true);
    expect(patternWithin("domino-*", "domino-green")).toBe(false);
    expect(patternWithin("domino-*", "*")).toBe(true);
    expect(patternWithin("a*c", "a?c")).toBe(false);
    expect(patternWithin("a?c", "a?c")).toBe(true);
    expect(patternWithin("arn:aws:iam::111122223333:role/domino/x", "arn:aws:iam::111122223333:role/domino/*")).toBe(true);
    expect(patternWithin("arn:aws:iam::111122223333:role/admin", "arn:aws:iam::111122223333:role/domino/*")).toBe(false);
  });

  it("is sound: when it says inner is within outer, outer matches every name inner matches", () => {
    fc.assert(
      fc.property(pattern, pattern, fc.integer({ min: 0, max: 1000 }), (inner, outer, seed) => {
        if (!patternWithin(inner, outer)) return;
        fc.assert(fc.property(instance(inner), (name) => matchWildcard(outer, name)), { seed, numRuns: 20 });
      }),
      { numRuns: 300 },
    );
  });

  it("stays fast on adversarial patterns (no backtracking)", () => {
    const outer = "*a".repeat(40) + "*";
    const inner = "a*".repeat(120) + "b";
    const started = performance.now();
    expect(patternWithin(inner, outer)).toBe(true);
    expect(patternWithin("b".repeat(250), outer)).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
