// npm run bench:inventory — RoleGate's inventory scan vs the sequential baseline
// (List, then Describe one association at a time, as CLI scripts and eksctl do),
// both against the same sandbox in this process: 30 ms latency per call and a
// throttle of 20 DescribePodIdentityAssociation calls/s per cluster.
import { AwsClientPool, EksGateway, EksInventoryGateway, IamGateway, eksKubeAccess } from "../lib/aws/index";
import { buildInventorySnapshot } from "../lib/inventory/scan/build-snapshot";
import { KubeGateway } from "../lib/kube/index";
import os from "node:os";
import { startSandboxThread } from "./sandbox-thread";
import type { CallRecord, FaultSettings } from "../sandbox/context";

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 20);
const PER_CLUSTER = Number(process.env.BENCH_ASSOCIATIONS ?? 500);
const ROLES = Number(process.env.BENCH_ROLES ?? 5000);
const THROTTLE = 20;
const LATENCY_MS = 30;
/** Clusters the baseline walks for real; its time is extrapolated linearly to all of them. */
const BASELINE_CLUSTERS = Math.min(CLUSTERS, Number(process.env.BENCH_BASELINE_CLUSTERS ?? 2)); // 0 = RoleGate only
const ACCOUNT = "111122223333";
const REGION = "us-east-1";

const faults: FaultSettings = {
  latencyMs: LATENCY_MS,
  throttle: { DescribePodIdentityAssociation: { ratePerSecond: THROTTLE, scope: "operation+cluster" } },
};
const seconds = (ms: number) => (ms / 1000).toFixed(1);

const fleet = { clusters: CLUSTERS, associationsPerCluster: PER_CLUSTER, roles: ROLES, serviceAccounts: PER_CLUSTER };
const sandbox = await startSandboxThread({ fleet, faults });
const closeSandbox = sandbox.close;
const throttledDescribes = async () => {
  const res = await fetch(`${sandbox.awsEndpoint}/_sandbox/calls?operation=DescribePodIdentityAssociation`);
  return ((await res.json()) as CallRecord[]).filter((c) => c.injected === "throttle").length;
};
const configureFaults = (f: FaultSettings) =>
  fetch(`${sandbox.awsEndpoint}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(f), headers: { "content-type": "application/json" } });
const location = { accountId: ACCOUNT, region: REGION };
console.log(`Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (timings are wall-clock: a busy machine slows both runs)`);
console.log(`Fleet: ${CLUSTERS} clusters x ${PER_CLUSTER} associations, ${ROLES} roles; ${LATENCY_MS} ms per call, ${THROTTLE} Describe/s per cluster`);

// RoleGate: the inventory scan (clusters, node groups, add-ons, associations, roles, OIDC providers, node-role policies).
// Standard SDK retries: RoleGate's own adaptive limiters pace each cluster (the SDK's adaptive limiter is per client, i.e. per region, and would slow all 20 clusters for one cluster's throttle).
const pool = new AwsClientPool({ endpoint: sandbox.awsEndpoint, retryMode: "standard" });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const { snapshot, limiterStats } = await buildInventorySnapshot({
  pool,
  eks: new EksGateway(pool),
  eksInventory: new EksInventoryGateway(pool),
  iam: new IamGateway(pool),
  // The association + roles scan (with clusters, node groups, add-ons, OIDC); BENCH_KUBE=1 adds the Kubernetes reads.
  ...(process.env.BENCH_KUBE !== "1" ? {} : { kube: new KubeGateway(eksKubeAccess(pool, { targets: [location], sandboxKubeEndpoint: sandbox.kubeEndpoint })) }),
  targets: [{ ...location, clusters: ["*"] }],
});
const rolegateMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
pool.destroy();
const associations = snapshot.clusters.reduce((n, c) => n + c.associations.length, 0);
const throttled = await throttledDescribes();
if (snapshot.errors.length || associations !== CLUSTERS * PER_CLUSTER || snapshot.roles.length !== ROLES) {
  console.error("RoleGate scan incomplete:", { errors: snapshot.errors, associations, roles: snapshot.roles.length });
  process.exit(1);
}
const rates = limiterStats.filter((s) => s.key.includes("DescribePodIdentityAssociation")).map((s) => s.rate);
console.log(
  `RoleGate: ${seconds(rolegateMs)} s for ${associations} associations, ${snapshot.roles.length} roles, ` +
    `${snapshot.clusters.reduce((n, c) => n + c.pods.length + c.serviceAccounts.length, 0)} SAs+pods ` +
    `(client CPU ${cpuSeconds.toFixed(1)} s; ${throttled} throttled attempts; final per-cluster Describe rates ${Math.min(...rates)}-${Math.max(...rates)}/s)`,
);

if (BASELINE_CLUSTERS === 0) {
  await closeSandbox();
  process.exit(0);
}

// Baseline: ListRoles pages, then per cluster List + Describe one at a time (SDK adaptive retries only).
await configureFaults(faults); // fresh throttle buckets
const basePool = new AwsClientPool({ endpoint: sandbox.awsEndpoint });
const eks = new EksGateway(basePool);
const baseStarted = performance.now();
const roles = await new IamGateway(basePool).listRoles(location);
const rolesMs = performance.now() - baseStarted;
const clusterNames = (await eks.listClusterNames(location)).slice(0, BASELINE_CLUSTERS);
let described = 0;
for (const name of clusterNames) {
  for (const s of await eks.listAssociations(location, name)) {
    await eks.describeAssociation(location, name, s.associationId);
    described++;
  }
}
const baseMeasuredMs = performance.now() - baseStarted;
basePool.destroy();
const baselineMs = rolesMs + ((baseMeasuredMs - rolesMs) * CLUSTERS) / BASELINE_CLUSTERS;
await closeSandbox();

const bound = (PER_CLUSTER / THROTTLE) * 1000; // clusters run in parallel: each needs PER_CLUSTER / THROTTLE seconds
const speedup = baselineMs / rolegateMs;
const ofBound = rolegateMs / bound;
console.log(
  `Baseline: ${seconds(baselineMs)} s` +
    (BASELINE_CLUSTERS < CLUSTERS
      ? ` (extrapolated linearly: measured ${seconds(baseMeasuredMs)} s for ${roles.length} roles + ${described} associations on ${BASELINE_CLUSTERS} of ${CLUSTERS} clusters)`
      : ""),
);
console.log(`Speed-up: ${speedup.toFixed(1)}x (target >= 10x)  ${speedup >= 10 ? "OK" : "MISSED"}`);
console.log(`Throttle bound: ${seconds(bound)} s (${PER_CLUSTER} / ${THROTTLE} per s); RoleGate / bound = ${ofBound.toFixed(2)} (target <= 1.3)  ${ofBound <= 1.3 ? "OK" : "MISSED"}`);
process.exit(speedup >= 10 && ofBound <= 1.3 ? 0 : 1);
