// The incremental analysis must give exactly what a full analyzeSnapshot() of
// the same model gives: edges (IRSA, Pod Identity with cross-account targets,
// patterns), mappings and findings, after any sequence of deltas.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeSnapshot } from "@/lib/inventory/analysis";
import { analysisOf, applyDelta, buildAnalysisIndex, buildAnalysisIndexAsync, diffSnapshots, edgesOf, findingsOfAsync, updateAnalysisIndex, type AnalysisDelta } from "@/lib/inventory/analysis/incremental";
import type { InventorySnapshot, SnapshotRole } from "@/lib/inventory/snapshot-types";
import { canonical, sorted } from "@/tests/support/analysis";
import { ACCOUNTS, applyToModel, delta, model, plausible, roleArn } from "@/tests/support/analysis/incremental-model";


/** Applies the plausible deltas to the index and to a plain model; compares after each one, or once at the end. */
function replay(start: InventorySnapshot, deltas: AnalysisDelta[], compareEach: boolean): void {
  const index = buildAnalysisIndex(start);
  if (compareEach) expect(canonical(analysisOf(index))).toEqual(canonical(analyzeSnapshot(start)));
  let current = start;
  for (const d of deltas) {
    if (!plausible(current, d)) continue;
    current = applyToModel(current, d);
    applyDelta(index, d);
    if (compareEach) expect(canonical(analysisOf(index))).toEqual(canonical(analyzeSnapshot(current)));
  }
  expect(canonical(analysisOf(index))).toEqual(canonical(analyzeSnapshot(current)));
}

describe("incremental analysis", () => {
  it("equals a full recomputation after every delta of random sequences", () => {
    fc.assert(fc.property(model, fc.array(delta, { minLength: 1, maxLength: 8 }), (start, deltas) => replay(start, deltas, true)), { numRuns: 150 });
  });

  it("equals a full recomputation when several deltas land before the findings are read", () => {
    fc.assert(fc.property(model, fc.array(delta, { minLength: 2, maxLength: 10 }), (start, deltas) => replay(start, deltas, false)), { numRuns: 150 });
  });

  it("catches up with a new scan by diffing it against the index's model", () => {
    fc.assert(
      fc.property(model, model, (a, b) => {
        const sameMeta = { ...b, accounts: a.accounts, errors: a.errors };
        const { index, deltas } = updateAnalysisIndex(buildAnalysisIndex(a), sameMeta);
        expect(canonical(analysisOf(index))).toEqual(canonical(analyzeSnapshot(sameMeta)));
        // Only reordered clusters force a fresh index.
        if (deltas === null) expect(diffSnapshots(a, sameMeta)).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it("builds and reads findings in slices with the same result (the web process's variant)", async () => {
    const [start, deltas] = fc.sample(fc.tuple(model, fc.array(delta, { minLength: 3, maxLength: 6 })), { numRuns: 1, seed: 7 })[0]!;
    const index = await buildAnalysisIndexAsync(start, 0);
    let current = start;
    for (const d of deltas.filter((x) => plausible(start, x))) {
      if (!plausible(current, d)) continue;
      current = applyToModel(current, d);
      applyDelta(index, d);
    }
    expect(sorted(await findingsOfAsync(index, 0))).toEqual(sorted(analyzeSnapshot(current).findings));
  });

  it("does not change the snapshot it was built from", () => {
    fc.assert(
      fc.property(model, fc.array(delta, { maxLength: 6 }), (start, deltas) => {
        const before = JSON.stringify(start);
        const index = buildAnalysisIndex(start);
        for (const d of deltas) applyDelta(index, d);
        expect(JSON.stringify(start)).toBe(before);
      }),
      { numRuns: 50 },
    );
  });
});

// Focused cases on a small hand-written estate.
const [A, B] = ACCOUNTS;
const HOST = "oidc.eks.us-east-1.amazonaws.com/id/AAAA1111";
const FED = `arn:aws:iam::${A}:oidc-provider/${HOST}`;
const CLUSTER = `arn:aws:eks:us-east-1:${A}:cluster/c0`;
const irsaRole = (name: string, cond: Record<string, unknown>, account: string = A): SnapshotRole => ({
  accountId: account, roleName: name, arn: roleArn(account, name), path: "/", inlinePolicies: {}, attachedPolicyArns: [], tags: {},
  trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: FED }, Action: "sts:AssumeRoleWithWebIdentity", Condition: cond }] }),
});
const sa = (namespace: string, name: string, annotations: Record<string, string> = {}) => ({ namespace, name, creationTimestamp: "2026-01-01T00:00:00Z", annotations });
const estate = (): InventorySnapshot => ({
  scannedAt: "2026-05-01T00:00:00Z",
  accounts: [{ accountId: A, regions: ["us-east-1"] }, { accountId: B, regions: ["us-east-1"] }],
  clusters: [{
    accountId: A, region: "us-east-1", name: "c0", arn: CLUSTER, status: "ACTIVE", oidcIssuer: `https://${HOST}`, podIdentityAgentInstalled: true, nodegroups: [], pods: [],
    serviceAccounts: [sa("team-a", "app"), sa("team-a", "app-x"), sa("team-b", "worker", { "eks.amazonaws.com/role-arn": roleArn(A, "exact") })],
    associations: [{
      associationId: "a-1", associationArn: "arn:assoc/a-1", namespace: "team-b", serviceAccount: "worker", roleArn: roleArn(A, "pi"), targetRoleArn: roleArn(B, "target"), externalId: "x1",
      disableSessionTags: false, tags: {}, createdAt: "2026-02-01T00:00:00Z", modifiedAt: "2026-02-01T00:00:00Z",
    }],
  }],
  roles: [
    irsaRole("exact", { StringEquals: { [`${HOST}:sub`]: "system:serviceaccount:team-b:worker" } }),
    irsaRole("like", { StringLike: { [`${HOST}:sub`]: "system:serviceaccount:team-a:app*" } }),
    { ...irsaRole("pi", {}), trustPolicy: JSON.stringify({ Statement: { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] } }) },
    { ...irsaRole("target", {}, B), trustPolicy: JSON.stringify({ Statement: { Effect: "Allow", Principal: { AWS: roleArn(A, "pi") }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition: { StringEquals: { "sts:ExternalId": "x1" } } } }) },
  ],
  oidcProviders: [{ accountId: A, arn: FED, url: HOST, clientIds: ["sts.amazonaws.com"] }],
  errors: [],
});

/** Applies the delta both ways and checks the index against a full analysis; returns the reported changes. */
function step(index: ReturnType<typeof buildAnalysisIndex>, current: InventorySnapshot, d: AnalysisDelta) {
  const changes = applyDelta(index, d);
  const next = applyToModel(current, d);
  expect(canonical(analysisOf(index))).toEqual(canonical(analyzeSnapshot(next)));
  return { changes, next };
}
const irsaKeys = (xs: { mechanism: string; namespace: string; serviceAccount: string; roleArn: string }[]) => xs.filter((e) => e.mechanism === "irsa").map((e) => `${e.namespace}/${e.serviceAccount} -> ${e.roleArn.split("/").pop()}`).sort();

describe("incremental analysis: focused deltas", () => {
  it("a StringLike :sub widened to a wildcard namespace adds exactly the newly matching SAs", () => {
    const s = estate();
    const index = buildAnalysisIndex(s);
    const { changes } = step(index, s, { kind: "role-upsert", role: irsaRole("like", { StringLike: { [`${HOST}:sub`]: "system:serviceaccount:*:*" } }) });
    expect(irsaKeys(changes.added)).toEqual(["team-b/worker -> like"]);
    expect(changes.removed).toEqual([]);
    expect(changes.patterns.added.map((p) => p.label)).toEqual(["SAs matching *:*"]);
  });

  it("a wildcard trust condition with no :sub lets every SA of the cluster in (any-sa)", () => {
    const s = estate();
    const index = buildAnalysisIndex(s);
    const { changes } = step(index, s, { kind: "role-upsert", role: irsaRole("aud", { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" } }) });
    expect(irsaKeys(changes.added)).toEqual(["team-a/app -> aud", "team-a/app-x -> aud", "team-b/worker -> aud"]);
    expect(edgesOf(index).irsa.filter((e) => e.roleArn.endsWith("/aud")).every((e) => e.via === "any-sa")).toBe(true);
  });

  it("a new SA is matched against existing StringLike trusts only", () => {
    const s = estate();
    const index = buildAnalysisIndex(s);
    const { changes } = step(index, s, { kind: "service-account-upsert", clusterArn: CLUSTER, serviceAccount: sa("team-a", "app-new") });
    expect(irsaKeys(changes.added)).toEqual(["team-a/app-new -> like"]);
    expect(changes.patterns.added[0]!.matches).toEqual(["team-a/app", "team-a/app-x", "team-a/app-new"]);
  });

  it("an SA removed takes its edges along, and its annotation's finding goes too", () => {
    let s = estate();
    const index = buildAnalysisIndex(s);
    ({ next: s } = step(index, s, { kind: "role-upsert", role: irsaRole("exact", { StringEquals: { [`${HOST}:sub`]: "system:serviceaccount:team-b:other" } }) }));
    expect(analysisOf(index).findings.some((f) => f.kind === "irsa-annotation-not-trusted")).toBe(true);
    let changes;
    ({ changes, next: s } = step(index, s, { kind: "service-account-remove", clusterArn: CLUSTER, namespace: "team-b", name: "worker" }));
    expect(changes.added).toEqual([]);
    expect(analysisOf(index).findings.some((f) => f.kind === "irsa-annotation-not-trusted")).toBe(false);
    const gone = step(index, s, { kind: "service-account-remove", clusterArn: CLUSTER, namespace: "team-a", name: "app" });
    expect(irsaKeys(gone.changes.removed)).toEqual(["team-a/app -> like"]);
  });

  it("a role deleted: its IRSA edges go, the association using it reports the missing role", () => {
    let s = estate();
    const index = buildAnalysisIndex(s);
    ({ next: s } = step(index, s, { kind: "role-remove", roleArn: roleArn(A, "exact") }));
    expect(edgesOf(index).irsa.some((e) => e.roleArn === roleArn(A, "exact"))).toBe(false);
    const { changes } = step(index, s, { kind: "role-remove", roleArn: roleArn(A, "pi") });
    const pi = changes.added.find((e) => e.mechanism === "pod-identity");
    expect(pi && pi.mechanism === "pod-identity" && pi.roleExists).toBe(false);
    expect(analysisOf(index).findings.map((f) => f.kind)).toContain("association-role-missing");
  });

  it("cross-account: the target's trust changing its external id flips the chain and its finding", () => {
    const s = estate();
    const index = buildAnalysisIndex(s);
    const target = s.roles.find((r) => r.roleName === "target")!;
    const { changes } = step(index, s, { kind: "role-upsert", role: { ...target, trustPolicy: target.trustPolicy.replace('"x1"', '"x2"') } });
    const e = changes.added.find((x) => x.mechanism === "pod-identity");
    expect(e?.mechanism === "pod-identity" && e.target?.allowed).toBe(false);
    expect(changes.removed).toHaveLength(1);
    expect(analysisOf(index).findings.map((f) => f.kind)).toContain("cross-account-external-id-mismatch");
  });

  it("a role change that changes nothing reports no edge changes", () => {
    const s = estate();
    const index = buildAnalysisIndex(s);
    const { changes } = step(index, s, { kind: "role-upsert", role: { ...s.roles[1]!, tags: { team: "a" } } });
    expect(changes).toEqual({ added: [], removed: [], patterns: { added: [], removed: [] } });
  });
});
