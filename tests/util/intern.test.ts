// Interning changes which copy of a string is kept, never a value: a snapshot or
// report parsed through it is equal to one parsed plainly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInterned, stringInterner } from "@/lib/util/intern";

describe("string interning", () => {
  it("parses any JSON to the value JSON.parse gives", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(parseInterned(text, stringInterner(8))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("returns every string equal to what it was given, the long ones as they are", () => {
    const intern = stringInterner(4);
    expect(["ab", "ab", "abcdef", "", "ab"].map(intern)).toEqual(["ab", "ab", "abcdef", "", "ab"]);
  });
});
