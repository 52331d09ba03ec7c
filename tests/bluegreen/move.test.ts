// A full Blue -> Green move of the seeded fleet against the sandbox and the
// real database: copy the associations (one batch request, approved by someone
// else, applied by the job runner, a partial failure retried), re-point the
// IRSA trust, retire Blue, clean up only Blue's issuer.
import { UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { computeCleanup } from "@/lib/bluegreen/plan";
import { fileCleanupRequest, fileCopyRequest, fileRepointRequest, loadBlueGreen, loadMove } from "@/lib/bluegreen/service";
import { cleanupTrust, issuerHost, normalizeStatement, providerArnFor, repointTrust, statementForIssuer, trustsProvider } from "@/lib/bluegreen/trust";
import { readPolicy } from "@/lib/inventory/fixes";
import { startScan } from "@/lib/inventory/scan/service";
import { latestSnapshot } from "@/lib/inventory/scan/store";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import { approveRequest } from "@/lib/requests/approve-request";
import { retryRequest } from "@/lib/requests/retry-request";
import { canAssume } from "@/lib/trust";
import { PROD } from "../support/constants";
import { runner } from "../support/requests";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

const BLUE = "domino-blue";
const GREEN = "domino-green";

// The steps build on each other: one world for the whole file.
const w = useWorld({ users: ["alice", "ivy"], sandbox: true, reset: "once", pool: { retryMode: "standard" } });
const { alice, ivy } = w.users;

async function scan(): Promise<InventorySnapshot> {
  const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "test");
  expect(await run.done).not.toBe("failed");
  return (await latestSnapshot(w.prisma))!.snapshot;
}

async function request(id: string) {
  return w.prisma.request.findUniqueOrThrow({ where: { id }, include: { items: { orderBy: { position: "asc" } } } });
}

const worldCluster = (name: string) => w.sandbox.ctx.world.accounts[PROD]!.regions["us-east-1"]!.clusters[name];

describe("trust edits (pure)", () => {
  const blue = providerArnFor(PROD, "oidc.eks.us-east-1.amazonaws.com/id/BLUE");
  const green = providerArnFor(PROD, "oidc.eks.us-east-1.amazonaws.com/id/GREEN");
  const other = providerArnFor(PROD, "oidc.eks.us-east-1.amazonaws.com/id/OTHER");
  const st = (p: string, sub: string, extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Principal: { Federated: p },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${p.split("oidc-provider/")[1]}:sub`]: sub, [`${p.split("oidc-provider/")[1]}:aud`]: "sts.amazonaws.com" } },
    ...extra,
  });

  it("re-pointing adds a Green statement per Blue statement, once, and keeps everything else", () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [st(blue, "system:serviceaccount:a:x", { Sid: "Blue" }), st(other, "system:serviceaccount:a:y")] });
    const edit = repointTrust(policy, blue, green);
    expect(edit.added).toHaveLength(1);
    expect(edit.after.Statement).toHaveLength(3);
    expect(edit.after.Statement.slice(0, 2)).toEqual(edit.before.Statement);
    expect(edit.added[0]).toMatchObject({ Principal: { Federated: green }, Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/GREEN:sub": "system:serviceaccount:a:x" } } });
    expect(edit.diff).toContain("+");
    expect(repointTrust(JSON.stringify(edit.after), blue, green).added).toHaveLength(0);
  });

  it("re-pointing adds nothing when Green already grants the same subjects in another shape", () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [st(blue, "system:serviceaccount:a:x"), st(blue, "system:serviceaccount:a:y"), { ...st(green, "x"), Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/GREEN:sub": ["system:serviceaccount:a:x", "system:serviceaccount:a:y"], "oidc.eks.us-east-1.amazonaws.com/id/GREEN:aud": "sts.amazonaws.com" } } }],
    });
    expect(repointTrust(policy, blue, green).added).toHaveLength(0);
    // ...but a Deny on Blue still gets its Green twin.
    const deny = JSON.stringify({ Version: "2012-10-17", Statement: [{ ...st(blue, "system:serviceaccount:a:intern"), Effect: "Deny" }] });
    expect(repointTrust(deny, blue, green).added).toMatchObject([{ Effect: "Deny", Principal: { Federated: green } }]);
  });

  it("clean-up drops only the retired provider: a statement shared with a live issuer keeps it and its keys", () => {
    const shared = { Effect: "Allow", Principal: { Federated: [blue, other] }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/BLUE:sub": "system:serviceaccount:a:x", "oidc.eks.us-east-1.amazonaws.com/id/OTHER:sub": "system:serviceaccount:a:x" } } };
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [st(blue, "system:serviceaccount:a:x"), st(green, "system:serviceaccount:a:x"), shared] });
    const edit = cleanupTrust(policy, blue);
    expect(edit.removed).toEqual([0]);
    expect(edit.changed).toEqual([2]);
    expect(edit.after.Statement).toHaveLength(2);
    expect(edit.after.Statement[0]).toEqual(st(green, "system:serviceaccount:a:x"));
    expect(edit.after.Statement[1]).toEqual({ Effect: "Allow", Principal: { Federated: other }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/OTHER:sub": "system:serviceaccount:a:x" } } });
    expect(JSON.stringify(edit.after)).not.toContain("/id/BLUE");
  });
});

describe("Blue -> Green move of the seeded fleet", () => {
  it("copies, re-points, retires Blue and cleans up only Blue's issuer", async () => {
    const before = await scan();
    const blueCluster = before.clusters.find((c) => c.name === BLUE)!;
    const blueHost = issuerHost(blueCluster.oidcIssuer!);
    const greenHost = issuerHost(before.clusters.find((c) => c.name === GREEN)!.oidcIssuer!);
    const blueProvider = providerArnFor(PROD, blueHost);
    const greenProvider = providerArnFor(PROD, greenHost);
    const liveHosts = before.clusters.map((c) => issuerHost(c.oidcIssuer!)).filter((h) => h !== blueHost);
    const trustBefore = new Map(before.roles.map((r) => [r.arn, readPolicy(r.trustPolicy)]));

    // 1. The move view.
    const plan = await loadMove(w.prisma, BLUE, GREEN);
    const copied = plan.copies.map((c) => c.serviceAccount).sort();
    expect(copied).toEqual(expect.arrayContaining(["svc-airflow-bridge", "svc-notebook-sync"]));
    expect(copied).not.toContain("svc-etl-nightly"); // already on Green with the same role
    expect(plan.skipped.find((s) => s.serviceAccount === "svc-reporting-legacy")?.reason).toMatch(/no longer exists/);
    const repointed = plan.repoint.map((r) => r.roleName);
    expect(repointed).toEqual(expect.arrayContaining(["domino-irsa-ml-training", "domino-irsa-sagemaker", "domino-irsa-legacy-and-blue", "domino-platform-blob-store"]));
    // Re-pointing copies risk as well as access: the aud-only statement (any SA of Blue) and Blue's own
    // kube-system/aws-node role (no Green SA references it) are left out, each with its reason.
    expect(repointed).not.toContain("domino-irsa-aud-only");
    expect(repointed).not.toContain("domino-blue-vpc-cni");
    const leftOut = new Map(plan.repointLeftOut.map((r) => [r.roleName, r.reasons.join(" ")]));
    expect(leftOut.get("domino-irsa-aud-only")).toMatch(/without a :sub condition/);
    expect(leftOut.get("domino-blue-vpc-cni")).toMatch(/infrastructure role \(kube-system\/aws-node\).*no service account on domino-green references it/);
    expect(repointed).not.toContain("domino-irsa-ds-team"); // already trusts both issuers
    expect(plan.repointBlocked).toEqual([]); // Green's issuer is registered in the production account
    expect(repointed).not.toContain("domino-irsa-legacy-s3"); // never trusted Blue
    const overview = await loadBlueGreen(w.prisma);
    expect(overview.pairs.find((p) => p.blue === BLUE && p.green === GREEN)?.plan?.copies).toHaveLength(plan.copies.length);

    // 2. Copy: one batch request, approved by another person, applied by the runner; a partial failure is retried.
    const copy = await fileCopyRequest(w.deps, alice, { blue: BLUE, green: GREEN });
    let req = await request(copy.id);
    expect(req.items.filter((i) => i.kind === "create")).toHaveLength(plan.copies.length);
    expect(req.requesterId).toBe(alice.id);
    await expect(approveRequest(w.deps, alice, { id: copy.id })).rejects.toBeTruthy();
    await approveRequest(w.deps, ivy, { id: copy.id });
    w.sandbox.ctx.faults.configure({ failNext: { CreatePodIdentityAssociation: 4 } });
    await runner(w).drain();
    w.sandbox.ctx.faults.configure({});
    req = await request(copy.id);
    expect(req.status).toBe("failed");
    expect(req.items.some((i) => i.status === "failed")).toBe(true);
    expect(req.items.some((i) => i.kind === "create" && i.status === "applied")).toBe(true);
    await retryRequest(w.deps, alice, { id: copy.id });
    await runner(w).drain();
    req = await request(copy.id);
    expect(req.items.map((i) => `${i.serviceAccount}:${i.status}:${i.lastErrorMessage ?? ""}`)).toEqual(req.items.map((i) => `${i.serviceAccount}:applied:`));
    expect(req.status).toBe("applied");

    // A trust edit made in IAM after the scan survives: documents are built from the live trust at filing time.
    const outOfBand = { Sid: "AddedAfterScan", Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] };
    const mlTraining = plan.repoint.find((r) => r.roleName === "domino-irsa-ml-training")!;
    await w.pool.iamFor({ accountId: PROD, region: "us-east-1" }).send(new UpdateAssumeRolePolicyCommand({
      RoleName: "domino-irsa-ml-training",
      PolicyDocument: JSON.stringify({ ...mlTraining.edit.before, Statement: [...mlTraining.edit.before.Statement, outOfBand] }),
    }));

    // 3. IRSA re-pointing: iam-trust-update items, IAM team approval.
    const repoint = await fileRepointRequest(w.deps, alice, { blue: BLUE, green: GREEN });
    req = await request(repoint.id);
    expect(req.approverRole).toBe("approver");
    expect(req.items.every((i) => i.kind === "iam-trust-update")).toBe(true);
    expect(req.items).toHaveLength(plan.repoint.length);
    // Each item remembers the trust it was computed from, so apply can refuse a lost update.
    expect(req.items.every((i) => /^[0-9a-f]{64}$/.test(i.iamBaseHash ?? ""))).toBe(true);
    await approveRequest(w.deps, ivy, { id: repoint.id });
    await runner(w).drain();
    expect((await request(repoint.id)).status).toBe("applied");

    const moved = await scan();
    const after = await loadMove(w.prisma, BLUE, GREEN);
    expect(after.copies).toEqual([]);
    expect(after.repoint).toEqual([]);

    // The clean-up refuses an issuer of a cluster that still exists.
    expect(() => computeCleanup(moved, blueHost)).toThrow(/still exists/);
    await expect(fileCleanupRequest(w.deps, alice, { issuer: greenHost })).rejects.toMatchObject({ code: "conflict" });

    // Marked retired by an operator while it still runs: the clean-up plan becomes available for its issuer only.
    expect(computeCleanup(moved, blueHost, new Set([BLUE])).roles.length).toBeGreaterThan(0);
    expect(() => computeCleanup(moved, greenHost, new Set([BLUE]))).toThrow(/still exists/);

    // 4. Retire Blue: the cluster is deleted; a rescan no longer sees it.
    delete w.sandbox.ctx.world.accounts[PROD]!.regions["us-east-1"]!.clusters[BLUE];
    expect(worldCluster(BLUE)).toBeUndefined();
    const retiredScan = await scan();
    expect(retiredScan.clusters.some((c) => c.name === BLUE)).toBe(false);
    const view = await loadBlueGreen(w.prisma);
    const retired = view.retired.find((r) => r.host === blueHost);
    expect(retired).toMatchObject({ cluster: BLUE });

    // 5. Clean-up: only the retired issuer goes; roles Blue alone trusts would be left with no statement: refused.
    const cleanupPlan = view.retired.find((r) => r.host === blueHost)!.plan!;
    const refusedCleanup = cleanupPlan.refused.map((r) => r.roleArn);
    expect(cleanupPlan.refused.map((r) => r.roleName)).toEqual(expect.arrayContaining(["domino-irsa-aud-only", "domino-blue-vpc-cni"]));
    expect(cleanupPlan.refused.every((r) => /no statement/.test(r.reason))).toBe(true);
    const cleanup = await fileCleanupRequest(w.deps, alice, { issuer: blueHost });
    expect((await request(cleanup.id)).items.some((i) => refusedCleanup.includes(i.roleArn ?? ""))).toBe(false);
    expect((await request(cleanup.id)).items.every((i) => i.kind === "iam-trust-update" && i.cluster === BLUE)).toBe(true);
    await approveRequest(w.deps, ivy, { id: cleanup.id });
    await runner(w).drain();
    expect((await request(cleanup.id)).status).toBe("applied");
    const final = await scan();

    // End state: Green has an association for every SA Blue had (same role), except the skipped ones.
    const green = worldCluster(GREEN)!;
    const greenAssociations = Object.values(green.associations);
    for (const a of blueCluster.associations) {
      if (plan.skipped.some((s) => s.namespace === a.namespace && s.serviceAccount === a.serviceAccount)) continue;
      const g = greenAssociations.filter((x) => x.namespace === a.namespace && x.serviceAccount === a.serviceAccount);
      expect(g, `${a.namespace}/${a.serviceAccount}`).toHaveLength(1);
      expect(g[0]!.roleArn).toBe(a.roleArn);
    }

    const finalTrust = new Map(final.roles.map((r) => [r.arn, readPolicy(r.trustPolicy)]));
    expect(finalTrust.get(mlTraining.roleArn)!.Statement).toContainEqual(outOfBand);
    for (const [arn, was] of trustBefore) {
      const now = finalTrust.get(arn)!;
      const nowNorm = new Set(now.Statement.map(normalizeStatement));
      // Every statement that did not name Blue is intact (Green's, other live issuers', the legacy one, Pod Identity's).
      for (const st of was.Statement) if (!trustsProvider(st, blueProvider)) expect(nowNorm.has(normalizeStatement(st)), `${arn} kept ${JSON.stringify(st)}`).toBe(true);
      // Roles left out of the re-pointing (with reasons) and refused by the clean-up keep their Blue trust untouched.
      if (plan.repointLeftOut.some((r) => r.roleArn === arn)) {
        if (refusedCleanup.includes(arn)) expect(now).toEqual(was);
        continue;
      }
      // Every Blue statement has its Green twin, and Green is trusted for the same exact subjects.
      for (const st of was.Statement.filter((s) => trustsProvider(s, blueProvider))) {
        expect(nowNorm.has(normalizeStatement(statementForIssuer(st, blueProvider, greenProvider))), `${arn} Green twin`).toBe(true);
        const sub = (st.Condition as { StringEquals?: Record<string, unknown> } | undefined)?.StringEquals?.[`${blueHost}:sub`];
        for (const s of (Array.isArray(sub) ? sub : sub ? [sub] : []).map(String)) {
          const [, , ns, sa] = s.split(":");
          if (st.Effect === "Allow") expect(canAssume(JSON.stringify(now), { mechanism: "irsa", issuer: greenHost, namespace: ns!, serviceAccount: sa!, providerAccount: PROD }).allowed, `${arn} ${s}`).toBe(true);
        }
      }
      // The Blue issuer is gone from every trust policy.
      expect(JSON.stringify(now)).not.toContain(blueHost);
      for (const h of liveHosts) {
        const count = (p: typeof was) => p.Statement.filter((s) => JSON.stringify(s).includes(h)).length;
        expect(count(now), `${arn} statements of ${h}`).toBeGreaterThanOrEqual(count(was));
      }
    }
  }, 300_000);
});
