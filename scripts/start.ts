// `npm start`: validate configuration, start the sandbox (sandbox mode), build
// if needed, then boot the runtime (lib/runtime.ts: database, AWS pool, Kubernetes,
// item kinds, job runner; lib/boot.ts) and serve the built Next.js app with it, all
// in one process (the embedded database allows one process only).
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { ConfigError, loadConfig } from "../lib/config";
import { captureRootContext } from "../lib/util/outside-request";

// Before any request: what the process keeps across requests runs in this context, not a request's.
captureRootContext();

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
// In the container image this file runs compiled (scripts/image/assemble.ts) beside Next's
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
  config = loadConfig();
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

if (config.mode === "sandbox" && config.sandbox?.external) {
  // ROLEGATE_SANDBOX_EXTERNAL: several replicas share one sandbox someone else started (tests/deploy/two-replicas.test.ts).
  console.log(`Sandbox: using the one running at ${config.sandbox.awsEndpoint} (AWS) and ${config.sandbox.kubeEndpoint} (Kubernetes)`);
} else if (config.mode === "sandbox") {
  const { startSandbox } = await import("../sandbox/server");
  const dataDir = path.resolve(config.database.dataDir);
  const awsPort = Number(new URL(config.sandbox!.awsEndpoint).port || 4566);
  const kubePort = Number(new URL(config.sandbox!.kubeEndpoint).port || 4567);
  try {
    const sandbox = await startSandbox({ awsPort, kubePort, host: "127.0.0.1", stateFile: path.join(dataDir, "sandbox", "world.json"), });
    const kubeconfig = path.join(dataDir, "sandbox", "kubeconfig");
    sandbox.writeKubeconfig(kubeconfig);
    config.sandbox = { awsEndpoint: sandbox.awsEndpoint, kubeEndpoint: sandbox.kubeEndpoint, kubeconfigPath: kubeconfig };
    // The sandbox's CloudTrail events queue (lib/freshness), unless ROLEGATE_EVENTS_QUEUE_URL chose another or "off".
    if (config.events && !process.env.ROLEGATE_EVENTS_QUEUE_URL) config.events = { ...config.events, queueUrl: sandbox.eventsQueueUrl };
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

// The composition root, built once the sandbox's endpoints are known; Next's server code uses the same one.
const { createRuntime, setProcessRuntime } = await import("../lib/runtime");
const runtime = createRuntime(config);
setProcessRuntime(runtime);
// The audit key (ROLEGATE_AUDIT_KEY, or generated once into the data dir in sandbox mode): resolved now so a bad key
// file stops start-up with its own message, before the database's data migrations need it.
const { getAuditKey } = await import("../lib/audit/key");
let auditKey;
try {
  auditKey = getAuditKey();
} catch (e) {
  fail(`audit key: ${(e as Error).message}`);
}
let db;
try {
  db = await runtime.database();
} catch (e) {
  fail(config.database.url ? `cannot open the database (DATABASE_URL): ${(e as Error).message}` : (e as Error).message);
}
closers.push(() => runtime.close());
console.log(`Database: ${db.description} (${db.migrations.applied.length} migration(s) applied now, ${db.migrations.alreadyApplied} before)`);

console.log(`Audit: chain keyed with ${auditKey.source} (key id ${auditKey.id}); signed checkpoints every ${config.audit.checkpointEveryMinutes} min to ${config.audit.checkpointFile}`);
if ((await (await import("../lib/audit/verify")).newestKeyedRowVerifies(db.prisma, auditKey)) === false) {
  console.error(
    `WARNING: the newest audit row does not verify with this audit key (${auditKey.source}): either the key differs from the one the trail was written with (set the same ROLEGATE_AUDIT_KEY on every replica and keep it across restarts) or the trail was tampered with. Run: npx rolegate audit verify`,
  );
}

const { boot } = await import("../lib/boot");
try {
  await boot(runtime, db.prisma, { auditKey });
} catch (e) {
  fail((e as Error).message); // e.g. names ROLEGATE_SCAN_INTERVAL_MINUTES
}

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
