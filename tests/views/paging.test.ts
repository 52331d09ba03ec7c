// filterSortedAndPage (orders kept per rows array) pages exactly as sorting the
// filtered rows does, for any rows, filter, order and page; and a second query
// on the same rows reuses the kept order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filterSortedAndPage, sortAndPage } from "@/lib/inventory/views/paging";

type Row = { name: string; n: number; tag: string };
const row = fc.record({ name: fc.constantFrom("a", "B", "b", "é", "z", "aa", "A-1", "a1"), n: fc.integer({ min: 0, max: 5 }), tag: fc.constantFrom("x", "y", "z") });
const keys = { name: (r: Row) => r.name, n: (r: Row) => r.n };

describe("filterSortedAndPage", () => {
  it("pages as sortAndPage over the filtered rows does", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), fc.constantFrom(undefined, "x", "y"), fc.integer({ min: 1, max: 5 }), (rows, tag, page) => {
        const keep = (r: Row) => !tag || r.tag === tag;
        const ties = [(r: Row) => r.tag, (r: Row) => r.name];
        // Every order on the same rows, twice: the first computes each order, the second reads the kept one.
        for (let i = 0; i < 2; i++) {
          for (const sort of ["name", "n"] as const) {
            for (const dir of ["asc", "desc"] as const) {
              expect(filterSortedAndPage(rows, { name: sort, key: keys[sort], dir, ties }, keep, page, 10)).toEqual(sortAndPage(rows.filter(keep), keys[sort], dir, page, 10, ties));
            }
          }
        }
      }),
    );
  });
});
