// Every count the overview shows is the total of the list it links to, on the
// seeded sandbox fleet: follow each link's filters through the linked page's
// own query (what /mappings, /roles and /clusters render) and compare.
import { describe, expect, it } from "vitest";
import { buildInventoryView } from "@/lib/inventory/views/inventory-view";
import { accessQuerySchema, queryAccessRows } from "@/lib/inventory/views/access-rows";
import { CLUSTERS_SHOWN, clustersToShow, overviewCounts, listTotal } from "@/lib/inventory/views/overview-counts";
import { queryRoles, roleQuerySchema } from "@/lib/inventory/views/role-summaries";
import { demoSnapshot } from "../support/analysis";

const view = await buildInventoryView("scan-1", "succeeded", demoSnapshot(), []);
const counts = overviewCounts(view);
const links = [...counts.totals, ...counts.severities, ...counts.clusters];

/** What the linked page lists, as that page computes it (the page reads its search params the same way). */
function linkedListTotal(href: string): number {
  const url = new URL(href, "http://x.invalid");
  const params = Object.fromEntries(url.searchParams);
  if (url.pathname === "/mappings") return queryAccessRows(view.accessRows, accessQuerySchema.parse(params)).total;
  if (url.pathname === "/roles") return queryRoles(view.roles, roleQuerySchema.parse(params)).total;
  if (url.pathname === "/clusters") return view.clusters.length;
  throw new Error(`the overview links a list this test does not know: ${href}`);
}

describe("overview counts", () => {
  it("equal, for every count link, the total of the linked list with those filters", () => {
    expect(links.length).toBe(6 + 4 + view.clusters.length);
    for (const l of links) expect({ href: l.href, value: l.value }).toEqual({ href: l.href, value: linkedListTotal(l.href) });
  });

  it("count mappings by severity, not findings (the old overview counted findings and disagreed with the list)", () => {
    for (const s of counts.severities) {
      const rows = view.accessRows.filter((r) => r.findings.some((f) => f.severity === s.severity));
      expect(s.value).toBe(rows.length);
    }
    const high = counts.severities.find((s) => s.severity === "high")!;
    expect(high.value).toBeGreaterThan(0);
    expect(high.href).toBe("/mappings?severity=high");
  });

  it("split the mappings by mechanism without overlap", () => {
    const [, , all, irsa, pi, both] = counts.totals;
    expect(irsa!.value + pi!.value + both!.value).toBe(all!.value);
    expect(both!.value).toBeGreaterThan(0);
  });

  it("per cluster, count the cluster's mappings with findings", () => {
    for (const c of counts.clusters) {
      expect(c.href).toBe(`/mappings?cluster=${encodeURIComponent(c.cluster)}&findings=any`);
      expect(c.value).toBe(view.accessRows.filter((r) => r.cluster === c.cluster && r.findings.length > 0).length);
    }
  });

  it("has no total for a list the overview does not link", () => {
    expect(listTotal(view, "/nowhere")).toBeNull();
  });
});

describe("the overview's clusters", () => {
  const fleet = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, errors: i === 40 ? ["AccessDenied"] : [] }));
  const links = (n: number) => Array.from({ length: n }, (_, i) => ({ value: i % 7 }));

  it("lists a small fleet whole, in scan order", () => {
    expect(clustersToShow(fleet(5), links(5)).map((x) => x.c.name)).toEqual(["c0", "c1", "c2", "c3", "c4"]);
  });

  it("names a large fleet's clusters with scan errors first, then the most mappings with findings, each with its own link", () => {
    const shown = clustersToShow(fleet(100), links(100));
    expect(shown).toHaveLength(CLUSTERS_SHOWN);
    expect(shown[0]!.c.name).toBe("c40");
    expect(shown.slice(1).every((x) => x.findings.value === 6)).toBe(true);
    for (const x of shown) expect(x.findings.value).toBe(Number(x.c.name.slice(1)) % 7);
  });
});
