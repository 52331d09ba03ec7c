// npm run bench:incremental — one role's trust policy changed, at 25,000 roles x
// 50,000 service accounts (100 clusters in 5 accounts, IRSA trusts with
// StringEquals / StringLike :sub conditions, Pod Identity associations, some
// chaining cross-account): applyDelta() on the incremental index against a full
// recomputation of the edges (computeEdges over every role and SA; trust
// policies parsed once and reused, only the changed one re-parsed, so the full
// side is not charged for parsing). Median of several changes each; after every
// change the edge sets must be identical. Target: >= 20x.
// Also printed, not part of the ratio: the same change with its findings
// (applyDelta + findingsOf) against a full analyzeSnapshot().
// Usage: tsx bench/incremental.ts [--roles N] [--sas N] [--clusters N] [--accounts N] [--runs N] [--seed N] [--no-findings]
// The last line is one JSON object: {"incrementalMs", "fullRecomputeMs", "ratio", "identical", ...}.
import os from "node:os";
import { analyzeSnapshot } from "@/lib/inventory/analysis";
import { computeEdges } from "@/lib/inventory/analysis/edges";
import { applyDelta, buildAnalysisIndex, edgesOf, findingsOf, type AnalysisIndex } from "@/lib/inventory/analysis/incremental";
import type { EdgeSet, IndexedRole } from "@/lib/inventory/analysis/model";
import { indexRole, indexRoles } from "@/lib/inventory/analysis/roles";
import type { InventorySnapshot, SnapshotRole } from "@/lib/inventory/snapshot-types";
import { syntheticSnapshot } from "@/tests/support/analysis/synthetic-snapshot";

export interface IncrementalBenchOptions {
  roles?: number;
  serviceAccounts?: number;
  clusters?: number;
  accounts?: number;
  /** Role changes timed (median taken); each also timed as a full recomputation. */
  runs?: number;
  seed?: number;
  /** Also time findings (incremental findingsOf vs full analyzeSnapshot, once). */
  findings?: boolean;
  log?: (line: string) => void;
}

export interface IncrementalBenchResult {
  incrementalMs: number;
  fullRecomputeMs: number;
  ratio: number;
  /** The same medians in process CPU time (less noisy on a shared machine). */
  incrementalCpuMs: number;
  fullRecomputeCpuMs: number;
  identical: boolean;
  roles: number;
  serviceAccounts: number;
  associations: number;
  irsaEdges: number;
  buildIndexMs: number;
  findingsIncrementalMs?: number;
  findingsFullMs?: number;
  findingsIdentical?: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** Wall and process CPU milliseconds of one call. */
function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { value, wall, cpu: (d.user + d.system) / 1000 };
}
const ms = (t: number) => (t < 10 ? `${t.toFixed(2)} ms` : `${t.toFixed(0)} ms`);
const canonical = (e: EdgeSet) => [e.irsa, e.podIdentity, e.patterns].map((xs) => xs.map((x) => JSON.stringify(x)).sort());
const sameEdges = (a: EdgeSet, b: EdgeSet) => {
  const [x, y] = [canonical(a), canonical(b)];
  return x.every((list, i) => list.length === y[i]!.length && list.every((v, j) => v === y[i]![j]));
};

/**
 * The i-th change: an IRSA role of the model gets another trust — a StringLike
 * namespace wildcard in place of its exact subject, or the reverse — on its issuer.
 */
function changedRole(snapshot: InventorySnapshot, victims: SnapshotRole[], i: number): SnapshotRole {
  const role = victims[i % victims.length]!;
  const doc = JSON.parse(role.trustPolicy) as { Statement: Record<string, unknown> | Record<string, unknown>[] };
  const st = (Array.isArray(doc.Statement) ? doc.Statement[0] : doc.Statement) as { Principal: { Federated: string }; Condition?: Record<string, Record<string, unknown>> };
  const host = st.Principal.Federated.split("oidc-provider/")[1]!;
  const cluster = snapshot.clusters.find((c) => c.oidcIssuer === `https://${host}`)!;
  const sa = cluster.serviceAccounts[(i * 7919) % cluster.serviceAccounts.length]!;
  const sub = i % 2 === 0 ? { StringLike: { [`${host}:sub`]: `system:serviceaccount:${sa.namespace}:*` } } : { StringEquals: { [`${host}:sub`]: `system:serviceaccount:${sa.namespace}:${sa.name}` } };
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: st.Principal, Action: "sts:AssumeRoleWithWebIdentity", Condition: { ...sub, StringEquals: { ...(sub.StringEquals ?? {}), [`${host}:aud`]: "sts.amazonaws.com" } } }] };
  return { ...role, trustPolicy: JSON.stringify(trust) };
}

export async function benchIncremental(opts: IncrementalBenchOptions = {}): Promise<IncrementalBenchResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const clusters = opts.clusters ?? 100;
  const runs = opts.runs ?? 7;
  let snapshot = syntheticSnapshot({
    roles: opts.roles ?? 25_000, clusters, serviceAccountsPerCluster: Math.ceil((opts.serviceAccounts ?? 50_000) / clusters), accounts: opts.accounts ?? 5, associationsPerCluster: 500, seed: opts.seed ?? 20261201,
  });
  const saTotal = snapshot.clusters.reduce((n, c) => n + c.serviceAccounts.length, 0);
  const assocTotal = snapshot.clusters.reduce((n, c) => n + c.associations.length, 0);
  log(`model: ${snapshot.roles.length} roles, ${saTotal} service accounts on ${clusters} clusters in ${snapshot.accounts.length} accounts, ${assocTotal} associations (${snapshot.clusters.reduce((n, c) => n + c.associations.filter((a) => a.targetRoleArn).length, 0)} cross-account)`);

  let t = performance.now();
  const parsed: Map<string, IndexedRole> = indexRoles(snapshot);
  log(`parse trust policies (both sides reuse them): ${ms(performance.now() - t)}`);
  t = performance.now();
  const index: AnalysisIndex = buildAnalysisIndex(snapshot);
  const buildIndexMs = performance.now() - t;
  log(`build incremental index (parses again, computes all edges): ${ms(buildIndexMs)}`);
  computeEdges(snapshot, parsed); // warm-up (JIT), not timed

  // Roles with a single-statement IRSA trust on a live issuer: the changes.
  const victims = snapshot.roles.filter((r) => {
    const g = parsed.get(r.arn)?.grants;
    return g?.exact && g.irsa.length === 1 && g.irsa[0]!.effect === "Allow" && g.irsa[0]!.subjects?.length === 1 && snapshot.clusters.some((c) => c.oidcIssuer === `https://${g.irsa[0]!.providerPath}`);
  });
  const incremental: number[] = [];
  const full: number[] = [];
  const incrementalCpu: number[] = [];
  const fullCpu: number[] = [];
  let identical = true;
  let irsaEdges = 0;
  for (let i = 0; i < runs; i++) {
    const role = changedRole(snapshot, victims, i);
    snapshot = { ...snapshot, roles: snapshot.roles.map((r) => (r.arn === role.arn ? role : r)) };
    parsed.set(role.arn, indexRole(role));
    const inc = timed(() => applyDelta(index, { kind: "role-upsert", role }));
    const changes = inc.value;
    incremental.push(inc.wall);
    incrementalCpu.push(inc.cpu);
    const all = timed(() => computeEdges(snapshot, parsed));
    const edges = all.value;
    full.push(all.wall);
    fullCpu.push(all.cpu);
    const same = sameEdges(edgesOf(index), edges);
    identical &&= same;
    irsaEdges = edges.irsa.length;
    log(`change ${i + 1}: ${role.roleName} -> ${changes.added.length} edge(s) added, ${changes.removed.length} removed; incremental ${ms(inc.wall)} (CPU ${ms(inc.cpu)}), full ${ms(all.wall)} (CPU ${ms(all.cpu)}); edges identical: ${same ? "yes" : "NO"}`);
  }
  const incrementalMs = median(incremental);
  const fullRecomputeMs = median(full);
  const ratio = fullRecomputeMs / incrementalMs;
  const [incrementalCpuMs, fullRecomputeCpuMs] = [median(incrementalCpu), median(fullCpu)];
  log(`edges: ${irsaEdges} IRSA, ${index.podIdentity.size} Pod Identity, ${index.patterns.size} role x cluster pattern groups`);
  log(`one role change, median of ${runs}: incremental ${ms(incrementalMs)} vs full recomputation ${ms(fullRecomputeMs)} -> ${ratio.toFixed(0)}x (target >= 20x) ${ratio >= 20 && identical ? "MET" : "NOT MET"}; CPU time ${ms(incrementalCpuMs)} vs ${ms(fullRecomputeCpuMs)} -> ${(fullRecomputeCpuMs / incrementalCpuMs).toFixed(0)}x`);
  log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);

  const result: IncrementalBenchResult = { incrementalMs: round(incrementalMs), fullRecomputeMs: round(fullRecomputeMs), ratio: round(ratio), incrementalCpuMs: round(incrementalCpuMs), fullRecomputeCpuMs: round(fullRecomputeCpuMs), identical, roles: snapshot.roles.length, serviceAccounts: saTotal, associations: assocTotal, irsaEdges, buildIndexMs: round(buildIndexMs) };
  if (opts.findings !== false) {
    t = performance.now();
    findingsOf(index); // every unit once (the index was built lazily)
    log(`findings, first computation on the index: ${ms(performance.now() - t)}`);
    const role = changedRole(snapshot, victims, runs);
    snapshot = { ...snapshot, roles: snapshot.roles.map((r) => (r.arn === role.arn ? role : r)) };
    t = performance.now();
    applyDelta(index, { kind: "role-upsert", role });
    const incrementalFindings = findingsOf(index);
    const findingsIncrementalMs = performance.now() - t;
    t = performance.now();
    const all = analyzeSnapshot(snapshot);
    const findingsFullMs = performance.now() - t;
    const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort().join("\n");
    const findingsIdentical = sorted(incrementalFindings) === sorted(all.findings) && sameEdges(edgesOf(index), all.edges);
    log(`with findings: applyDelta + findingsOf ${ms(findingsIncrementalMs)} vs analyzeSnapshot ${ms(findingsFullMs)} (${(findingsFullMs / findingsIncrementalMs).toFixed(0)}x); ${all.findings.length} findings identical: ${findingsIdentical ? "yes" : "NO"}`);
    Object.assign(result, { findingsIncrementalMs: round(findingsIncrementalMs), findingsFullMs: round(findingsFullMs), findingsIdentical });
  }
  return result;
}

const round = (x: number) => Math.round(x * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const result = await benchIncremental({
    roles: arg("roles"), serviceAccounts: arg("sas"), clusters: arg("clusters"), accounts: arg("accounts"), runs: arg("runs"), seed: arg("seed"), findings: !process.argv.includes("--no-findings"),
  });
  process.exitCode = result.identical && result.findingsIdentical !== false ? 0 : 1;
  console.log(JSON.stringify(result));
}
