// /migration as a list: stages, filters that only offer what can match, server
// paging, and no step on a cluster where Pod Identity cannot work at all.
import { describe, expect, it } from "vitest";
import { analyzeSnapshot } from "@/lib/inventory/analysis";
import { migrationCandidates } from "@/lib/migration/plan";
import { migrationFacets, migrationQuerySchema, queryMigrationRows, stageOf } from "@/lib/migration/query";
import type { MigrationRow } from "@/lib/migration/service";
import { demoSnapshot } from "../support/analysis";

const snapshot = demoSnapshot();
const analysis = analyzeSnapshot(snapshot);
const rows: MigrationRow[] = migrationCandidates(snapshot, analysis).map((c) => ({ ...c, migration: null, cleanup: null }));
const q = (params: Record<string, string>) => migrationQuerySchema.parse(params);

describe("/migration list", () => {
  it("pages on the server without gaps or repeats", () => {
    expect(rows.length).toBeGreaterThan(10);
    const first = queryMigrationRows(rows, q({ pageSize: "10" }));
    expect(first.rows).toHaveLength(10);
    const seen = [];
    for (let p = 1; p <= first.pages; p++) seen.push(...queryMigrationRows(rows, q({ pageSize: "10", page: String(p) })).rows);
    expect(seen.map((r) => r.key).sort()).toEqual(rows.map((r) => r.key).sort());
  });

  it("offers only cluster, namespace and stage values some row has, each matching rows", () => {
    const f = migrationFacets(rows);
    for (const [name, values] of [["cluster", f.clusters], ["namespace", f.namespaces], ["stage", f.stages]] as const) {
      expect(values.length, name).toBeGreaterThan(0);
      for (const v of values) expect(queryMigrationRows(rows, q({ [name]: v })).total, `${name}=${v}`).toBeGreaterThan(0);
    }
    expect(q({ stage: "bogus", sort: "x" })).toMatchObject({ stage: undefined, sort: "cluster" });
  });

  it("derives each row's stage from its two requests", () => {
    const base = { ...rows.find((r) => !r.blocked && !r.association)!, migration: null, cleanup: null };
    const req = (status: string) => ({ requestId: "r", status });
    expect(stageOf(base)).toBe("to-migrate");
    expect(stageOf({ ...base, migration: req("rejected") })).toBe("to-migrate");
    expect(stageOf({ ...base, migration: req("pending") })).toBe("migrating");
    expect(stageOf({ ...base, migration: req("applied") })).toBe("to-clean-up");
    expect(stageOf({ ...base, migration: req("applied"), cleanup: req("approved") })).toBe("cleaning-up");
    expect(stageOf({ ...base, migration: req("applied"), cleanup: req("applied") })).toBe("done");
    expect(stageOf({ ...base, blocked: "Stays on IRSA: Fargate" })).toBe("stays-on-irsa");
    expect(stageOf({ ...base, association: { associationId: "a-1", roleArn: `${base.roleArn}-other` } })).toBe("other-association");
  });

  it("blocks every service account of a cluster where Pod Identity cannot work, even one the scan did not list", () => {
    const cluster = rows.find((r) => r.sources.some((s) => s.startsWith("trust-")))!.cluster;
    // The same IRSA edges, on the cluster made an Outposts one whose service accounts the scan did not read.
    const outpost = { ...snapshot, clusters: snapshot.clusters.map((c) => (c.name === cluster ? { ...c, outpost: true, serviceAccounts: [] } : c)) };
    const candidates = migrationCandidates(outpost, analysis);
    const onIt = candidates.filter((c) => c.cluster === cluster);
    expect(onIt.length).toBeGreaterThan(0);
    for (const c of onIt) expect(c.blocked, c.key).toMatch(/Stays on IRSA: .*Outposts/);
    expect(candidates.some((c) => c.cluster !== cluster && c.blocked === null)).toBe(true);
  });
});
