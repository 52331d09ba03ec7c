// IRSA -> Pod Identity migration of one seeded IRSA service account on
// domino-green, end to end against the sandbox and the database: step 1 (trust +
// association + pod restart) approved by another user and applied by the job
// runner; the clean-up (remove this SA's subject for this cluster only) refused
// before step 1 applied and filed as its own request after; every other subject
// and the other cluster's issuer stay in the role's trust.
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSnapshot } from "@/lib/inventory/analysis";
import { worldToSnapshot } from "@/tests/support/analysis/world-to-snapshot";
import { fileIrsaCleanup, planIrsaCleanup } from "@/lib/migration/file-irsa-cleanup";
import { fileMigration, type MigrationDeps } from "@/lib/migration/file-migration";
import { migrationCandidates } from "@/lib/migration/plan";
import { removeIrsaSubject } from "@/lib/migration/trust-edit";
import { approveRequest } from "@/lib/requests/approve-request";
import { refreshPrechecks } from "@/lib/requests/refresh-prechecks";
import { buildItemKinds } from "@/lib/runtime";
import { runner, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, mappings: true });
const { alice, ivy } = w.users;
let deps: MigrationDeps;
const ROLE = "domino-irsa-athena-query";
const SA = "dmuser-ebrown";
const NS = "domino-compute";

beforeAll(() => {
  w.deps.kinds = buildItemKinds({ restart: { kube: w.kube, kubeAccess: w.kubeAccess, deletionsPerSecond: 50 } });
  deps = { ...w.deps, kube: w.kube };
});

const roles = () => w.sandbox.ctx.world.accounts["111122223333"]!.roles;
const trustOf = (name: string) => JSON.parse(roles()[name]!.assumeRolePolicyDocument) as { Statement: Record<string, any>[] };
const subjectsBy = (doc: { Statement: Record<string, any>[] }) => {
  const out: Record<string, string[]> = {};
  for (const st of doc.Statement) {
    const fed = st.Principal?.Federated;
    if (!fed) continue;
    const path = String(fed).split("oidc-provider/")[1]!;
    const sub = st.Condition?.StringEquals?.[`${path}:sub`] ?? st.Condition?.StringLike?.[`${path}:sub`];
    out[path] = [...(out[path] ?? []), ...[sub ?? []].flat().map(String)];
  }
  return out;
};

describe("IRSA -> Pod Identity migration", () => {
  it("lists the seeded IRSA SA with shared-role warnings", async () => {
    const snapshot = worldToSnapshot(w.sandbox.ctx.world);
    const c = migrationCandidates(snapshot, analyzeSnapshot(snapshot)).find((x) => x.cluster === "domino-green" && x.serviceAccount === SA && x.roleArn.endsWith(`/${ROLE}`));
    expect(c).toBeDefined();
    expect(c!.sources).toEqual(expect.arrayContaining(["annotation", "trust-exact"]));
    expect(c!.warnings.join(" ")).toMatch(/shared with/);
    expect(c!.warnings.join(" ")).toMatch(/clusters/);
  }, 60_000);

  it("removeIrsaSubject edits only the given provider's statements and only that subject", () => {
    const blue = "arn:aws:iam::1:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/BLUE";
    const green = "arn:aws:iam::1:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/GREEN";
    const st = (fed: string, subs: string[], op = "StringEquals") => ({ Effect: "Allow", Principal: { Federated: fed }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { [op]: { [`${fed.split("oidc-provider/")[1]}:sub`]: subs } } });
    const doc = { Version: "2012-10-17", Statement: [st(blue, ["system:serviceaccount:ns:a", "system:serviceaccount:ns:b"]), st(green, ["system:serviceaccount:ns:a", "system:serviceaccount:ns:b"]), st(green, ["system:serviceaccount:ns:a"]), st(green, ["system:serviceaccount:ns:*"], "StringLike")] };
    const r = removeIrsaSubject(JSON.stringify(doc), green, "ns", "a");
    expect(r.dropped).toEqual([2]);
    expect(r.edited).toEqual([1]);
    expect(r.wildcards).toEqual(["system:serviceaccount:ns:*"]);
    expect(r.policy.Statement).toHaveLength(3);
    expect(r.policy.Statement[0]).toEqual(doc.Statement[0]);
    expect((r.policy.Statement[1] as any).Condition.StringEquals[`${green.split("oidc-provider/")[1]}:sub`]).toBe("system:serviceaccount:ns:b");
  });

  it("migrates dmuser-ebrown on domino-green: trust, association, pod restart after approval; later removes only its Green subject", async () => {
    const roleArn = roles()[ROLE]!.arn;
    const before = subjectsBy(trustOf(ROLE));
    const target = { cluster: "domino-green", namespace: NS, serviceAccount: SA, roleArn };
    const podsBefore = (await deps.kube.listPods("domino-green", { namespace: NS })).filter((p) => p.serviceAccountName === SA);
    expect(podsBefore.length).toBeGreaterThan(0);

    // Clean-up is not offered before the migration applied.
    await expect(fileIrsaCleanup(deps, alice, target)).rejects.toThrow(/not filed/);

    const r = await fileMigration(deps, alice, target);
    const filed = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: { orderBy: { position: "asc" } } } });
    // Green's node role has an exhaustive eks-auth policy: the request also carries its update.
    expect(filed.items.map((i) => i.kind).filter((k) => k !== "iam-node-role-policy")).toEqual(["iam-trust-update", "create", "restart-pods"]);
    expect(filed.approverRole).toBe("approver");
    expect(r.pods).toBe(podsBefore.length);
    // Nothing changed before approval.
    expect(sandboxAssociations(w, "domino-green", NS, SA)).toHaveLength(0);
    await runner(w).drain();
    expect(sandboxAssociations(w, "domino-green", NS, SA)).toHaveLength(0);

    await approveRequest(w.deps, ivy, { id: r.id });
    await runner(w).drain();
    const applied = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: true } });
    expect(applied.status).toBe("applied");
    expect(sandboxAssociations(w, "domino-green", NS, SA)).toHaveLength(1);
    const trustMid = trustOf(ROLE);
    expect(trustMid.Statement.some((s) => JSON.stringify(s.Principal ?? {}).includes("pods.eks.amazonaws.com"))).toBe(true);
    expect(subjectsBy(trustMid)).toEqual(before); // IRSA untouched by step 1
    const podsAfter = (await deps.kube.listPods("domino-green", { namespace: NS })).filter((p) => p.serviceAccountName === SA);
    expect(podsAfter.every((p) => "AWS_CONTAINER_CREDENTIALS_FULL_URI" in p.credentialEnv)).toBe(true);
    expect(podsAfter.some((p) => podsBefore.some((b) => b.uid === p.uid))).toBe(false);

    // Step 2: clean-up, a separate request, approved by the IAM team.
    const plan = await planIrsaCleanup(deps, target);
    expect(plan.ready).toBe(true);
    const c = await fileIrsaCleanup(deps, alice, target);
    const cleanup = await w.prisma.request.findUniqueOrThrow({ where: { id: c.id }, include: { items: true } });
    expect(cleanup.items.map((i) => i.kind)).toEqual(["iam-trust-update"]);
    // A reviewer opening it re-runs prechecks: the clean-up's own checks stay (no association item to re-check).
    expect((await refreshPrechecks(w.deps, c.id)).prechecks.map((p) => p.id)).toEqual(expect.arrayContaining(["migration-applied", "association-in-place", "pods-on-pod-identity", "subject-found"]));
    expect(subjectsBy(trustOf(ROLE))).toEqual(before);
    await approveRequest(w.deps, ivy, { id: c.id });
    await runner(w).drain();
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("applied");

    const after = subjectsBy(trustOf(ROLE));
    const subject = `system:serviceaccount:${NS}:${SA}`;
    const greenPath = plan.providerArn!.split("oidc-provider/")[1]!;
    for (const [path, subs] of Object.entries(before)) {
      if (path === greenPath) expect(after[path]).toEqual(subs.filter((s) => s !== subject));
      else expect(after[path]).toEqual(subs); // other clusters' issuers keep every subject, this SA's too
    }
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(after[greenPath]!.length).toBeGreaterThan(0);
    expect(trustOf(ROLE).Statement.some((s) => JSON.stringify(s.Principal ?? {}).includes("pods.eks.amazonaws.com"))).toBe(true);
  }, 180_000);
});
