// Scanner dependencies over the real sandbox.
import { AwsClientPool, EksGateway, EksInventoryGateway, IamGateway } from "@/lib/aws";
import type { ScanDeps } from "@/lib/inventory/scan/context";
import { KubeGateway } from "@/lib/kube";
import { sandboxKubeAccess } from "./sandbox-kube";
import type { RunningSandbox } from "@/sandbox/server";
import type { SandboxCluster } from "@/sandbox/model";
import { PROD, REGION, TARGETS } from "./constants";

export function scanDeps(sandbox: RunningSandbox, pool: AwsClientPool, extra: Partial<ScanDeps> = {}): ScanDeps {
  return {
    pool,
    eks: new EksGateway(pool),
    eksInventory: new EksInventoryGateway(pool),
    iam: new IamGateway(pool),
    kube: new KubeGateway(sandboxKubeAccess(sandbox, TARGETS, pool), { backoffMs: 5, maxAttempts: 3 }),
    targets: TARGETS,
    ...extra,
  };
}

export function worldClusters(sandbox: RunningSandbox): SandboxCluster[] {
  return Object.values(sandbox.ctx.world.accounts[PROD]!.regions[REGION]!.clusters);
}
