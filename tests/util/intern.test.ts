// Interning changes which copy of a string is kept, never a value: a snapshot or
// report parsed through it is equal to one parsed plainly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flat, parseInterned, stringInterner } from "@/lib/util/intern";

describe("string interning", () => {
  it("parses any JSON to the value JSON.parse gives", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(parseInterned(text, stringInterner(8))).toEqual(JSON.parse(text));
        expect(parseInterned(text, stringInterner(8), new Set(["", "a", "tags"]))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("flattens a built string to the same text, whatever its characters (lone surrogates too)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 6 }), (parts) => {
        const built = parts.reduce((s, p) => `${s}|${p}`, "");
        expect(flat(built)).toBe(built);
      }),
      { numRuns: 300 },
    );
    expect(flat("\ud800a\udfff")).toBe("\ud800a\udfff");
  });

  it("returns every string equal to what it was given, the long ones as they are", () => {
    const intern = stringInterner(4);
    expect(["ab", "ab", "abcdef", "", "ab"].map(intern)).toEqual(["ab", "ab", "abcdef", "", "ab"]);
  });

  it("shares equal string maps under the named properties, and only those", () => {
    const env = { AWS_REGION: "us-east-1", AWS_ROLE_ARN: "arn:aws:iam::111122223333:role/r" };
    const text = JSON.stringify({
      pods: [{ name: "a", credentialEnv: env }, { name: "b", credentialEnv: { ...env } }, { name: "c", credentialEnv: { AWS_REGION: "eu-west-1" } }],
      other: [{ env }, { env: { ...env } }],
      mixed: [{ credentialEnv: { n: 1 } }, { credentialEnv: { n: 1 } }],
    });
    const parsed = parseInterned<{ pods: { credentialEnv: object }[]; other: { env: object }[]; mixed: { credentialEnv: object }[] }>(text, stringInterner(), new Set(["credentialEnv"]));
    expect(parsed).toEqual(JSON.parse(text));
    expect(parsed.pods[0]!.credentialEnv).toBe(parsed.pods[1]!.credentialEnv);
    expect(parsed.pods[2]!.credentialEnv).not.toBe(parsed.pods[0]!.credentialEnv);
    // Not a named property, or not a map of strings: each keeps its own object.
    expect(parsed.other[0]!.env).not.toBe(parsed.other[1]!.env);
    expect(parsed.mixed[0]!.credentialEnv).not.toBe(parsed.mixed[1]!.credentialEnv);
  });
});
