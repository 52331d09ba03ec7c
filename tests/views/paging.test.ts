// filterSortedAndPage (orders kept per rows array) pages exactly as sorting the
// filtered rows does, for any rows, filter, order and page; and a second query
// on the same rows reuses the kept order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "@/lib/inventory/analysis";
import { accessQuerySchema, queryAccessRows, type AccessRow } from "@/lib/inventory/views/access-rows";
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
              expect(filterSortedAndPage(rows, { name: sort, key: keys[sort], dir, ties }, tag ? keep : null, page, 10)).toEqual(sortAndPage(rows.filter(keep), keys[sort], dir, page, 10, ties));
            }
          }
        }
      }),
    );
  });
});

// queryAccessRows looks only at the rows of an index (by cluster, by finding severity, by finding kind) when the
// query names one: any query must list exactly the rows, in the order, that filtering every sorted row gives.
const finding = fc.record({ severity: fc.constantFrom("high", "medium", "low", "info"), kind: fc.constantFrom("kind-a", "kind-b", "kind-c") });
const accessRow = fc.record({
  cluster: fc.constantFrom("c1", "c2", "c3"),
  namespace: fc.constantFrom("ns1", "ns2"),
  serviceAccount: fc.constantFrom("sa1", "sa2", "Sa3"),
  roleArn: fc.constantFrom("arn:aws:iam::111122223333:role/r1", "arn:aws:iam::111122223333:role/r2"),
  mechanism: fc.constantFrom("irsa", "pod-identity", "both"),
  findings: fc.array(finding, { maxLength: 3 }),
});
const accessQuery = fc.record(
  {
    cluster: fc.constantFrom("c1", "c2", "c9"),
    namespace: fc.constantFrom("ns1", "ns2"),
    mechanism: fc.constantFrom("irsa", "pod-identity", "both"),
    severity: fc.constantFrom("high", "medium", "low", "info"),
    findings: fc.constantFrom("any", "none", "kind-a", "kind-c"),
    q: fc.constantFrom("sa", "r2", "zz"),
    sort: fc.constantFrom("cluster", "serviceAccount", "severity", "role"),
    dir: fc.constantFrom("asc", "desc"),
    page: fc.constantFrom("1", "2", "3", "9"),
  },
  { requiredKeys: [] },
);

describe("queryAccessRows", () => {
  it("lists, for any query, what filtering every sorted row lists", () => {
    fc.assert(
      fc.property(fc.array(accessRow, { maxLength: 60 }), accessQuery, (specs, params) => {
        const rows: AccessRow[] = specs.map((r, i) => {
          const findings = r.findings.map((f, j) => ({ id: `f${i}-${j}`, title: "t", detail: "d", ...f }) as unknown as Finding);
          return { ...r, key: `${r.cluster}|${r.namespace}|${r.serviceAccount}|${r.roleArn}|${i}`, effective: true, findings, severity: null } as AccessRow;
        });
        const q = accessQuerySchema.parse({ ...params, pageSize: "10" });
        const everyRow = queryAccessRows(rows, accessQuerySchema.parse({ sort: q.sort, dir: q.dir, pageSize: "200" })).rows;
        const severities = (r: AccessRow) => r.findings.map((f) => f.severity as string);
        const kinds = (r: AccessRow) => r.findings.map((f) => f.kind as string);
        const matches = everyRow.filter(
          (r) =>
            (!q.cluster || r.cluster === q.cluster) &&
            (!q.namespace || r.namespace === q.namespace) &&
            (!q.mechanism || r.mechanism === q.mechanism) &&
            (!q.severity || severities(r).includes(q.severity)) &&
            (!q.findings || (q.findings === "any" ? r.findings.length > 0 : q.findings === "none" ? r.findings.length === 0 : kinds(r).includes(q.findings))) &&
            (!q.q || [r.serviceAccount, r.namespace, r.roleArn].some((v) => v.toLowerCase().includes(q.q!.toLowerCase()))),
        );
        const pages = Math.max(1, Math.ceil(matches.length / 10));
        const page = Math.min(q.page, pages);
        // Twice: the first builds the indexes and orders, the second reads the kept ones.
        for (let i = 0; i < 2; i++) {
          const got = queryAccessRows(rows, q);
          expect({ total: got.total, page: got.page, pages: got.pages }).toEqual({ total: matches.length, page, pages });
          expect(got.rows.map((r) => r.key)).toEqual(matches.slice((page - 1) * 10, page * 10).map((r) => r.key));
        }
      }),
      { numRuns: 300 },
    );
  });
});

