// A scan fanned out over the job queue. startScan writes the Scan row with its
// parts (ScanPart) and one "scan-part" job each: an account's IAM, a wildcard
// target's cluster list (which adds a part per cluster it finds), one cluster.
// Every replica's job runner claims them (SKIP LOCKED), several at once (a lane
// of ROLEGATE_SCAN_CONCURRENCY). A cluster is one part, so one replica at a time
// scans it and its rate limiters alone pace its Describe calls: the per-cluster
// throttle holds across replicas. A replica that dies mid-part loses its job
// lease and another one runs the part again.
//
// A part ends with a compare-and-swap (queued/running -> done); then, once
// committed, a part that sees none left undone enqueues the scan's one
// "scan-finalize" job (unique by key), which reads the node roles' policies,
// saves the snapshot (CAS running -> succeeded/partial) and runs the afterScan
// hook once.
import { hostname } from "node:os";
import { promisify } from "node:util";
import { gunzip, gzipSync } from "node:zlib";
import type { Target } from "@/lib/config/schema";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { log } from "@/lib/observability/log";
import { mapWithConcurrency } from "@/lib/util/concurrency";
import { enqueueJob, enqueueJobs, type ClaimedJob, type JobQueue } from "@/lib/jobs/queue";
import type { JobHandler } from "@/lib/jobs/runner";
import type { SnapshotCluster } from "../snapshot-types";
import { accountLocations, finishIam, snapshotHeader, targetClusters } from "./build-snapshot";
import { digestCluster, encodeCluster, isClusterDigest, type ClusterDigest, type SavedCluster } from "./cluster-digest";
import { ScanContext, type ScanError } from "./context";
import { LEASE_TTL_MS, releaseLease, renewLease } from "./lease";
import type { ProgressTracker, ScanProgress } from "./progress";
import type { AccountIam } from "./scan-account";
import { scanAccountIam } from "./scan-account";
import { scanCluster } from "./scan-cluster";
import { accountKey, clusterKey } from "./segments";
import type { ScanServiceDeps } from "./service";
import { saveScan, type ScanStatus } from "./store";

export const INVENTORY_SCOPE = "inventory";
export const SCAN_QUEUES: JobQueue[] = ["scan-part", "scan-finalize"];
const PROGRESS_WRITE_MS = 500;
const PART_ATTEMPTS = 3;

type PartKind = "account" | "target" | "cluster";

interface PartRef {
  key: string;
  kind: PartKind;
  accountId: string;
  region: string;
  cluster?: string;
}

// A cluster's or an account's part has the key its snapshot segment will have.
const clusterPart = (accountId: string, region: string, cluster: string): PartRef => ({ key: clusterKey({ accountId, region, name: cluster }), kind: "cluster", accountId, region, cluster });

const accountPart = (accountId: string): PartRef => ({ key: accountKey(accountId), kind: "account", accountId, region: "global" });

/** Its clusters are all found by listing: its IAM part waits for a listing (accountPartAfterListing). */
const listedOnly = (targets: Target[], accountId: string) => targets.filter((t) => t.accountId === accountId).every((t) => t.clusters.includes("*"));

/**
 * The parts known when a scan starts: each wildcard target's listing, each named cluster, and the
 * IAM part of each account that has named clusters. An account whose clusters are all listed gets
 * its IAM part from its first listing, after the clusters found (claimed oldest first): its clusters
 * are the scan's critical path, its IAM (thousands of roles to parse) is needed only by the finalize.
 * At 100 clusters in 5 accounts, the IAM parts claimed with the listings held up the listings
 * (one replica claimed them all), and the clusters started up to 5 s into the scan.
 */
export function initialParts(targets: Target[]): PartRef[] {
  const parts = new Map<string, PartRef>();
  const add = (p: PartRef) => parts.has(p.key) || parts.set(p.key, p);
  for (const t of targets) {
    if (t.clusters.includes("*")) add({ key: `target:${t.accountId}/${t.region}`, kind: "target", accountId: t.accountId, region: t.region });
    else for (const name of t.clusters) add(clusterPart(t.accountId, t.region, name));
  }
  for (const a of accountLocations(targets)) if (!listedOnly(targets, a.accountId)) add(accountPart(a.accountId));
  return [...parts.values()];
}

/** What a listing adds besides its clusters: its account's IAM part, when no part of the scan's start had it (once: parts are unique by key). */
function accountPartAfterListing(targets: Target[], accountId: string): PartRef[] {
  return listedOnly(targets, accountId) ? [accountPart(accountId)] : [];
}

type Tx = Prisma.TransactionClient;

/** Writes the parts and their jobs (in the transaction that creates the Scan row, or that finishes a target part). */
export async function addParts(tx: Tx, scanId: string, parts: PartRef[]): Promise<void> {
  if (!parts.length) return;
  await tx.scanPart.createMany({ data: parts.map((p) => ({ scanId, key: p.key, kind: p.kind })), skipDuplicates: true });
  await enqueueJobs(
    tx,
    parts.map((p) => ({ queue: "scan-part" as const, key: `scan-part:${scanId}:${p.key}`, payload: { scanId, ...p }, maxAttempts: PART_ATTEMPTS })),
  );
}

const ALREADY_DONE = new Error("the part was finished by another replica");
const encode = (v: unknown) => new Uint8Array(gzipSync(Buffer.from(JSON.stringify(v), "utf8"), { level: 1 }));
const gunzipAsync = promisify(gunzip);
// Inflated on libuv's thread pool: the finalize reads every part at once.
const inflate = async (data: Uint8Array): Promise<string> => (await gunzipAsync(data)).toString("utf8");
const asJson = (v: unknown) => v as Prisma.InputJsonValue;

type Counters = ScanProgress["parts"];

/**
 * The scan's progress from its parts: their own counters summed, with clusters and
 * accounts counted as parts. Written to the Scan row (while it runs, unless `final`).
 */
export async function writeScanProgress(prisma: PrismaClient, scanId: string, phase?: ScanProgress["phase"], final = false): Promise<void> {
  const parts = await prisma.scanPart.findMany({ where: { scanId }, select: { kind: true, status: true, progress: true } });
  const sum: Counters = {};
  const add = (name: string, done: number, total: number) => {
    const c = (sum[name] ??= { done: 0, total: 0 });
    c.done += done;
    c.total += total;
  };
  for (const p of parts) {
    for (const [name, c] of Object.entries((p.progress ?? {}) as Counters)) if (name !== "clusters" && name !== "accounts") add(name, c.done, c.total);
    if (p.kind === "cluster") add("clusters", p.status === "done" ? 1 : 0, 1);
    if (p.kind === "account") add("accounts", p.status === "done" ? 1 : 0, 1);
  }
  const values = Object.values(sum);
  const progress: ScanProgress = {
    phase: phase ?? (parts.some((p) => p.kind === "target" && p.status !== "done") ? "discovering" : "scanning"),
    done: values.reduce((s, c) => s + c.done, 0),
    total: values.reduce((s, c) => s + c.total, 0),
    parts: sum,
  };
  await prisma.scan.updateMany({ where: { id: scanId, ...(final ? {} : { status: "running" }) }, data: { progress: asJson(progress) } });
}

/**
 * The progress of the parts this process runs, written in one statement every PROGRESS_WRITE_MS (not per
 * call), and the Scan row's totals with it. A part that ends marks its scan for the next write instead of
 * writing the totals itself: at 100 clusters the parts end within seconds of each other, and each one's
 * write queued for the Scan row's lock and held a database connection meanwhile.
 */
class PartProgressWriter {
  private tracked = new Map<string, { scanId: string; key: string; tracker: ProgressTracker }>();
  /** Scans with a part ended since the last write. */
  private ended = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly prisma: PrismaClient) {}

  track(scanId: string, key: string, tracker: ProgressTracker): void {
    this.tracked.set(`${scanId}\n${key}`, { scanId, key, tracker });
    this.timer ??= setInterval(() => void this.flush(), PROGRESS_WRITE_MS);
  }

  /** The part is no longer run here (done, failed or given up): its scan's totals are written at the next flush. */
  forget(scanId: string, key: string): void {
    this.tracked.delete(`${scanId}\n${key}`);
    this.partEnded(scanId);
  }

  partEnded(scanId: string): void {
    this.ended.add(scanId);
    this.timer ??= setInterval(() => void this.flush(), PROGRESS_WRITE_MS);
  }

  private flush(): Promise<void> {
    const rows = [...this.tracked.values()].map(({ scanId, key, tracker }) => ({ scanId, key, progress: tracker.snapshot().parts }));
    const scans = new Set([...rows.map((r) => r.scanId), ...this.ended]);
    this.ended.clear();
    if (!this.tracked.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (!scans.size) return this.writing;
    this.writing = this.writing.then(async () => {
      if (rows.length)
        await this.prisma.$executeRawUnsafe(
          `UPDATE "ScanPart" AS p SET "progress" = v."progress"
           FROM jsonb_to_recordset($1::jsonb) AS v("scanId" uuid, "key" text, "progress" jsonb)
           WHERE p."scanId" = v."scanId" AND p."key" = v."key" AND p."status" = 'running'`,
          JSON.stringify(rows),
        );
      for (const scanId of scans) await writeScanProgress(this.prisma, scanId);
    }).catch(() => {});
    return this.writing;
  }
}

function targetOf(targets: Target[], part: PartRef): Target | undefined {
  const here = targets.filter((t) => t.accountId === part.accountId && (part.kind === "account" || t.region === part.region));
  if (part.kind !== "cluster") return here.find((t) => part.kind === "account" || t.clusters.includes("*"));
  return here.find((t) => t.clusters.includes(part.cluster!)) ?? here.find((t) => t.clusters.includes("*"));
}

/** Runs the parts and finalize jobs of scans: one per process, shared by its job runner's lane. */
export class ScanWorker {
  private readonly progress: PartProgressWriter;

  constructor(
    private readonly deps: ScanServiceDeps,
    readonly workerId = `${hostname()}:${process.pid}`,
  ) {
    this.progress = new PartProgressWriter(deps.prisma);
  }

  private get prisma() {
    return this.deps.prisma;
  }

  /** The job handlers of the scan queues. */
  handlers(): Record<"scan-part" | "scan-finalize", JobHandler> {
    return { "scan-part": (job) => this.partJob(job), "scan-finalize": (job) => this.finalizeJob(job) };
  }

  private async partJob(job: ClaimedJob): Promise<void> {
    const { scanId, ...part } = job.payload as unknown as PartRef & { scanId: string };
    try {
      await this.runPart(scanId, part);
    } catch (e) {
      if (job.attempts < job.maxAttempts) throw e;
      // Out of attempts: the part ends as an error of its scope, so the scan still finishes (partial),
      // with its account's IAM when it was a listing that would have added it.
      const found = part.kind === "target" ? accountPartAfterListing(this.deps.scan.targets, part.accountId) : [];
      await this.completePart(scanId, part, null, [{ scope: part.key, message: (e as Error).message }], {}, found);
      this.progress.partEnded(scanId);
    }
  }

  private async finalizeJob(job: ClaimedJob): Promise<void> {
    const scanId = String(job.payload.scanId);
    try {
      await this.finalize(scanId);
    } catch (e) {
      if (job.attempts < job.maxAttempts) throw e;
      await this.prisma.scan.updateMany({
        where: { id: scanId, status: "running" },
        data: { status: "failed", finishedAt: this.now(), errors: [{ scope: "scan", message: (e as Error).message }] },
      });
      await releaseLease(this.prisma, INVENTORY_SCOPE, scanId).catch(() => {});
    }
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Any replica working on the scan keeps its lease (holder: the scan's id) alive meanwhile. */
  private keepLease(scanId: string): () => void {
    const ttl = this.deps.leaseTtlMs ?? LEASE_TTL_MS;
    const timer = setInterval(() => void renewLease(this.prisma, INVENTORY_SCOPE, scanId, this.now(), ttl).catch(() => {}), Math.max(50, ttl / 3));
    return () => clearInterval(timer);
  }

  async runPart(scanId: string, part: PartRef): Promise<void> {
    const where = { scanId_key: { scanId, key: part.key } };
    const row = await this.prisma.scanPart.findUnique({ where, select: { status: true, scan: { select: { status: true } } } });
    if (!row || row.scan.status !== "running") return;
    // Done, but its replica may have died before asking for the finalize: ask again (at most one is enqueued).
    if (row.status === "done") return this.finalizeWhenAllDone(scanId);
    await this.prisma.scanPart.update({ where, data: { status: "running", worker: this.workerId, attempts: { increment: 1 }, startedAt: this.now() } });
    const ctx = new ScanContext(this.deps.scan);
    this.progress.track(scanId, part.key, ctx.progress);
    const stopLease = this.keepLease(scanId);
    try {
      const target = targetOf(this.deps.scan.targets, part);
      let result: unknown = null;
      let found: PartRef[] = [];
      if (!target) ctx.error(part.key, new Error("no configured target covers this part any more"));
      else if (part.kind === "account") result = (await scanAccountIam(ctx, target)) ?? null;
      else if (part.kind === "target") {
        const names = await targetClusters(ctx, target);
        found = [...names.map((n) => clusterPart(target.accountId, target.region, n)), ...accountPartAfterListing(this.deps.scan.targets, target.accountId)];
        result = names;
      } else result = (await scanCluster(ctx, target, part.cluster!)) ?? null;
      ctx.mark("read");
      await this.completePart(scanId, part, result, ctx.errors, ctx.progress.snapshot().parts, found, (step) => ctx.mark(step));
      log().info({ event: "inventory.scan_part_done", scanId, part: part.key, worker: this.workerId, ms: ctx.marks }, "scan part done");
    } finally {
      stopLease();
      this.progress.forget(scanId, part.key);
      ctx.close();
    }
  }

  /** Part done (CAS); the part that leaves none undone enqueues the scan's finalize job. */
  private async completePart(scanId: string, part: PartRef, result: unknown, errors: ScanError[], progress: Counters, found: PartRef[] = [], mark: (step: string) => void = () => {}): Promise<void> {
    // A cluster is serialized once, here: its compressed JSON is its segment's blob, and its digest all the finalize reads of it.
    // Its blob is stored here too, by content (a cluster unchanged since an earlier scan stores nothing), so
    // the finalize moves no cluster bytes: at 100 x 1,000 it read and wrote 128 MB on the scan's critical path.
    const cluster = result !== null && part.kind === "cluster" ? encodeCluster(result as SnapshotCluster) : null;
    const data = cluster ? null : result === null ? null : encode(result);
    mark("encoded");
    const ended = await this.prisma
      .$transaction(async (tx) => {
        const scan = await tx.scan.findUnique({ where: { id: scanId }, select: { status: true } });
        if (scan?.status !== "running") return false;
        if (cluster) await tx.segmentBlob.createMany({ data: [{ hash: cluster.digest.hash, data: cluster.data, sizeBytes: cluster.data.length }], skipDuplicates: true });
        const done = await tx.scanPart.updateMany({
          where: { scanId, key: part.key, status: { not: "done" } },
          data: {
            status: "done",
            result: data,
            // The reference pins the blob: the retention job leaves blobs a part points at alone.
            ...(cluster ? { summary: asJson(cluster.digest), blobHash: cluster.digest.hash } : {}),
            errors: asJson(errors),
            progress: asJson(progress),
            finishedAt: this.now(),
            worker: this.workerId,
          },
        });
        // Another replica finished it first (it took over after our lease lapsed): undo, blob included.
        if (done.count !== 1) throw ALREADY_DONE;
        await addParts(tx, scanId, found);
        return true;
      }, { timeout: 30_000 })
      .catch((e: unknown) => {
        if (e !== ALREADY_DONE) throw e;
        return false;
      });
    mark("committed");
    if (ended) await this.finalizeWhenAllDone(scanId);
  }

  /**
   * Enqueues the scan's finalize when no part is left undone. Each part asks after its own commit, so the
   * last one to commit sees every other one done (each statement sees what committed before it). Two
   * that see it at once enqueue the one job its key allows. No lock orders the parts' endings: at 100
   * clusters they end within seconds of each other, and holding the Scan row's lock to each commit (a
   * blob's WAL flushed) queued them by a second.
   */
  private async finalizeWhenAllDone(scanId: string): Promise<void> {
    const left = await this.prisma.scanPart.count({ where: { scanId, status: { not: "done" } } });
    if (left === 0) await enqueueJob(this.prisma, { queue: "scan-finalize", key: `scan-finalize:${scanId}`, payload: { scanId }, maxAttempts: PART_ATTEMPTS });
  }

  /** Once every part is done: node-role policies, the snapshot, its save (CAS: once), the afterScan hook. */
  async finalize(scanId: string): Promise<ScanStatus | null> {
    // Where a finalize's time goes (logged when it ends): it is on every scan's critical path.
    const began = performance.now();
    const ms: Record<string, number> = {};
    const lap = (phase: string) => void (ms[phase] = Math.round(performance.now() - began - Object.values(ms).reduce((a, b) => a + b, 0)));
    const scan = await this.prisma.scan.findUnique({ where: { id: scanId }, select: { status: true, startedAt: true } });
    if (scan?.status !== "running") return null;
    await writeScanProgress(this.prisma, scanId, "node-role-policies");
    // Cluster parts that stored their blob have no result to read: only their digests are loaded.
    const parts = await this.prisma.scanPart.findMany({ where: { scanId }, orderBy: { key: "asc" }, omit: { result: true } });
    const stored = (p: (typeof parts)[number]) => p.kind === "cluster" && !!p.blobHash && isClusterDigest(p.summary);
    const withResult = parts.filter((p) => !stored(p)).map((p) => p.key);
    const results = new Map(
      (await this.prisma.scanPart.findMany({ where: { scanId, key: { in: withResult } }, select: { key: true, result: true } })).map((r) => [r.key, r.result]),
    );
    lap("loadPartsMs");
    const ctx = new ScanContext(this.deps.scan);
    const stopLease = this.keepLease(scanId);
    try {
      const clusters: SavedCluster[] = [];
      const iamOf = new Map<string, AccountIam>();
      for (const p of parts) ctx.errors.push(...(p.errors as unknown as ScanError[]));
      // Clusters are not inflated: their parts' results are their segments' blobs as they are, and their
      // digests say the rest. Accounts are, a few at a time on the thread pool.
      await mapWithConcurrency(parts, 4, async (p) => {
        if (stored(p)) return void clusters.push({ digest: p.summary as unknown as ClusterDigest });
        const result = results.get(p.key);
        results.delete(p.key);
        if (!result) return;
        if (p.kind === "cluster") {
          // A part finished by a version without digests or stored blobs (a rolling upgrade) is read whole.
          let digest: ClusterDigest | null = isClusterDigest(p.summary) ? p.summary : null;
          if (!digest) {
            const text = await inflate(result);
            digest = digestCluster(JSON.parse(text) as SnapshotCluster, text);
          }
          clusters.push({ data: result, digest });
        }
        if (p.kind === "account") iamOf.set(p.key.slice("account:".length), JSON.parse(await inflate(result)) as AccountIam);
      });
      lap("readPartsMs");
      const accounts = accountLocations(this.deps.scan.targets);
      const { roles, oidcProviders } = await finishIam(ctx, accounts, accounts.map((a) => iamOf.get(a.accountId)), new Set(clusters.flatMap((c) => c.digest.nodeRoleArns)));
      const header = snapshotHeader(ctx, scan.startedAt.toISOString());
      lap("nodeRolePoliciesMs");
      await writeScanProgress(this.prisma, scanId, "saving");
      const status = await saveScan(this.prisma, scanId, { header, roles, oidcProviders, clusters }, this.now());
      if (!status) return null; // finalized already (a second run after a lapsed lease), or failed meanwhile
      lap("saveMs");
      await writeScanProgress(this.prisma, scanId, "done", true);
      await releaseLease(this.prisma, INVENTORY_SCOPE, scanId).catch(() => {});
      log().info({ event: "inventory.scan_finished", scanId, status, worker: this.workerId, finalize: ms }, "inventory scan finished");
      await this.deps.afterScan?.().catch((e) => log().error({ scanId, afterScan: (e as Error).message }, "afterScan failed"));
      return status;
    } finally {
      stopLease();
      ctx.close();
    }
  }
}
