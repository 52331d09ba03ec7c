// `npm start`: validate configuration, start the sandbox (sandbox mode), build
// if needed, open + migrate the database, seed demo users, refresh mappings,
// then serve the built Next.js app, all in one process (the embedded database
// allows one process only).
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { ConfigError, getConfig } from "../lib/config";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
// In the container image this file runs compiled (scripts/image/bundle-start.ts) beside Next's
// standalone server.js: already built, and Next's configuration comes from the build.
const standalone = existsSync(path.join(root, "server.js")) && existsSync(path.join(root, ".next", "required-server-files.json"));
if (standalone) {
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(JSON.parse(readFileSync(path.join(root, ".next", "required-server-files.json"), "utf8")).config);
}

function fail(message: string): never {
  console.error(`\nRoleGate cannot start: ${message}\n`);
  process.exit(2);
}

let config;
try {
  config = getConfig();
} catch (e) {
  if (e instanceof ConfigError) fail(e.message);
  throw e;
}

const closers: (() => Promise<void>)[] = [];
async function shutdown(code = 0) {
  for (const close of closers.reverse()) await close().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

if (config.mode === "sandbox") {
  const { startSandbox } = await import("../sandbox/server");
  const dataDir = path.resolve(config.database.dataDir);
  const awsPort = Number(new URL(config.sandbox!.awsEndpoint).port || 4566);
  const kubePort = Number(new URL(config.sandbox!.kubeEndpoint).port || 4567);
  try {
    const sandbox = await startSandbox({ awsPort, kubePort, host: "127.0.0.1", stateFile: path.join(dataDir, "sandbox", "world.json"), kubeAllowAnonymous: true });
    const kubeconfig = path.join(dataDir, "sandbox", "kubeconfig");
    sandbox.writeKubeconfig(kubeconfig);
    config.sandbox = { awsEndpoint: sandbox.awsEndpoint, kubeEndpoint: sandbox.kubeEndpoint, kubeconfigPath: kubeconfig };
    closers.push(() => sandbox.close());
    console.log(`Sandbox: AWS at ${sandbox.awsEndpoint}, Kubernetes at ${sandbox.kubeEndpoint} (kubeconfig ${path.relative(root, kubeconfig)})`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "EADDRINUSE") {
      fail(`port ${awsPort} or ${kubePort} is in use, so the sandbox cannot start. Stop what uses it, or set ROLEGATE_SANDBOX_AWS_ENDPOINT / ROLEGATE_SANDBOX_KUBE_ENDPOINT to other ports (e.g. http://127.0.0.1:14566).`);
    }
    throw e;
  }
}

if (!standalone) (await import("./build-if-needed")).buildIfNeeded(root);

const { getDatabase } = await import("../lib/db/connection");
let db;
try {
  db = await getDatabase(config.database);
} catch (e) {
  fail(config.database.url ? `cannot open the database (DATABASE_URL): ${(e as Error).message}` : (e as Error).message);
}
closers.unshift(() => db.close());
console.log(`Database: ${db.description} (${db.migrations.applied.length} migration(s) applied now, ${db.migrations.alreadyApplied} before)`);

// The audit key (ROLEGATE_AUDIT_KEY, or generated once into the data dir in sandbox mode): resolved now so a bad key file stops start-up.
const { getAuditKey } = await import("../lib/audit/key");
let auditKey;
try {
  auditKey = getAuditKey();
} catch (e) {
  fail(`audit key: ${(e as Error).message}`);
}
console.log(`Audit: chain keyed with ${auditKey.source} (key id ${auditKey.id}); signed checkpoints every ${config.audit.checkpointEveryMinutes} min to ${config.audit.checkpointFile}`);
if ((await (await import("../lib/audit/verify")).newestKeyedRowVerifies(db.prisma, auditKey)) === false) {
  console.error(
    `WARNING: the newest audit row does not verify with this audit key (${auditKey.source}): either the key differs from the one the trail was written with (set the same ROLEGATE_AUDIT_KEY on every replica and keep it across restarts) or the trail was tampered with. Run: npx rolegate audit verify`,
  );
}

if (config.mode === "sandbox") {
  const { seedDemoUsers } = await import("../lib/auth/seed-demo-users");
  await seedDemoUsers(db.prisma);
}

// The disabled "rolegate-system" user that files revocations of time-bound mappings.
await (await import("../lib/requests/system-user")).ensureSystemUser(db.prisma);

// Read the clusters once at start-up so /mappings is never empty on first visit.
const { startMappingRefresh } = await import("../lib/inventory/refresh-mappings");
const { getAwsGateway } = await import("../lib/aws/index");
const refresh = await startMappingRefresh({ prisma: db.prisma, ...getAwsGateway(config), targets: config.targets }, "system");
const initial = refresh.done.then((outcomes) => {
  const failed = outcomes.filter((o) => o.error);
  for (const f of failed) console.error(`Mappings refresh of ${f.accountId}/${f.region}/${f.cluster} failed: ${f.error}`);
  console.log(`Mappings: ${outcomes.reduce((n, o) => n + (o.associations ?? 0), 0)} associations read from ${outcomes.length} cluster(s)`);
});
if (config.mode === "sandbox") await initial; // the sandbox answers at once

// Inventory scans every ROLEGATE_SCAN_INTERVAL_MINUTES as "scheduled-scan" jobs of the job runner below.
const { scanIntervalMs, scheduleInventoryScan, runScheduledScan } = await import("../lib/inventory/scan/schedule");
const { scanServiceDeps } = await import("../lib/inventory/scan/app-deps");
let scanEveryMs = 0;
try {
  scanEveryMs = scanIntervalMs();
} catch (e) {
  fail((e as Error).message); // names ROLEGATE_SCAN_INTERVAL_MINUTES
}
if (config.mode === "sandbox") {
  // The sandbox answers at once: finish the first scan before serving, so the inventory pages are never empty.
  const { startScan } = await import("../lib/inventory/scan/service");
  const first = await startScan(scanServiceDeps(config, db.prisma), "scheduled", "system");
  console.log(`Inventory: initial scan ${(await first.done) ?? (first.alreadyRunning ? "already running" : "skipped")}`);
}

// Apply approved requests and send notifications in this process (lib/jobs).
const { createRequestRunner } = await import("../lib/jobs/request-handlers");
const { getRequestsGateway } = await import("../lib/aws/requests-gateway");
// Signed checkpoints of the audit chain's head every ROLEGATE_AUDIT_CHECKPOINT_MINUTES (lib/audit/checkpoint-job.ts).
const { scheduleAuditCheckpoint, takeAuditCheckpoint } = await import("../lib/audit/checkpoint-job");
const jobRunner = createRequestRunner({ prisma: db.prisma, aws: getRequestsGateway(config), targets: config.targets }, {}, undefined, {
  handlers: {
    "scheduled-scan": () => runScheduledScan(scanServiceDeps(config, db.prisma), scanEveryMs),
    "audit-checkpoint": async () => void (await takeAuditCheckpoint({ prisma: db.prisma, key: auditKey, file: config.audit.checkpointFile })),
  },
  onTick: async (at) => {
    await scheduleInventoryScan(db.prisma, at, scanEveryMs);
    await scheduleAuditCheckpoint(db.prisma, config.audit.checkpointEveryMinutes, at);
  },
});
// "restart-pods" request items (stale-credential pods) are applied by this runner.
(await import("../lib/stale-pods/app-deps")).registerRestartApplierFromConfig(config, db.prisma);
// "extend-expiry" items (time-bound mapping extensions) too.
(await import("../lib/expiry/extend")).registerExtensionApplier(db.prisma);
jobRunner.start();
closers.push(() => jobRunner.stop());

const app = next({ dev: false, dir: root, hostname: "localhost", port: config.server.port });
await app.prepare();
const handle = app.getRequestHandler();
const { observeRequests } = await import("../lib/observability/http");
const observed = observeRequests(handle);
const server = http.createServer((req, res) => {
  // The TCP peer, for lib/auth/rate-limit clientIp(): overwrites whatever a client sent under that name.
  req.headers["x-rolegate-peer"] = req.socket.remoteAddress ?? "";
  return observed(req, res);
});
await new Promise<void>((resolve, reject) => {
  server.once("error", (e: NodeJS.ErrnoException) =>
    e.code === "EADDRINUSE" ? fail(`port ${config.server.port} is in use. Stop what uses it or set PORT.`) : reject(e),
  );
  server.listen(config.server.port, config.server.host, resolve);
});
closers.push(() => new Promise((r) => server.close(() => r())));
console.log(`\nRoleGate is ready: open http://localhost:${config.server.port}  (${config.mode} mode, ${db.kind} database)\n`);
