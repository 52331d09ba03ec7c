// The Kubernetes gateway reads the sandbox's API servers through the real client-node.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KubeCallError, KubeGateway } from "@/lib/kube";
import type { SandboxCluster } from "@/sandbox/model";
import { mintEksToken } from "@/lib/aws";
import { SANDBOX_TARGETS } from "../support/sandbox-kube";
import { useWorld } from "../support/world";

const w = useWorld({ database: false, sandbox: true });
const green = (): SandboxCluster => w.sandbox.ctx.world.accounts["111122223333"]!.regions["us-east-1"]!.clusters["domino-green"]!;


describe("KubeGateway in sandbox mode (EKS tokens minted by RoleGate)", () => {
  it("lists every service account of every namespace with its annotations, page by page", async () => {
    const kube = new KubeGateway(w.kubeAccess, { pageSize: 7 });
    const sas = await kube.listServiceAccounts("domino-green");
    expect(sas).toHaveLength(Object.keys(green().kube.serviceAccounts).length);
    const jsmith = sas.find((s) => s.namespace === "domino-compute" && s.name === "dmuser-jsmith");
    expect(jsmith?.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::111122223333:role/domino-irsa-ds-team");
    expect(w.sandbox.ctx.calls.list({ operation: "kube:listServiceAccounts" }).length).toBeGreaterThan(1);
  });

  it("lists pods of all namespaces or one namespace, with credential env and owner", async () => {
    const kube = new KubeGateway(w.kubeAccess, { pageSize: 5 });
    const all = await kube.listPods("domino-green");
    expect(all).toHaveLength(Object.keys(green().kube.pods).length);
    const compute = await kube.listPods("domino-green", { namespace: "domino-compute" });
    expect(compute.length).toBe(Object.values(green().kube.pods).filter((p) => p.namespace === "domino-compute").length);
    expect(compute.every((p) => p.namespace === "domino-compute")).toBe(true);
    const world = Object.values(green().kube.pods).find((p) => p.env.some((e) => e.name === "AWS_CONTAINER_CREDENTIALS_FULL_URI"))!;
    const pod = all.find((p) => p.uid === world.uid)!;
    expect(pod.credentialEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe("http://169.254.170.23/v1/credentials");
    expect([pod.serviceAccountName, pod.ownerKind, pod.phase]).toEqual([world.serviceAccountName, world.ownerKind, world.phase]);
  });

  it("reads lists as plain JSON exactly as client-node's typed API reads them (typedLists, bench:scale's baseline)", async () => {
    const raw = new KubeGateway(w.kubeAccess, { pageSize: 4 });
    const typed = new KubeGateway(w.kubeAccess, { pageSize: 4, typedLists: true });
    for (const cluster of ["domino-green", "domino-blue"]) {
      const read = (g: KubeGateway) =>
        Promise.all([g.listServiceAccounts(cluster), g.listPods(cluster), g.listPods(cluster, { namespace: "domino-compute" }), g.listNodes(cluster), g.listDaemonSets(cluster, "kube-system")]);
      const [a, b] = [await read(raw), await read(typed)];
      expect(a).toEqual(b);
      expect(a[1].length).toBeGreaterThan(4); // more than one page
      expect(a[1].some((p) => p.creationTimestamp.endsWith("Z") && p.ownerKind)).toBe(true);
    }
  });

  it("retries a transient 5xx and reports a persistent one as KubeCallError", async () => {
    const kube = new KubeGateway(w.kubeAccess, { backoffMs: 5, maxAttempts: 3 });
    w.sandbox.ctx.faults.configure({ failNext: { "kube:listPods": 2 } });
    expect((await kube.listPods("domino-blue")).length).toBeGreaterThan(0);
    w.sandbox.ctx.faults.configure({ failNext: { "kube:listPods": 3 } });
    const err = await kube.listPods("domino-blue").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeCallError);
    expect((err as KubeCallError).httpStatus).toBeGreaterThanOrEqual(500);
  });

  it("fails with a clear error for a cluster the API server does not know", async () => {
    const kube = new KubeGateway(w.kubeAccess, { backoffMs: 1 });
    await expect(kube.listServiceAccounts("no-such-cluster")).rejects.toThrow(/listServiceAccounts on cluster no-such-cluster failed \(HTTP 404\)/);
  });
});

describe("KubeGateway from a kubeconfig file", () => {
  it("uses the context named like the cluster", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-kc-"));
    const file = path.join(dir, "config");
    // The sandbox kubeconfig lacks insecure-skip-tls-verify for plain http; add it as a real EKS file would have TLS.
    // Its user carries an EKS token for domino-blue, as the exec plugin would produce (tokens are per cluster).
    const { token } = await mintEksToken({ clusterName: "domino-blue", region: "us-east-1", credentials: await w.pool.credentialsFor(SANDBOX_TARGETS[0]!) });
    writeFileSync(file, w.sandbox.kubeconfigFor().replace(/(    server: .*)/g, "$1\n    insecure-skip-tls-verify: true").replace(/token: .*/, `token: ${JSON.stringify(token)}`));
    const kube = new KubeGateway({ kind: "kubeconfig", path: file });
    const sas = await kube.listServiceAccounts("domino-blue");
    expect(sas.length).toBe(Object.keys(w.sandbox.ctx.world.accounts["111122223333"]!.regions["us-east-1"]!.clusters["domino-blue"]!.kube.serviceAccounts).length);
    await expect(kube.listServiceAccounts("not-in-file")).rejects.toThrow(/no kubeconfig context for cluster not-in-file/);
  });
});
