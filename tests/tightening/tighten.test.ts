// Tighter trust with an impact preview (issue 13), against the seeded fleet:
// the roles that trust pods.eks.amazonaws.com without conditions, what the
// tightened trust would keep and break, and filing -> approval -> apply.
import { describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/requests/approve-request";
import { canAssume } from "@/lib/trust";
import { fileTightenedTrust } from "@/lib/tightening/file-tightening";
import { previewTightenedTrust } from "@/lib/tightening/preview";
import { PROD } from "../support/constants";
import { runner } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, mappings: true });
const role = (name: string) => `arn:aws:iam::${PROD}:role/domino/${name}`;
const key = (i: { cluster: string; namespace: string; serviceAccount: string }) => `${i.cluster}/${i.namespace}/${i.serviceAccount}`;

describe("tightened trust preview", () => {
  it("offers exactly the unconditioned Pod Identity roles and names exactly the associations that would break", async () => {
    const used = [...new Set((await w.prisma.podIdentityAssociation.findMany({ select: { roleArn: true } })).map((a) => a.roleArn))].sort();
    const previews = await Promise.all(used.map((arn) => previewTightenedTrust(w.deps, arn).catch((e: Error) => ({ roleArn: arn, open: false, problem: e.message, impact: [] }))));
    const open = previews.filter((p) => p.open).map((p) => p.roleArn.split("/").pop());
    // sandbox/seed/roles-workload.ts: podIdentityStatement() without sourceAccount or extra conditions.
    expect(open.sort()).toEqual([
      "domino-green-ebs-csi-driver",
      "domino-pi-batch-scoring",
      "domino-pi-etl-hourly",
      "domino-pi-finance-export",
      "domino-pi-legacy-dwh",
      "domino-pi-snowflake-export",
      "domino-platform-blob-store",
    ]);
    const breaks = previews.flatMap((p) => p.impact.filter((i) => i.outcome === "breaks").map((i) => `${key(i)} ${i.reason}`));
    // svc-legacy-dwh disables session tags: it sends no aws:RequestTag keys, so the tag conditions refuse it.
    expect(breaks).toEqual([expect.stringMatching(/^domino-green\/domino-compute\/svc-legacy-dwh session tags are disabled/)]);
    const keeps = previews.flatMap((p) => p.impact.filter((i) => i.outcome === "keeps").map(key)).sort();
    expect(keeps).toEqual([
      "domino-blue/domino-compute/svc-etl-hourly",
      "domino-green/domino-compute/svc-batch-scoring",
      "domino-green/domino-compute/svc-etl-hourly",
      "domino-green/domino-compute/svc-finance-export",
      "domino-green/domino-platform/nucleus-frontend",
      "domino-green/kube-system/ebs-csi-controller-sa",
    ]);
    // Refused today already (the Deny of non-Green clusters; no sts:TagSession with session tags on): not a break.
    const refused = previews.flatMap((p) => p.impact.filter((i) => i.outcome === "already-refused").map(key)).sort();
    expect(refused).toEqual(["domino-blue/domino-compute/svc-finance-export", "domino-green/domino-compute/svc-snowflake-export"]);
  });

  it("conditions the open statement on the clusters, namespaces and service accounts in use", async () => {
    const p = await previewTightenedTrust(w.deps, role("domino-pi-etl-hourly"));
    const doc = JSON.parse(p.proposed!) as { Statement: { Principal: unknown; Condition: Record<string, Record<string, unknown>> }[] };
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]!.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(doc.Statement[0]!.Condition.StringEquals).toEqual({
      "aws:SourceAccount": PROD,
      "aws:SourceArn": [`arn:aws:eks:us-east-1:${PROD}:cluster/domino-blue`, `arn:aws:eks:us-east-1:${PROD}:cluster/domino-green`],
      "aws:RequestTag/kubernetes-namespace": "domino-compute",
      "aws:RequestTag/kubernetes-service-account": "svc-etl-hourly",
    });
    // Another service account of the same namespace and cluster is refused now.
    const other = canAssume(p.proposed!, { mechanism: "pod-identity", namespace: "domino-compute", serviceAccount: "svc-intruder", clusterArn: `arn:aws:eks:us-east-1:${PROD}:cluster/domino-green` });
    expect(other.allowed).toBe(false);
  });

  it("has nothing to offer for a role already conditioned, and files nothing for it", async () => {
    const p = await previewTightenedTrust(w.deps, role("domino-pi-etl-nightly"));
    expect(p.open).toBe(false);
    expect(p.proposed).toBeNull();
    await expect(fileTightenedTrust(w.deps, w.users.alice, { roleArn: role("domino-pi-etl-nightly") })).rejects.toThrow(/not filed/);
    expect(await w.prisma.request.count()).toBe(0);
  });

  it("files the tightened trust as an IAM item; once approved and applied IAM has it and the users keep working", async () => {
    const { alice, ivy } = w.users;
    const arn = role("domino-pi-etl-hourly");
    const p = await previewTightenedTrust(w.deps, arn);
    const filed = await fileTightenedTrust(w.deps, alice, { roleArn: arn });
    await expect(fileTightenedTrust(w.deps, alice, { roleArn: arn })).rejects.toThrow(/already open/);
    const items = await w.prisma.requestItem.findMany({ where: { requestId: filed.id } });
    expect(items).toEqual([expect.objectContaining({ kind: "iam-trust-update", roleArn: arn, iamBaseHash: p.baseHash, iamPolicyDocument: p.proposed })]);
    await approveRequest(w.deps, ivy, { id: filed.id });
    await runner(w).drain();
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: filed.id } })).status).toBe("applied");
    const live = JSON.parse(w.sandbox.ctx.world.accounts[PROD]!.roles["domino-pi-etl-hourly"]!.assumeRolePolicyDocument) as unknown;
    expect(live).toEqual(JSON.parse(p.proposed!));
    const after = await previewTightenedTrust(w.deps, arn);
    expect(after.open).toBe(false);
  });

  it("refuses a role outside the watched accounts with a clear error", async () => {
    await expect(previewTightenedTrust(w.deps, "arn:aws:iam::999999999999:role/nobody")).rejects.toThrow(/not watched/);
  });
});
