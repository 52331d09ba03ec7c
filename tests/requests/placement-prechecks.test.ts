// The agent and placement prechecks on the extended sandbox fleet (us-west-2):
// Auto Mode and a ready self-managed agent pass; an agent not ready on the SA's
// node fails; a Fargate or Windows SA is refused (blocking) with the IRSA
// pointer, and an approved request for it is stopped at apply with no AWS write.
import { describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/requests/approve-request";
import { checkItems, createRequest } from "@/lib/requests/create-request";
import type { RequestsDeps } from "@/lib/requests/deps";
import { PI_ROLE, TARGETS } from "../support/constants";
import { runner } from "../support/requests";
import { useWorld } from "../support/world";

const WEST = { accountId: "111122223333", region: "us-west-2" };
// The checks only read; one world for the file (the last test files and applies once).
const w = useWorld({ users: ["alice", "ivy"], sandbox: true, reset: "once" });
const { alice, ivy } = w.users;
// us-west-2 (the placement clusters) watched too; the world's Kubernetes gateway for the placement reads.
const westDeps = (): RequestsDeps => ({ ...w.deps, targets: [...TARGETS, { ...WEST, clusters: ["*"] }], kube: w.kube });

const input = (cluster: string, serviceAccount: string, namespace = "domino-compute") => ({
  kind: "create" as const,
  cluster,
  ...WEST,
  namespace,
  serviceAccount,
  roleArn: PI_ROLE,
  disableSessionTags: false,
  tags: {},
  justification: "Placement precheck test on the sandbox fleet",
});

async function checks(cluster: string, sa: string, namespace?: string) {
  const { prechecks } = await checkItems(westDeps(), input(cluster, sa, namespace));
  return new Map(prechecks.map((p) => [p.id, p]));
}

describe("cluster-pod-identity-agent", () => {
  it("passes an EKS Auto Mode cluster, which has no add-on (the agent is built in)", async () => {
    const c = await checks("domino-auto", "svc-auto-etl");
    expect(c.get("cluster-pod-identity-agent")).toMatchObject({ status: "pass", message: expect.stringMatching(/Auto Mode.*built in/) });
    expect(c.get("pod-identity-placement")?.status).toBe("pass");
  });

  it("passes a self-managed (Helm) agent that is ready on the nodes where the SA's pods run", async () => {
    const c = await checks("domino-selfmanaged", "svc-sm-etl");
    expect(c.get("cluster-pod-identity-agent")).toMatchObject({ status: "pass", message: expect.stringMatching(/self-managed eks-pod-identity-agent DaemonSet, ready on every node/) });
  });

  it("fails when the self-managed agent is not ready on the node the SA's pod runs on, naming the node", async () => {
    const c = await checks("domino-selfmanaged", "svc-sm-stuck");
    const stuckNode = Object.values(w.sandbox.ctx.world.accounts["111122223333"]!.regions["us-west-2"]!.clusters["domino-selfmanaged"]!.kube.pods).find((p) => p.serviceAccountName === "svc-sm-stuck")!.nodeName;
    expect(c.get("cluster-pod-identity-agent")).toMatchObject({ status: "fail", message: expect.stringContaining(`not ready on ${stuckNode}`) });
  });

  it("still fails a cluster with neither the add-on, Auto Mode nor a self-managed agent (domino-blue)", async () => {
    const { prechecks } = await checkItems(westDeps(), { ...input("domino-blue", "svc-etl-nightly"), region: "us-east-1" });
    expect(prechecks.find((p) => p.id === "cluster-pod-identity-agent")).toMatchObject({ status: "fail", fix: { kind: "addon" } });
  });
});

describe("pod-identity-placement", () => {
  it("refuses a Fargate SA with the IRSA pointer (pods on profile fp-batch)", async () => {
    const p = (await checks("domino-mixed", "svc-fargate-batch")).get("pod-identity-placement")!;
    expect(p.status).toBe("fail");
    expect(p.message).toMatch(/Fargate \(profile fp-batch\).*does not work on Fargate.*Keep it on IRSA/);
    expect(p.fix?.kind).toBe("irsa");
  });

  it("refuses an SA of a namespace a Fargate profile selects whole, although no pod runs yet", async () => {
    const p = (await checks("domino-mixed", "etl-fn", "domino-serverless")).get("pod-identity-placement")!;
    expect(p).toMatchObject({ status: "fail", message: expect.stringMatching(/fp-serverless/) });
  });

  it("refuses an SA whose pods run on Windows nodes", async () => {
    const p = (await checks("domino-mixed", "svc-windows-report")).get("pod-identity-placement")!;
    expect(p).toMatchObject({ status: "fail", message: expect.stringMatching(/Windows nodes.*IRSA/) });
  });

  it("passes the Linux SA of the same cluster and role", async () => {
    const c = await checks("domino-mixed", "svc-linux-etl");
    expect(c.get("pod-identity-placement")).toMatchObject({ status: "pass", message: expect.stringMatching(/runs on nodes ip-10-60-/) });
    expect(c.get("cluster-pod-identity-agent")?.status).toBe("pass");
  });

  it("is blocking: an approved request for the Fargate SA fails at apply and creates no association", async () => {
    const deps = westDeps();
    const filed = await createRequest(deps, alice, input("domino-mixed", "svc-fargate-batch"));
    // Approval refuses a failing blocking precheck (main's gate rule); with an override the apply-time re-check still stops it.
    await expect(approveRequest(deps, ivy, { id: filed.id })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/pod-identity-placement/) });
    await approveRequest(deps, ivy, { id: filed.id, override: { reason: "Testing that apply re-checks placement" } });
    await runner({ ...w, deps }).drain();
    const req = await w.prisma.request.findUniqueOrThrow({ where: { id: filed.id }, include: { items: true } });
    expect(req.status).toBe("failed");
    expect(req.items[0]!.lastErrorMessage).toMatch(/pod-identity-placement: .*Fargate/);
    const mixed = w.sandbox.ctx.world.accounts["111122223333"]!.regions["us-west-2"]!.clusters["domino-mixed"]!;
    expect(Object.values(mixed.associations)).toEqual([]);
    expect(w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" })).toEqual([]);
  });
});
