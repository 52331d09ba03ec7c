// The view layer behind /mappings, /roles and /clusters: rows built from the
// seeded demo fleet's analysis, then filtered, sorted and paged on the server.
import { describe, expect, it } from "vitest";
import { analyzeSnapshot } from "@/lib/inventory/analysis";
import { accessFacets, accessQuerySchema, buildAccessRows, queryAccessRows, type AccessRow } from "@/lib/inventory/views/access-rows";
import { buildClusterSummaries, pairClusters, parseConfiguredPairs } from "@/lib/inventory/views/cluster-summaries";
import { roleDetail } from "@/lib/inventory/views/role-detail";
import { buildRoleSummaries, queryRoles, roleArnFromSegments, roleHref, roleQuerySchema } from "@/lib/inventory/views/role-summaries";
import { demoSnapshot } from "../support/analysis";

const snapshot = demoSnapshot();
const analysis = analyzeSnapshot(snapshot);
const rows = buildAccessRows(analysis);
const q = (params: Record<string, string>) => accessQuerySchema.parse(params);

describe("per service account access rows", () => {
  it("has one row per SA+role mapping, each mechanism as the analysis says", () => {
    for (const m of analysis.mappings) {
      const row = rows.find((r) => r.cluster === m.cluster && r.namespace === m.namespace && r.serviceAccount === m.serviceAccount && r.roleArn === m.roleArn);
      expect(row?.mechanism).toBe(m.mechanism);
    }
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it("puts the snowflake TagSession finding on its row with a fix", () => {
    const row = rows.find((r) => r.serviceAccount === "svc-snowflake-export" && r.roleArn.endsWith("domino-pi-snowflake-export"));
    const f = row?.findings.find((x) => x.kind === "pod-identity-trust-missing-tagsession");
    expect(f?.fix?.json).toContain("sts:TagSession");
    expect(row?.severity).toBe("high");
  });

  it("filters by cluster, mechanism, finding kind and severity, and text", () => {
    const page = queryAccessRows(rows, q({ cluster: "domino-green", mechanism: "pod-identity", pageSize: "200" }));
    expect(page.total).toBe(rows.filter((r) => r.cluster === "domino-green" && r.mechanism === "pod-identity").length);
    expect(page.rows.every((r) => r.cluster === "domino-green" && r.mechanism === "pod-identity")).toBe(true);
    const both = queryAccessRows(rows, q({ mechanism: "both" }));
    expect(both.rows.map((r) => r.serviceAccount)).toEqual(["svc-model-monitor"]);
    const node = queryAccessRows(rows, q({ kind: "node-role-missing-mapped-role" }));
    expect(node.rows.map((r) => r.serviceAccount)).toEqual(["svc-forecasting"]);
    const high = queryAccessRows(rows, q({ severity: "high", pageSize: "200" }));
    expect(high.rows.every((r) => r.findings.some((f) => f.severity === "high"))).toBe(true);
    expect(queryAccessRows(rows, q({ q: "SNOWFLAKE" })).rows.every((r) => /snowflake/i.test(r.serviceAccount + r.roleArn))).toBe(true);
    const clean = queryAccessRows(rows, q({ findings: "none", pageSize: "200" }));
    expect(clean.total + queryAccessRows(rows, q({ findings: "any" })).total).toBe(rows.length);
  });

  it("has one Findings filter: yes/no and the kind share it, and an old ?kind= link still filters", () => {
    const byKind = queryAccessRows(rows, q({ findings: "node-role-missing-mapped-role" }));
    expect(byKind.rows.map((r) => r.serviceAccount)).toEqual(["svc-forecasting"]);
    expect(q({ kind: "node-role-missing-mapped-role" }).findings).toBe("node-role-missing-mapped-role");
    expect(q({ kind: "x", findings: "any" }).findings).toBe("any");
    expect("kind" in q({ kind: "x" })).toBe(false);
    expect(queryAccessRows(rows, q({ findings: "no-such-kind" })).total).toBe(0);
  });

  it("offers only filter values some row has, each matching at least one row", () => {
    const facets = accessFacets(rows);
    const options: [string, string[]][] = [
      ["cluster", facets.clusters],
      ["namespace", facets.namespaces],
      ["mechanism", facets.mechanisms],
      ["severity", facets.severities],
      ["findings", facets.kinds],
    ];
    for (const [name, values] of options) {
      expect(values.length, name).toBeGreaterThan(0);
      for (const v of values) expect(queryAccessRows(rows, q({ [name]: v })).total, `${name}=${v}`).toBeGreaterThan(0);
    }
    // Findings about a role or cluster alone (no service account) have no row, so their kinds are not offered.
    const rowKinds = new Set(rows.flatMap((r) => r.findings.map((f) => f.kind)));
    expect(new Set(facets.kinds)).toEqual(rowKinds);
    expect(accessFacets([])).toEqual({ clusters: [], namespaces: [], mechanisms: [], kinds: [], severities: [] });
  });

  it("pages without gaps or repeats, sorted, and clamps a page past the end", () => {
    const seen: AccessRow[] = [];
    const first = queryAccessRows(rows, q({ sort: "serviceAccount", dir: "desc", pageSize: "10" }));
    for (let p = 1; p <= first.pages; p++) seen.push(...queryAccessRows(rows, q({ sort: "serviceAccount", dir: "desc", pageSize: "10", page: String(p) })).rows);
    expect(seen.map((r) => r.key).sort()).toEqual(rows.map((r) => r.key).sort());
    const names = seen.map((r) => r.serviceAccount);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    const past = queryAccessRows(rows, q({ pageSize: "10", page: "9999" }));
    expect(past.page).toBe(first.pages);
    expect(past.rows.length).toBeGreaterThan(0);
  });

  it("falls back to defaults for bad query values", () => {
    expect(q({ mechanism: "bogus", sort: "x", page: "-1", pageSize: "5000" })).toMatchObject({ mechanism: undefined, sort: "cluster", page: 1, pageSize: 50 });
  });
});

describe("roles", () => {
  const roles = buildRoleSummaries(snapshot, analysis);
  it("counts who can assume each role and filters by mechanism", () => {
    const pi = queryRoles(roles, roleQuerySchema.parse({ mechanism: "pod-identity", pageSize: "200" }));
    expect(pi.rows.length).toBeGreaterThan(5);
    expect(pi.rows.every((r) => r.mechanisms.includes("pod-identity") && r.assumers > 0)).toBe(true);
    const wildcard = roles.find((r) => r.name === "domino-irsa-compute-wildcard");
    expect(wildcard?.patterns.join()).toContain("any SA in domino-compute");
  });

  it("round-trips a role ARN with a path through its URL", () => {
    const arn = "arn:aws:iam::111122223333:role/domino/domino-pi-forecasting";
    expect(roleHref(arn)).toBe("/roles/111122223333/domino/domino-pi-forecasting");
    expect(roleArnFromSegments(["111122223333", "domino", "domino-pi-forecasting"])).toBe(arn);
    expect(roleArnFromSegments(["nope"])).toBeNull();
  });

  it("highlights the statement that lets a known service account in", () => {
    const d = roleDetail(snapshot, analysis, "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export")!;
    expect(d.statements.some((s) => s.matchedBy.length > 0)).toBe(true);
    expect(d.findings.some((f) => f.kind === "pod-identity-trust-missing-tagsession")).toBe(true);
  });
});

describe("clusters", () => {
  it("pairs Blue and Green by name, or as configured", () => {
    expect(pairClusters(["domino-blue", "domino-green", "other"])).toEqual([{ name: "domino", blue: "domino-blue", green: "domino-green", source: "name" }]);
    expect(pairClusters(["a", "b"], parseConfiguredPairs("a:b, x:y"))).toEqual([{ name: "a / b", blue: "a", green: "b", source: "configured" }]);
  });

  it("shows domino-blue without the add-on, paired with domino-green", () => {
    const cs = buildClusterSummaries(snapshot, analysis, pairClusters(snapshot.clusters.map((c) => c.name)));
    const blue = cs.find((c) => c.name === "domino-blue")!;
    expect(blue.addonInstalled).toBe(false);
    expect(blue.pair).toEqual({ color: "blue", partner: "domino-green", name: "domino" });
    expect(blue.associations).toBeGreaterThan(0);
  });
});
