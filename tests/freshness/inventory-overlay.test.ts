// Who-can-assume-what between scans: role, trust and OIDC provider events
// (through the sandbox's CloudTrail -> SQS queue and the consumer) are recorded
// as inventory changes, and the inventory view applies them to the latest scan's
// analysis on every replica; the result is what a full analysis of the patched
// snapshot gives, and a new scan supersedes them.
import { CreatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { CreateRoleCommand, DeleteOpenIDConnectProviderCommand, DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { beforeEach, describe, expect, it } from "vitest";
import { EksGateway, EventsQueueGateway, IamGateway } from "@/lib/aws";
import { ChangeEventsConsumer } from "@/lib/freshness";
import { analyzeSnapshot } from "@/lib/inventory/analysis";
import { pruneInventoryChanges, recordInventoryChange, scanStartSecond } from "@/lib/inventory/changes";
import { startScan } from "@/lib/inventory/scan/service";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import { getInventoryView, type InventoryView } from "@/lib/inventory/views/inventory-view";
import { roleDetail } from "@/lib/inventory/views/role-detail";
import { canonical } from "../support/analysis";
import { clients } from "../support/aws-world";
import { drainChangeEvents } from "../support/change-events";
import { PI_ROLE, PROD, TARGETS } from "../support/constants";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice"], sandbox: true, mappings: true });
const outside = () => clients(w.sandbox.awsEndpoint);
const PI_ROLE_NAME = "domino-pi-unmapped";

function makeConsumer() {
  const deps = { prisma: w.prisma, eks: new EksGateway(w.pool), iam: new IamGateway(w.pool), targets: TARGETS, kinds: w.deps.kinds };
  return new ChangeEventsConsumer(deps, new EventsQueueGateway(w.pool, w.sandbox.eventsQueueUrl), { waitSeconds: 1, log: () => {} });
}
/** Polls until the queue is empty, failed messages retried (what the running consumer does). */
const drain = () => drainChangeEvents(makeConsumer());
async function scan(): Promise<string> {
  const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "alice");
  expect(await run.done).toBe("succeeded");
  return run.scanId!;
}
async function view(): Promise<InventoryView> {
  const v = await getInventoryView(w.prisma);
  expect(v).not.toBeNull();
  return v!;
}
/** Another replica: its own process cache, the same database. */
async function viewOfAnotherReplica(): Promise<InventoryView> {
  const g = globalThis as unknown as { __rolegateInventoryView?: unknown };
  const mine = g.__rolegateInventoryView;
  g.__rolegateInventoryView = undefined;
  try {
    return await view();
  } finally {
    g.__rolegateInventoryView = mine;
  }
}
/** The view's analysis is a full analysis of its (patched) snapshot (the same edges, mappings and findings; appended roles come later in the lists). */
function expectFullAnalysis(v: InventoryView) {
  const full = analyzeSnapshot(JSON.parse(JSON.stringify(v.snapshot)) as InventorySnapshot);
  expect(canonical(v.analysis)).toEqual(canonical(full));
}
/** A cluster with an IRSA issuer whose provider the account has, and one of its service accounts. */
function irsaTarget(s: InventorySnapshot) {
  for (const c of s.clusters) {
    const path = c.oidcIssuer?.replace(/^https:\/\//, "");
    const provider = path && s.oidcProviders.find((p) => p.url === path);
    const sa = c.serviceAccounts.find((x) => !x.annotations["eks.amazonaws.com/role-arn"]);
    if (provider && sa) return { cluster: c, path, provider, sa };
  }
  throw new Error("the sandbox has no cluster with an OIDC provider and a service account");
}
const irsaTrust = (providerArn: string, path: string, ns: string, sa: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${path}:sub`]: `system:serviceaccount:${ns}:${sa}`, [`${path}:aud`]: "sts.amazonaws.com" } } }],
  });
const rowsOf = (v: InventoryView, roleArn: string) => v.accessRows.filter((r) => r.roleArn === roleArn && r.effective);

let scanId: string;
beforeEach(async () => {
  scanId = await scan();
});

describe("inventory changes between scans", () => {
  it("an out-of-band trust update that newly trusts a service account shows in the access rows and the role page without a scan, on every replica", async () => {
    const before = await view();
    expect(before.scanId).toBe(scanId);
    const { cluster, path, provider, sa } = irsaTarget(before.snapshot);
    const isThePair = (r: { cluster: string; namespace: string; serviceAccount: string }) => r.cluster === cluster.name && r.namespace === sa.namespace && r.serviceAccount === sa.name;
    expect(rowsOf(before, PI_ROLE).filter(isThePair)).toEqual([]);

    await outside().iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: PI_ROLE_NAME, PolicyDocument: irsaTrust(provider.arn, path, sa.namespace, sa.name) }));
    await drain();
    expect(await w.prisma.inventoryChange.count({ where: { kind: "role", key: `${PROD}/${PI_ROLE_NAME}` } })).toBe(1);

    const after = await view();
    expect(after.scanId).toBe(scanId);
    expect(rowsOf(after, PI_ROLE).filter(isThePair).map((r) => r.mechanism)).toEqual(["irsa"]);
    expect(after.snapshot.roles.find((r) => r.arn === PI_ROLE)!.trustPolicy).toContain(sa.name);
    const detail = roleDetail(after.snapshot, after.analysis, PI_ROLE)!;
    expect(detail.mappings.some((m) => m.cluster === cluster.name && m.namespace === sa.namespace && m.serviceAccount === sa.name)).toBe(true);
    expectFullAnalysis(after);
    // The view before keeps its own snapshot (later deltas do not reach into it).
    expect(before.snapshot.roles.find((r) => r.arn === PI_ROLE)!.trustPolicy).not.toContain(sa.name);
    // Nothing new: the same view object (one query, no recomputation).
    expect(await view()).toBe(after);
    // A replica that starts now: the scan's snapshot plus the change, the same rows.
    const other = await viewOfAnotherReplica();
    expect(other.accessRows).toEqual(after.accessRows);
    expect(other.analysis).toEqual(after.analysis);
  });

  it("a created role gains its edges and a deleted role loses them; each matches a full analysis", async () => {
    const first = await view();
    const { cluster, path, provider, sa } = irsaTarget(first.snapshot);
    await outside().iam.send(new CreateRoleCommand({ RoleName: "oob-created", Path: "/", AssumeRolePolicyDocument: irsaTrust(provider.arn, path, sa.namespace, sa.name) }));
    await drain();
    const created = await view();
    const arn = `arn:aws:iam::${PROD}:role/oob-created`;
    expect(rowsOf(created, arn).map((r) => [r.cluster, r.namespace, r.serviceAccount, r.mechanism])).toEqual([[cluster.name, sa.namespace, sa.name, "irsa"]]);
    expectFullAnalysis(created);

    // A role the scan saw with IRSA edges, deleted outside RoleGate (its policies first, as IAM requires).
    const victim = first.analysis.edges.irsa.find((e) => e.roleArn.includes(`::${PROD}:role/`) && e.roleArn !== arn)!;
    expect(victim).toBeDefined();
    const roleName = victim.roleArn.split("/").pop()!;
    const iam = outside().iam;
    for (const p of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? []) await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: p.PolicyArn }));
    for (const name of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? []) await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    await iam.send(new DeleteRoleCommand({ RoleName: "oob-created" }));
    await drain();
    const deleted = await view();
    expect(deleted.scanId).toBe(scanId);
    expect([...deleted.analysis.edges.irsa, ...deleted.analysis.edges.podIdentity].filter((e) => e.roleArn === victim.roleArn || e.roleArn === arn)).toEqual([]);
    expect(deleted.snapshot.roles.some((r) => r.arn === victim.roleArn || r.arn === arn)).toBe(false);
    expect(roleDetail(deleted.snapshot, deleted.analysis, victim.roleArn)).toBeNull();
    expectFullAnalysis(deleted);
    expect((await viewOfAnotherReplica()).analysis).toEqual(deleted.analysis);
  });

  it("a new scan supersedes the changes: those before its start are deleted and never re-applied, later ones apply on top of it", async () => {
    const v1 = await view();
    const { path, provider, sa } = irsaTarget(v1.snapshot);
    await outside().iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: PI_ROLE_NAME, PolicyDocument: irsaTrust(provider.arn, path, sa.namespace, sa.name) }));
    await drain();
    expect(await w.prisma.inventoryChange.count()).toBeGreaterThan(0);

    // The scan starts in a later second than the event (event times are to the second): it has read the change.
    await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
    const second = await scan();
    expect(await w.prisma.inventoryChange.count()).toBe(0);
    const v2 = await view();
    expect(v2.scanId).toBe(second);
    // The scan read the trust itself.
    expect(v2.snapshot.roles.find((r) => r.arn === PI_ROLE)!.trustPolicy).toContain(sa.name);

    // A change whose event came before the scan started (a late message) is not applied: the scan is newer.
    const started = (await w.prisma.scan.findUniqueOrThrow({ where: { id: second } })).startedAt;
    await w.prisma.$transaction((tx) => recordInventoryChange(tx, new Date(started.getTime() - 1000), { kind: "role", accountId: PROD, roleName: PI_ROLE_NAME, role: null }));
    const v3 = await view();
    expect(v3.snapshot.roles.some((r) => r.arn === PI_ROLE)).toBe(true);
    expect(v3.analysis).toEqual(v2.analysis);

    // A later event applies on top of the new scan.
    await outside().iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: PI_ROLE_NAME, PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] }) }));
    await drain();
    const v4 = await view();
    expect(v4.scanId).toBe(second);
    expect(rowsOf(v4, PI_ROLE).filter((r) => r.mechanism === "irsa")).toEqual([]);
    expectFullAnalysis(v4);

    // An event in the second the scan started in may have come after the scan read what it touched (CloudTrail
    // times are to the second): it applies on top of the scan, and the scan's save does not prune it.
    await w.prisma.$transaction((tx) => recordInventoryChange(tx, scanStartSecond(started), { kind: "role", accountId: PROD, roleName: PI_ROLE_NAME, role: null }));
    const v5 = await view();
    expect(v5.snapshot.roles.some((r) => r.arn === PI_ROLE)).toBe(false);
    expectFullAnalysis(v5);
    const sameSecond = { where: { eventTime: scanStartSecond(started) } };
    const kept = await w.prisma.inventoryChange.count(sameSecond);
    expect(kept).toBeGreaterThanOrEqual(1);
    await w.prisma.$transaction((tx) => pruneInventoryChanges(tx, started));
    expect(await w.prisma.inventoryChange.count(sameSecond)).toBe(kept);
  });

  it("an association created and an OIDC provider deleted out of band reach the view too, as a full analysis of the patched snapshot", async () => {
    const v1 = await view();
    const { cluster, provider, sa } = irsaTarget(v1.snapshot);
    const podTrusting = v1.snapshot.roles.find((r) => r.arn === PI_ROLE)!;
    expect(podTrusting.trustPolicy).toContain("pods.eks.amazonaws.com");
    const created = await outside().eks.send(new CreatePodIdentityAssociationCommand({ clusterName: cluster.name, namespace: sa.namespace, serviceAccount: sa.name, roleArn: PI_ROLE }));
    await outside().iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: provider.arn }));
    await drain();
    const v2 = await view();
    expect(v2.scanId).toBe(scanId);
    const row = rowsOf(v2, PI_ROLE).find((r) => r.cluster === cluster.name && r.namespace === sa.namespace && r.serviceAccount === sa.name);
    expect(row?.associationId).toBe(created.association!.associationId);
    expect(v2.snapshot.oidcProviders.some((p) => p.arn === provider.arn)).toBe(false);
    expect(v1.snapshot.oidcProviders.some((p) => p.arn === provider.arn)).toBe(true);
    expectFullAnalysis(v2);
    expect((await viewOfAnotherReplica()).analysis).toEqual(v2.analysis);
  });
});
