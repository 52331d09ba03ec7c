// The composition root: everything the process is wired from, built in one place.
// Configuration, the database (Prisma), ONE AWS client pool (clients keyed by
// account, region and assumed role; views with other retry settings share it),
// the Kubernetes gateway (EKS tokens minted from that pool), the item-kind registry and the job runner. Services get
// what they need from here as arguments; nothing else keeps process state.
//
// scripts/start.ts creates the runtime (after the sandbox is up, so the endpoints
// are known), installs it, and starts the job runner. The Next.js server code runs
// in that same process but as a separate bundle (a second copy of every module):
// `runtime()` is the one process-wide handle both copies share, created lazily from
// the environment when nothing was installed (e.g. `next dev`). Tests build their
// own with createRuntime(...) pointed at the sandbox and install it with setProcessRuntime.
import type { AppConfig } from "@/lib/config/schema";
import { loadConfig } from "@/lib/config/load";
import { AwsClientPool, EksAccessGateway, EksGateway, EksInventoryGateway, EventsQueueGateway, IamGateway, IdentityGateway, kubeAccessFromConfig } from "@/lib/aws";
import { ChangeEventsConsumer, type ConsumerOptions } from "@/lib/freshness";
import { requestsGatewayOn, type RequestsGateway } from "@/lib/aws/requests-gateway";
import { openDatabase, databaseSettingsFromEnv, type Database, type DatabaseSettings } from "@/lib/db/connection";
import type { DataMigration } from "@/lib/db/migrate";
import { getAuditKey } from "@/lib/audit/key";
import { recordedInTrail } from "@/lib/audit/recorded-in-trail";
import { keyCredentialHashes } from "@/lib/auth/key-credential-hashes";
import type { PrismaClient } from "@/lib/db/generated/client";
import { KubeGateway, type KubeAccess } from "@/lib/kube";
import { createItemKinds, createRoleItemKind, locationOf, requestItemKinds, requestTtlMs, signOpenApprovals, type ItemKinds, type RequestsDeps } from "@/lib/requests";
import { restartItemKind, revocationPodLister, type RestartAccess, type RestartDeps } from "@/lib/stale-pods/restart";
import { extensionItemKind } from "@/lib/expiry/extend";
import { matchTemplates, templateItemKind, type TemplateDeps } from "@/lib/templates";
import { SCAN_CLIENT_SETTINGS, type ScanDeps } from "@/lib/inventory/scan/context";
import type { AccessDeps } from "@/lib/cluster-access/rolegate-access";
import type { ScanServiceDeps } from "@/lib/inventory/scan/service";
import type { RefreshDeps } from "@/lib/inventory/refresh-mappings";
import { createRequestRunner, type ExtraJobs } from "@/lib/workers/request-handlers";
import { latestSnapshot } from "@/lib/inventory/scan/store";
import type { ReviewsDeps } from "@/lib/reviews/deps";
import { DEFAULT_UNUSED_DAYS } from "@/lib/config/reviews";
import type { RunnerOptions } from "@/lib/jobs/runner";
import type { JobRunner } from "@/lib/jobs/runner";

/** Every item kind this process can file and apply. Without Kubernetes access, "restart-pods" items are not applied and revocations plan no restarts. */
export function buildItemKinds(options: { restart?: RestartAccess; clock?: () => Date } = {}): ItemKinds {
  return createItemKinds(
    [...requestItemKinds, createRoleItemKind, extensionItemKind(options.clock), templateItemKind(options.clock), ...(options.restart ? [restartItemKind(options.restart)] : [])],
    options.restart ? { podLister: revocationPodLister(options.restart) } : {},
  );
}

/**
 * The data migrations the app runs once each after the SQL ones (lib/db/migrate.ts), in this order.
 * Both key rows with ROLEGATE_AUDIT_KEY: what RoleGate reads back from the database as its own.
 * Each run is recorded in the audit trail too, so a deleted ledger row does not make it run again.
 */
export function appDataMigrations(key = getAuditKey()): DataMigration[] {
  return [keyCredentialHashes(key), signOpenApprovals(key)].map((m) => recordedInTrail(m, key));
}

export interface Runtime {
  readonly config: AppConfig;
  readonly aws: {
    /** The process's one client pool. */
    pool: AwsClientPool;
    eks: EksGateway;
    identity: IdentityGateway;
    /** The request workflow's reads and writes (lib/aws/requests-gateway.ts). */
    requests: RequestsGateway;
  };
  readonly kube: {
    access: KubeAccess;
    gateway: KubeGateway;
    /** RoleGate's own standing on a cluster (access entry, SelfSubjectAccessReview): /clusters and the restart precheck. */
    clusterAccess: AccessDeps;
  };
  readonly kinds: ItemKinds;
  /** The inventory scanner's gateways (standard SDK retries: its limiters pace each cluster). */
  readonly scan: ScanDeps;
  /** Opens (once) and migrates the database. */
  database(): Promise<Database>;
  prisma(): Promise<PrismaClient>;
  requestsDeps(prisma: PrismaClient): RequestsDeps;
  restartDeps(prisma: PrismaClient): RestartDeps & { kinds: ItemKinds };
  /** Access reviews: the request services plus the latest scan and the review settings (ROLEGATE_REVIEW_OWNERS, ROLEGATE_REVIEW_UNUSED_DAYS). */
  reviewsDeps(prisma: PrismaClient): ReviewsDeps;
  scanServiceDeps(prisma: PrismaClient): ScanServiceDeps;
  /** The standing approvals' services (lib/templates): matching, filing, revoking, the dry run. */
  templateDeps(prisma: PrismaClient): TemplateDeps;
  /** The mappings refresh, with the standing approvals matched after it. */
  refreshDeps(prisma: PrismaClient): RefreshDeps;
  /** The change-events consumer (lib/freshness) when ROLEGATE_EVENTS_QUEUE_URL (or sandbox mode) names a queue; the caller starts it. */
  changeEvents(prisma: PrismaClient, options?: ConsumerOptions): ChangeEventsConsumer | undefined;
  /** The job runner (apply, notifications, expiry sweep, plus `extra` jobs); the caller starts it. */
  jobRunner(prisma: PrismaClient, options?: RunnerOptions, extra?: ExtraJobs): JobRunner;
  /** Process state a module keeps between requests (e.g. sign-in rate windows), made once per runtime under `key`. */
  state<T>(key: string, make: () => T): T;
  /** Stops the job runner, closes the AWS clients and the database. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** The database to open (default from the environment), or an open Prisma client the caller owns (tests). */
  database?: DatabaseSettings | { prisma: PrismaClient };
  /** SDK attempts of the request workflow's reads (default 4). */
  readAttempts?: number;
  env?: Record<string, string | undefined>;
}

export function createRuntime(config: AppConfig, options: RuntimeOptions = {}): Runtime {
  const env = options.env ?? process.env;
  const pool = new AwsClientPool({ endpoint: config.sandbox?.awsEndpoint });
  const requests = { ...requestsGatewayOn(pool, options.readAttempts), destroy: () => pool.destroy() };
  const scanPool = pool.withSettings(SCAN_CLIENT_SETTINGS);
  // Kubernetes with EKS tokens minted from the pool's credentials (the sandbox's
  // Kubernetes API in sandbox mode), or the kubeconfig ROLEGATE_KUBECONFIG names.
  const access: KubeAccess = kubeAccessFromConfig(config, pool, env);
  const kube = new KubeGateway(access);
  const clusterAccess: AccessDeps = { eksAccess: new EksAccessGateway(pool), kube, locationFor: (c) => locationOf(config.targets, c) };
  const deletionsPerSecond = Number(env.ROLEGATE_POD_DELETIONS_PER_SECOND) || undefined;
  const restart: RestartAccess = { kube, kubeAccess: access, access: clusterAccess, ...(deletionsPerSecond ? { deletionsPerSecond } : {}) };
  const kinds = buildItemKinds({ restart });
  const given = options.database && "prisma" in options.database ? options.database.prisma : undefined;
  let database: Promise<Database> | undefined;
  const runners: JobRunner[] = [];
  const consumers: ChangeEventsConsumer[] = [];
  const states = new Map<string, unknown>();

  const rt: Runtime = {
    config,
    aws: { pool, eks: new EksGateway(pool), identity: new IdentityGateway(pool), requests },
    kube: { access, gateway: kube, clusterAccess },
    kinds,
    scan: {
      pool: scanPool,
      eks: new EksGateway(scanPool),
      eksInventory: new EksInventoryGateway(scanPool),
      iam: new IamGateway(scanPool),
      kube,
      targets: config.targets,
      ...(config.jobs?.scanKubeConcurrency ? { kubeConcurrency: config.jobs.scanKubeConcurrency } : {}),
    },
    database() {
      if (given) return Promise.resolve({ prisma: given } as Database);
      const settings = options.database && !("prisma" in options.database) ? options.database : databaseSettingsFromEnv(env as NodeJS.ProcessEnv);
      database ??= openDatabase(settings, appDataMigrations()).catch((e) => {
        database = undefined;
        throw e;
      });
      return database;
    },
    async prisma() {
      return (await rt.database()).prisma;
    },
    // The placement prechecks (self-managed agent, Fargate, Windows) read Kubernetes through the same gateway.
    requestsDeps: (prisma) => ({ prisma, aws: requests, targets: config.targets, kinds, pendingTtlMs: requestTtlMs(), kube, ...(config.requiredPermissionsBoundary ? { requiredPermissionsBoundary: config.requiredPermissionsBoundary } : {}) }),
    restartDeps: (prisma) => ({ prisma, ...restart, kinds }),
    reviewsDeps: (prisma) => ({
      ...rt.requestsDeps(prisma),
      snapshot: async () => (await latestSnapshot(prisma))?.snapshot ?? null,
      owners: new Map(Object.entries(config.reviews?.owners ?? {})),
      unusedDays: config.reviews?.unusedDays ?? DEFAULT_UNUSED_DAYS,
    }),
    // After a scan or a refresh, active templates map the new service accounts they match (lib/templates/match.ts).
    // Scans fan out as jobs (lib/inventory/scan/parts.ts): the replicas' runners run them once this process's runner has
    // the scan lane (lib/boot.ts); before that (the first scan at start-up) and without one (tests, scripts), a runner started for the scan.
    scanServiceDeps: (prisma) => ({
      prisma,
      scan: rt.scan,
      afterScan: () => matchTemplates(rt.templateDeps(prisma)),
      runParts: runners.some((r) => r.runsLane("scan-part")) ? "queue" : "inline",
      ...(config.jobs ? { jobLeaseMs: config.jobs.leaseMs } : {}),
    }),
    templateDeps: (prisma) => ({ prisma, kube, kinds, targets: config.targets, pendingTtlMs: requestTtlMs() }),
    refreshDeps: (prisma) => ({ prisma, eks: rt.aws.eks, identity: rt.aws.identity, targets: config.targets, afterRefresh: () => matchTemplates(rt.templateDeps(prisma)) }),
    changeEvents(prisma, consumerOptions = {}) {
      if (!config.events) return undefined;
      // Re-reads go through the scanner's view (standard retries); the queue is read with RoleGate's own credentials.
      const consumer = new ChangeEventsConsumer(
        { prisma, eks: rt.scan.eks, iam: rt.scan.iam, targets: config.targets, kinds },
        new EventsQueueGateway(pool, config.events.queueUrl),
        { waitSeconds: config.events.waitSeconds, ...consumerOptions },
      );
      consumers.push(consumer);
      return consumer;
    },
    jobRunner(prisma, runnerOptions = {}, extra = {}) {
      const runner = createRequestRunner({ prisma, aws: requests, targets: config.targets, kinds, kube }, runnerOptions, undefined, extra);
      runners.push(runner);
      return runner;
    },
    state<T>(key: string, make: () => T): T {
      if (!states.has(key)) states.set(key, make());
      return states.get(key) as T;
    },
    async close() {
      for (const c of consumers) await c.stop();
      for (const r of runners) await r.stop();
      pool.destroy();
      const open = database;
      database = undefined;
      if (open) await (await open).close();
    },
  };
  return rt;
}

// The one process-wide handle (see the top of this file for why it is on globalThis).
const HOLDER = Symbol.for("rolegate.runtime");
type Holder = { [HOLDER]?: Runtime };

/** The process's runtime: the installed one, else created once from the environment. */
export function runtime(): Runtime {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= createRuntime(loadConfig());
  return holder[HOLDER];
}

/** Installs `rt` as the process's runtime (scripts/start.ts, tests); returns the one it replaced. */
export function setProcessRuntime(rt: Runtime | undefined): Runtime | undefined {
  const holder = globalThis as Holder;
  const previous = holder[HOLDER];
  if (rt) holder[HOLDER] = rt;
  else delete holder[HOLDER];
  return previous;
}

export function getDatabase(): Promise<Database> {
  return runtime().database();
}

export function getPrisma(): Promise<PrismaClient> {
  return runtime().prisma();
}

export async function closeDatabase(): Promise<void> {
  const holder = globalThis as Holder;
  const rt = holder[HOLDER];
  delete holder[HOLDER];
  await rt?.close();
}
