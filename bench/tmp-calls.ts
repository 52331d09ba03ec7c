import { startSandboxThread } from "./sandbox-thread";
import { spawnSync } from "node:child_process";
const sb = await startSandboxThread({ fleet: { clusters: 2, associationsPerCluster: 500, roles: 1000, serviceAccounts: 2000 } as never, faults: { latencyMs: 30, throttle: { DescribePodIdentityAssociation: { ratePerSecond: 20, scope: "operation+cluster" } } } as never });
const { AwsClientPool, EksGateway, EksInventoryGateway, IamGateway, eksKubeAccess } = await import("../lib/aws/index");
const { KubeGateway } = await import("../lib/kube/index");
const { buildInventorySnapshot } = await import("../lib/inventory/scan/build-snapshot");
const { scaledAccountIds } = await import("../sandbox/seed/scaled");
const targets = [{ accountId: scaledAccountIds(1)[0]!, region: "us-east-1", clusters: "*" }] as never;
const pool = new AwsClientPool({ endpoint: sb.awsEndpoint, retryMode: "standard" });
const before = process.cpuUsage(); const t0 = performance.now();
const { snapshot } = await buildInventorySnapshot({ pool, eks: new EksGateway(pool), eksInventory: new EksInventoryGateway(pool), iam: new IamGateway(pool), kube: new KubeGateway(eksKubeAccess(pool, { targets, sandboxKubeEndpoint: sb.kubeEndpoint })), targets, clusterConcurrency: 32 } as never);
const u = process.cpuUsage(before);
console.log("ms", performance.now() - t0, "cpu", (u.user + u.system) / 1000, "assoc", snapshot.clusters.reduce((n, c) => n + c.associations.length, 0), "errors", snapshot.errors.length);
const calls = (await (await fetch(`${sb.awsEndpoint}/_sandbox/calls`)).json()) as { operation: string; status?: number; code?: string }[];
const by = new Map<string, number>();
for (const c of (Array.isArray(calls) ? calls : (calls as any).calls)) { const k = `${c.operation} ${c.status ?? c.code ?? ""}`; by.set(k, (by.get(k) ?? 0) + 1); }
console.log([...by].sort((a, b) => b[1] - a[1]));
await sb.close(); process.exit(0);
