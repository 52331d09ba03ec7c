// npm run bench:freshness — how long a change made outside RoleGate takes to show
// as drift: 100 out-of-band changes (a Pod Identity association created,
// re-pointed to another role, then deleted, over and over, through a plain SDK
// client as the console or a script would), each timed from the AWS call until
// the drift domain's finding for that service account shows it. A cluster at
// EKS's limit of associations (bench:scale's fleet) first loses one, untimed. The path measured is the product's: the
// sandbox's CloudTrail event into its SQS queue, RoleGate's consumer
// (lib/freshness, long polling through @aws-sdk/client-sqs), Describe, the cache
// write, the drift query. Prints the median and the maximum; the last line is
// one JSON object {freshnessP50Ms, freshnessMaxMs}.
//
// measureFreshness() is exported for bench:scale: pass a running sandbox (its
// AWS endpoint and events queue) and a Prisma client to measure on that fleet.
// Alone, it starts the demo sandbox on free ports and uses DATABASE_URL when set
// (it writes the watched cluster's association cache), else an embedded
// database in a temporary directory.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CreatePodIdentityAssociationCommand, DeletePodIdentityAssociationCommand, EKSClient, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { AwsClientPool, EksGateway, EventsQueueGateway, IamGateway } from "../lib/aws/index";
import { openDatabase } from "../lib/db/connection";
import type { PrismaClient } from "../lib/db/generated/client";
import { driftOf } from "../lib/drift/state";
import { ChangeEventsConsumer } from "../lib/freshness/index";
import { startMappingRefresh } from "../lib/inventory/refresh-mappings";
import { buildItemKinds } from "../lib/runtime";
import type { FaultSettings } from "../sandbox/context";

export interface FreshnessBenchOptions {
  /** A running sandbox (default: the demo fleet, started here). */
  sandbox?: { awsEndpoint: string; eventsQueueUrl: string };
  /** The database to use (default: DATABASE_URL, else an embedded one in a temp dir). */
  prisma?: PrismaClient;
  /** Where the changes are made: a cluster of the fleet and two roles of its account. */
  target?: { accountId: string; region: string; cluster: string; namespace: string; roleArns: [string, string] };
  /** Out-of-band changes to time (default 100). */
  changes?: number;
  /** Latency the sandbox adds to each AWS call (default 30 ms, as bench:inventory). */
  latencyMs?: number;
  log?: (line: string) => void;
}

export interface FreshnessResult {
  freshnessP50Ms: number;
  freshnessMaxMs: number;
}

const DEMO_TARGET = {
  accountId: "111122223333",
  region: "us-east-1",
  cluster: "domino-green",
  namespace: "domino-compute",
  roleArns: ["arn:aws:iam::111122223333:role/domino/domino-pi-unmapped", "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality"] as [string, string],
};

/** EKS's quota of Pod Identity associations per cluster (the sandbox enforces it too). */
const EKS_ASSOCIATIONS_PER_CLUSTER = 1000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function measureFreshness(options: FreshnessBenchOptions = {}): Promise<FreshnessResult> {
  const log = options.log ?? console.log;
  const target = options.target ?? DEMO_TARGET;
  const changes = options.changes ?? 100;
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    let sandbox = options.sandbox;
    if (!sandbox) {
      const { startSandbox } = await import("../sandbox/server");
      const started = await startSandbox({ awsPort: 0, kubePort: 0, log: () => {} });
      cleanups.push(() => started.close());
      sandbox = started;
    }
    const faults: FaultSettings = { latencyMs: options.latencyMs ?? 30 };
    await fetch(`${sandbox.awsEndpoint}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(faults) });
    let prisma = options.prisma;
    if (!prisma) {
      const dataDir = process.env.DATABASE_URL ? ".data" : mkdtempSync(path.join(os.tmpdir(), "rolegate-bench-freshness-"));
      const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir });
      cleanups.push(async () => {
        await db.close();
        if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true });
      });
      prisma = db.prisma;
    }

    const targets = [{ accountId: target.accountId, region: target.region, clusters: [target.cluster] }];
    // The item-kind registry as the app builds it: drift reads the kinds that put an association in force.
    const kinds = buildItemKinds();
    const pool = new AwsClientPool({ endpoint: sandbox.awsEndpoint });
    cleanups.push(() => pool.destroy());
    await (await startMappingRefresh({ prisma, eks: new EksGateway(pool), targets }, "bench")).done;
    const cluster = await prisma.cluster.findUniqueOrThrow({ where: { accountId_region_name: { accountId: target.accountId, region: target.region, name: target.cluster } } });
    // Drop what earlier runs (or other tests) left in the queue: only this run's events are timed.
    const queue = new EventsQueueGateway(pool, sandbox.eventsQueueUrl);
    const consumer = new ChangeEventsConsumer({ prisma, eks: new EksGateway(pool), iam: new IamGateway(pool), targets, kinds }, queue, { waitSeconds: 20, log: () => {} });
    while ((await consumer.pollOnce(0)).length > 0);
    consumer.start();
    cleanups.push(() => consumer.stop());

    // The console's or a script's SDK: no "rolegate" user agent, so its changes are drift.
    const outside = new EKSClient({ endpoint: sandbox.awsEndpoint, region: target.region, credentials: { accessKeyId: target.accountId, secretAccessKey: "sandbox" }, maxAttempts: 3 });
    cleanups.push(() => outside.destroy());
    // Room for the one association this run adds at a time (EKS allows 1,000 per cluster).
    if ((await prisma.podIdentityAssociation.count({ where: { clusterId: cluster.id } })) >= EKS_ASSOCIATIONS_PER_CLUSTER) {
      const victim = await prisma.podIdentityAssociation.findFirstOrThrow({ where: { clusterId: cluster.id, ownerArn: null }, orderBy: { associationId: "asc" } });
      await outside.send(new DeletePodIdentityAssociationCommand({ clusterName: target.cluster, associationId: victim.associationId }));
      // Untimed: the running consumer takes the deletion's event off the queue before the first timed change.
      const t0 = performance.now();
      while (await prisma.podIdentityAssociation.findFirst({ where: { clusterId: cluster.id, associationId: victim.associationId } })) {
        if (performance.now() - t0 > 60_000) throw new Error(`the deletion of ${victim.associationId} did not reach the cache within 60 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const run = `${Date.now().toString(36)}`;
    const timings: number[] = [];
    let created: { sa: string; id: string } | undefined;
    for (let i = 0; i < changes; i++) {
      // Create, re-point, delete: the cluster ends each cycle with the associations it began with.
      const step = created ? (i % 3 === 1 ? "update" : "delete") : "create";
      const sa = created ? created.sa : `bench-fresh-${run}-${i}`;
      const wantRole = step === "create" ? target.roleArns[0] : step === "update" ? target.roleArns[1] : undefined;
      const t0 = performance.now();
      if (step === "update") {
        await outside.send(new UpdatePodIdentityAssociationCommand({ clusterName: target.cluster, associationId: created!.id, roleArn: wantRole }));
      } else if (step === "delete") {
        await outside.send(new DeletePodIdentityAssociationCommand({ clusterName: target.cluster, associationId: created!.id }));
        created = undefined;
      } else {
        const out = await outside.send(new CreatePodIdentityAssociationCommand({ clusterName: target.cluster, namespace: target.namespace, serviceAccount: sa, roleArn: wantRole }));
        created = { sa, id: out.association!.associationId! };
      }
      const loc = { accountId: target.accountId, region: target.region, cluster: target.cluster, namespace: target.namespace, serviceAccount: sa };
      for (;;) {
        const f = await driftOf(prisma, kinds, cluster.id, loc);
        // A deleted out-of-band association leaves no finding: nothing was approved for that service account.
        if (wantRole === undefined ? f === null : f?.actual?.roleArn === wantRole) break;
        if (performance.now() - t0 > 60_000) throw new Error(`change ${i} (${step} ${sa}) did not show in drift within 60 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
      timings.push(performance.now() - t0);
    }
    const result = { freshnessP50Ms: Math.round(median(timings)), freshnessMaxMs: Math.round(Math.max(...timings)) };
    log(`Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    log(`Freshness: ${changes} out-of-band changes on ${target.cluster} (${options.latencyMs ?? 30} ms per AWS call): visible in drift after ${result.freshnessP50Ms} ms median, ${result.freshnessMaxMs} ms at most`);
    return result;
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureFreshness();
  console.log(JSON.stringify(result));
  process.exit(0);
}
