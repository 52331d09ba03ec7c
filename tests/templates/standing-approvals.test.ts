// Standing approvals (issue 13): a template approved once maps the new
// service accounts it matches within one mappings refresh, through the normal
// apply path, with an audit row naming the template; revoking it files one
// request that removes every mapping it made; it can never grant more than the
// approver's approval policy; maxMappings is enforced. Real Postgres, the
// sandbox's AWS and Kubernetes APIs over HTTP (service accounts and pods are
// created through the sandbox's Kubernetes API).
import { beforeAll, describe, expect, it } from "vitest";
import type { CoreV1Api } from "@kubernetes/client-node";
import { EksGateway } from "@/lib/aws";
import { DomainError } from "@/lib/core/errors";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { startScan } from "@/lib/inventory/scan/service";
import { approveRequest } from "@/lib/requests/approve-request";
import { createApprovalPolicyVersion } from "@/lib/requests/approval-policies";
import { buildItemKinds } from "@/lib/runtime";
import { fileMappingRequest, fileTemplate, listTemplates, matchTemplates, revokeTemplate, templateRequestSchema, type TemplateDeps } from "@/lib/templates";
import { PI_ROLE, OTHER_PI_ROLE, TARGETS } from "../support/constants";
import { runner, sandboxAssociations } from "../support/requests";
import { kubeApi } from "../support/sandbox-kube";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy", "ian", "root"], sandbox: true, mappings: true, reset: "once" });
const { alice, ivy, ian, root } = w.users;
const GREEN = "domino-green";
const NS = "domino-compute";
const PI_ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
let deps: TemplateDeps;
let k8s: CoreV1Api;

beforeAll(async () => {
  w.deps.kinds = buildItemKinds({ restart: { kube: w.kube, kubeAccess: w.kubeAccess, deletionsPerSecond: 50 } });
  deps = { prisma: w.prisma, kube: w.kube, kinds: w.deps.kinds, targets: TARGETS };
  k8s = await kubeApi(w.kubeAccess, GREEN);
});

/** A mappings refresh as the app wires it: the active templates are matched after it. */
async function refresh() {
  const r = await startMappingRefresh({ prisma: w.prisma, eks: new EksGateway(w.pool), targets: TARGETS, afterRefresh: () => matchTemplates(deps) }, "test");
  await r.done;
}

const template = (over: Record<string, unknown> = {}) =>
  templateRequestSchema.parse({ kind: "template", name: "domino-jobs", clusters: [GREEN], namespace: NS, serviceAccountPattern: "dmjob-*", roleArn: PI_ROLE, ...over });

async function approvedTemplate(over: Record<string, unknown> = {}) {
  const filed = await fileTemplate(deps, alice, template(over));
  await approveRequest(w.deps, ivy, { id: filed.id });
  await runner(w).drain();
  return filed;
}

const newSa = (name: string) => k8s.createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name } } });
/** A Domino run's pod (owned by a Job, so a deleted one is re-created by its controller). */
const newPod = (sa: string) =>
  k8s.createNamespacedPod({
    namespace: NS,
    body: { metadata: { generateName: `${sa}-`, ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: `run-${sa}`, uid: "00000000-0000-0000-0000-000000000001" }] }, spec: { serviceAccountName: sa, containers: [{ name: "run", image: "domino" }] } },
  });
const saPods = async (sa: string) => (await w.kube.listPods(GREEN, { namespace: NS })).filter((p) => p.serviceAccountName === sa);
const autoApprovals = (template: string) => w.prisma.auditEvent.findMany({ where: { event: "request.auto_approved", details: { path: ["template"], equals: template } }, orderBy: { id: "asc" } });

async function expectDomainError(p: Promise<unknown>, code: string, message: RegExp) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  // A 400's reasons are per field.
  expect(`${(err as DomainError).message} ${JSON.stringify((err as DomainError).fields ?? {})}`).toMatch(message);
}

describe("a standing approval maps new Domino service accounts", () => {
  it("approved once, it maps three new dmjob-* SAs within one refresh (audit rows name the template), restarts their credential-less pods, and leaves an SA outside the pattern alone", async () => {
    const filed = await approvedTemplate();
    expect(await w.prisma.associationTemplate.findUniqueOrThrow({ where: { id: filed.templateId } })).toMatchObject({ status: "active", version: 1, approvedBy: "ivy" });
    expect(await w.prisma.auditEvent.count({ where: { event: "template.activated", subject: "template:domino-jobs" } })).toBe(1);

    for (const sa of ["dmjob-a1", "dmjob-b2", "dmjob-c3", "svc-not-a-job"]) await newSa(sa);
    const early = await newPod("dmjob-a1");
    expect(early.spec?.containers[0]?.env ?? []).toEqual([]);

    await refresh();
    await runner(w).drain();

    for (const sa of ["dmjob-a1", "dmjob-b2", "dmjob-c3"]) {
      expect(sandboxAssociations(w, GREEN, NS, sa).map((a) => a.roleArn)).toEqual([PI_ROLE]);
    }
    expect(sandboxAssociations(w, GREEN, NS, "svc-not-a-job")).toHaveLength(0);
    const rows = await autoApprovals("domino-jobs");
    expect(rows.map((r) => r.serviceAccount).sort()).toEqual(["dmjob-a1", "dmjob-b2", "dmjob-c3"]);
    for (const r of rows) {
      expect(r.details).toMatchObject({ policy: 'template "domino-jobs" v1', template: "domino-jobs", templateVersion: 1, templateId: filed.templateId, templateRequestId: filed.id });
      expect(r.actor).toBe("rolegate-system");
    }
    const mapped = await w.prisma.requestItem.findMany({ where: { kind: "create", templateId: filed.templateId }, include: { request: true } });
    expect(mapped.map((i) => [i.request.status, i.status, i.outcome])).toEqual(Array(3).fill(["applied", "applied", "created"]));

    // The pod that started without credentials was restarted: its Job re-created it, now with Pod Identity credentials.
    expect(await w.prisma.podRestart.findFirstOrThrow({ where: { podUid: early.metadata!.uid! } })).toMatchObject({ status: "deleted", reason: "before-association" });
    const now = await saPods("dmjob-a1");
    expect(now.map((p) => p.uid)).not.toContain(early.metadata!.uid);
    expect(now).toHaveLength(1);
    expect(PI_ENV in now[0]!.credentialEnv).toBe(true);

    // Idempotent: the next refresh files nothing more.
    await refresh();
    await runner(w).drain();
    expect(await autoApprovals("domino-jobs")).toHaveLength(3);
  }, 120_000);

  it("a requester maps one more SA under the template and it applies at once; a name outside the pattern is refused", async () => {
    const t = await w.prisma.associationTemplate.findFirstOrThrow({ where: { name: "domino-jobs", status: "active" } });
    await newSa("dmjob-d4");
    const r = await fileMappingRequest(deps, alice, { id: t.id, cluster: GREEN, serviceAccount: "dmjob-d4" });
    expect(r.status).toBe("approved");
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "dmjob-d4")).toHaveLength(1);
    const row = await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "request.auto_approved", requestId: r.id } });
    expect(row).toMatchObject({ actor: "alice", details: expect.objectContaining({ template: "domino-jobs", templateVersion: 1 }) });
    await expectDomainError(fileMappingRequest(deps, alice, { id: t.id, cluster: GREEN, serviceAccount: "svc-not-a-job" }), "invalid", /does not match/);
    await expectDomainError(fileMappingRequest(deps, alice, { id: t.id, cluster: GREEN, serviceAccount: "dmjob-d4" }), "conflict", /already mapped under "domino-jobs"/);
  }, 60_000);

  it("editing files version 2, which needs approval again; version 1 keeps matching until version 2 is applied", async () => {
    const v2 = await fileTemplate(deps, alice, template({ roleArn: OTHER_PI_ROLE }));
    expect(v2.version).toBe(2);
    await newSa("dmjob-e5");
    await refresh();
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "dmjob-e5").map((a) => a.roleArn)).toEqual([PI_ROLE]);
    await expectDomainError(fileTemplate(deps, alice, template()), "conflict", /v2 is awaiting approval/);

    await approveRequest(w.deps, ivy, { id: v2.id });
    await runner(w).drain();
    const versions = await w.prisma.associationTemplate.findMany({ where: { name: "domino-jobs" }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.status)).toEqual(["superseded", "active"]);
    await newSa("dmjob-f6");
    await refresh();
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "dmjob-f6").map((a) => a.roleArn)).toEqual([OTHER_PI_ROLE]);
  }, 120_000);

  it("revoking the template stops it at once and files one request that removes every mapping it made", async () => {
    const t = await w.prisma.associationTemplate.findFirstOrThrow({ where: { name: "domino-jobs", status: "active" } });
    const made = ["dmjob-a1", "dmjob-b2", "dmjob-c3", "dmjob-d4", "dmjob-e5", "dmjob-f6"];
    const r = await revokeTemplate(deps, ivy, { id: t.id, justification: "The Domino job project was retired." });
    expect(r.mappings).toBe(made.length);
    expect(await w.prisma.associationTemplate.count({ where: { name: "domino-jobs", status: { not: "revoked" } } })).toBe(0);
    const revoked = await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "template.revoked", subject: "template:domino-jobs" } });
    expect(revoked.requestId).toBe(r.id);

    // No new mapping while the revocation waits for its approval.
    await newSa("dmjob-g7");
    await refresh();
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "dmjob-g7")).toHaveLength(0);

    const items = await w.prisma.requestItem.findMany({ where: { requestId: r.id! }, orderBy: { position: "asc" } });
    expect(items.filter((i) => i.kind === "delete").map((i) => i.serviceAccount).sort()).toEqual(made);
    await approveRequest(w.deps, ian, { id: r.id! });
    await runner(w).drain();
    for (const sa of made) expect(sandboxAssociations(w, GREEN, NS, sa)).toHaveLength(0);
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id! } })).status).toBe("applied");
    await expectDomainError(revokeTemplate(deps, ivy, { id: t.id, justification: "Once more, to be sure." }), "conflict", /already revoked/);
  }, 120_000);

  it("maxMappings caps the mappings in force: the third SA is not mapped, by a refresh or by a requester", async () => {
    const filed = await approvedTemplate({ name: "capped", serviceAccountPattern: "cap-*", maxMappings: 2, mappingTtlDays: 7 });
    for (const sa of ["cap-1", "cap-2", "cap-3"]) await newSa(sa);
    const summary = await matchTemplates(deps);
    expect(summary.filed.map((f) => f.serviceAccount)).toEqual(["cap-1", "cap-2"]);
    expect(summary.skipped).toEqual([expect.objectContaining({ serviceAccount: "cap-3", reason: expect.stringMatching(/its maximum \(2\)/) })]);
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "cap-3")).toHaveLength(0);
    const items = await w.prisma.requestItem.findMany({ where: { templateId: filed.templateId, kind: "create" } });
    expect(items).toHaveLength(2);
    // mappingTtlDays: each mapping expires 7 days after it was filed.
    for (const i of items) expect(Math.round((i.mappingExpiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(7);
    await expectDomainError(fileMappingRequest(deps, alice, { id: filed.templateId, cluster: GREEN, serviceAccount: "cap-3" }), "conflict", /its maximum \(2\)/);
  }, 120_000);
});

describe("scans, concurrency and expiry", () => {
  it("an inventory scan maps a new SA too; two matchings at the same moment file it once; an expired template maps nothing", async () => {
    const filed = await approvedTemplate({ name: "scanned", serviceAccountPattern: "scan-*" });
    await newSa("scan-1");
    const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool), afterScan: () => matchTemplates(deps) }, "manual", "test");
    expect(await run.done).not.toBe("failed");
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "scan-1")).toHaveLength(1);

    for (const sa of ["scan-2", "scan-3"]) await newSa(sa);
    const [a, b] = await Promise.all([matchTemplates(deps), matchTemplates(deps)]);
    expect([...a.filed, ...b.filed].map((f) => f.serviceAccount).sort()).toEqual(["scan-2", "scan-3"]);
    // Whichever run came second either saw them mapped already or lost the claim to the first.
    for (const skip of [...a.skipped, ...b.skipped].filter((s) => s.template === "scanned")) expect(skip.reason).toMatch(/already mapped/);
    expect(await w.prisma.requestItem.count({ where: { templateId: filed.templateId, kind: "create" } })).toBe(3);

    await w.prisma.associationTemplate.update({ where: { id: filed.templateId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await newSa("scan-4");
    expect((await matchTemplates(deps)).filed).toEqual([]);
    await expectDomainError(fileMappingRequest(deps, alice, { id: filed.templateId, cluster: GREEN, serviceAccount: "scan-4" }), "conflict", /is expired/);
  }, 120_000);
});

describe("revocation while a mapping is on its way", () => {
  it("is refused (409) while a mapping of the template is approved but not applied, so no mapping can outlive the revocation", async () => {
    const filed = await approvedTemplate({ name: "inflight", serviceAccountPattern: "fly-*" });
    await newSa("fly-1");
    expect((await matchTemplates(deps)).filed.map((f) => f.serviceAccount)).toEqual(["fly-1"]);
    await expectDomainError(revokeTemplate(deps, ivy, { id: filed.templateId, justification: "Stop the fly jobs now." }), "conflict", /being applied right now/);
    expect((await w.prisma.associationTemplate.findUniqueOrThrow({ where: { id: filed.templateId } })).status).toBe("active");
    await runner(w).drain();
    const r = await revokeTemplate(deps, ivy, { id: filed.templateId, justification: "Stop the fly jobs now." });
    expect(r.mappings).toBe(1);
  }, 60_000);
});

describe("a template never grants more than its approver's policy", () => {
  it("a template broader than the approver's approval policy is refused with the reason; a narrower one is approved; an admin cannot approve one", async () => {
    await createApprovalPolicyVersion(w.prisma, root, {
      name: "green-compute", previousVersion: 0, requiredApprovals: 1, approverRole: "approver",
      clusterPattern: "domino-green", namespacePattern: NS, rolePattern: "arn:aws:iam::111122223333:role/domino/*", active: true,
    });
    const broad = await fileTemplate(deps, alice, template({ name: "everywhere", clusters: ["domino-*"], serviceAccountPattern: "wide-*" }));
    await expectDomainError(approveRequest(w.deps, ivy, { id: broad.id }), "conflict", /grants more than any approval policy of the approver role allows.*cluster "domino-\*" is not within "domino-green"/);
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: broad.id } })).status).toBe("pending");
    expect(await w.prisma.review.count({ where: { requestId: broad.id } })).toBe(0);
    expect((await w.prisma.associationTemplate.findUniqueOrThrow({ where: { id: broad.templateId } })).status).toBe("pending");

    const otherRole = await fileTemplate(deps, alice, template({ name: "other-role", serviceAccountPattern: "x-*", roleArn: "arn:aws:iam::111122223333:role/platform-admin" }));
    await expectDomainError(approveRequest(w.deps, ivy, { id: otherRole.id }), "conflict", /role "arn:aws:iam::111122223333:role\/platform-admin" is not within/);

    const narrow = await fileTemplate(deps, alice, template({ name: "green-only", serviceAccountPattern: "narrow-*" }));
    await expectDomainError(approveRequest(w.deps, root, { id: narrow.id }), "forbidden", /only the IAM team/);
    await approveRequest(w.deps, ivy, { id: narrow.id });
    await runner(w).drain();
    expect((await w.prisma.associationTemplate.findUniqueOrThrow({ where: { id: narrow.templateId } })).status).toBe("active");
  }, 60_000);

  it("a policy limited to an account or region covers a template only when every cluster it names lives there (a glob never)", async () => {
    const base = { previousVersion: 0, requiredApprovals: 1, approverRole: "approver" as const, clusterPattern: "*", namespacePattern: "*", rolePattern: "*", active: true };
    // Only the policies made here count (the previous test's green-compute would be the closest).
    await w.prisma.approvalPolicy.updateMany({ data: { active: false } });
    // Covers everything but the account: without the account check it would cover the templates below.
    await createApprovalPolicyVersion(w.prisma, root, { ...base, name: "other-account", accountPattern: "999988887777" });
    const elsewhere = await fileTemplate(deps, alice, template({ name: "team-ns", namespace: "team-a", serviceAccountPattern: "t-*" }));
    await expectDomainError(approveRequest(w.deps, ivy, { id: elsewhere.id }), "conflict", /cluster "domino-green" is in 111122223333\/us-east-1, not within account "999988887777"/);
    await createApprovalPolicyVersion(w.prisma, root, { ...base, name: "prod-east", accountPattern: "111122223333", regionPattern: "us-east-1" });
    const glob = await fileTemplate(deps, alice, template({ name: "team-glob", clusters: ["domino-g*"], namespace: "team-a", serviceAccountPattern: "g-*" }));
    await expectDomainError(approveRequest(w.deps, ivy, { id: glob.id }), "conflict", /cluster "domino-g\*" is a glob, which may name clusters outside account "111122223333"/);
    await approveRequest(w.deps, ivy, { id: elsewhere.id });
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: elsewhere.id } })).status).toBe("approved");
    await w.prisma.approvalPolicy.updateMany({ where: { name: { in: ["other-account", "prod-east"] } }, data: { active: false } });
  }, 60_000);

  it("refuses bad templates at filing with a clear reason and writes nothing", async () => {
    const before = await w.prisma.associationTemplate.count();
    expect(templateRequestSchema.safeParse({ kind: "template", name: "x", clusters: [], namespace: NS, serviceAccountPattern: "dmjob-*", roleArn: PI_ROLE }).error?.issues[0]?.message).toBe("name at least one cluster");
    expect(templateRequestSchema.safeParse({ kind: "template", name: "x", clusters: ["a+a"], namespace: NS, serviceAccountPattern: "DM*", roleArn: PI_ROLE }).success).toBe(false);
    await expectDomainError(fileTemplate(deps, alice, template({ name: "nowhere", clusters: ["prod-*"] })), "invalid", /Invalid input/);
    await expectDomainError(fileTemplate(deps, alice, template({ name: "past", expiresAt: "2020-01-01T00:00:00Z" })), "invalid", /Invalid input/);
    await expectDomainError(fileTemplate(deps, alice, template({ name: "domino-jobs" })), "conflict", /was revoked/);
    expect(await w.prisma.associationTemplate.count()).toBe(before);
  });
});

describe("a standing approval is only what the IAM team signed", () => {
  it("a template whose role is swapped in the database after approval maps nothing, nor does a template row written without an approval", async () => {
    const filed = await approvedTemplate({ name: "tampered", serviceAccountPattern: "tam-*" });
    await newSa("tam-1");
    await w.prisma.associationTemplate.update({ where: { id: filed.templateId }, data: { roleArn: OTHER_PI_ROLE } });
    const summary = await matchTemplates(deps);
    expect(summary.filed).toEqual([]);
    expect(summary.skipped).toContainEqual(expect.objectContaining({ template: "tampered", serviceAccount: "tam-1", reason: expect.stringMatching(/approval of template "tampered" v1 could not be verified/) }));
    await expectDomainError(fileMappingRequest(deps, alice, { id: filed.templateId, cluster: GREEN, serviceAccount: "tam-1" }), "conflict", /could not be verified/);

    await w.prisma.associationTemplate.update({ where: { id: filed.templateId }, data: { status: "revoked" } });
    const planted = await w.prisma.associationTemplate.create({
      data: { name: "planted", version: 1, status: "active", clusters: [GREEN], namespace: NS, serviceAccountPattern: "tam-*", roleArn: PI_ROLE, createdBy: "mallory", requestId: filed.id },
    });
    expect((await matchTemplates(deps)).skipped).toContainEqual(expect.objectContaining({ template: "planted", serviceAccount: "tam-1", reason: expect.stringMatching(/could not be verified/) }));
    await expectDomainError(fileMappingRequest(deps, alice, { id: planted.id, cluster: GREEN, serviceAccount: "tam-1" }), "conflict", /could not be verified/);
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "tam-1")).toHaveLength(0);

    // A revoked template set back to active in the database: its approval verifies, but the trail says it was revoked.
    await w.prisma.associationTemplate.updateMany({ where: { name: "domino-jobs", version: 2 }, data: { status: "active" } });
    expect((await matchTemplates(deps)).skipped).toContainEqual(expect.objectContaining({ template: "domino-jobs", serviceAccount: "dmjob-g7", reason: expect.stringMatching(/was revoked \(audit row \d+\)/) }));
    await runner(w).drain();
    expect(sandboxAssociations(w, GREEN, NS, "dmjob-g7")).toHaveLength(0);
  }, 60_000);
});

describe("the template list is capped (issue 10)", () => {
  it("at most N templates by name, each with its newest M versions and first K mappings, and totals saying how many there are", async () => {
    const full = await listTemplates(w.prisma);
    const jobs = full.templates.find((t) => t.name === "domino-jobs")!;
    expect(full.total).toBeGreaterThan(1);
    expect(full.truncated).toBe(false);
    expect(jobs.versionsTotal).toBeGreaterThan(1);
    expect(jobs.mappingsTotal).toBeGreaterThan(1);
    expect(jobs.mappings).toHaveLength(jobs.mappingsTotal);

    const capped = await listTemplates(w.prisma, { templates: 1, versions: 1, mappings: 1 });
    expect(capped).toMatchObject({ total: full.total, truncated: true });
    expect(capped.templates.map((t) => t.name)).toEqual([full.templates[0]!.name]);
    const one = (await listTemplates(w.prisma, { versions: 1, mappings: 1 })).templates.find((t) => t.name === "domino-jobs")!;
    expect(one.versions.map((v) => v.version)).toEqual([jobs.versions[0]!.version]);
    expect(one).toMatchObject({ versionsTotal: jobs.versionsTotal, versionsTruncated: true, mappingsTotal: jobs.mappingsTotal, mappingsTruncated: true });
    expect(one.mappings).toEqual([jobs.mappings[0]]);
    // The current version is still the active one (or the newest), whatever the versions shown.
    expect(one.current.id).toBe(jobs.current.id);
  });
});
