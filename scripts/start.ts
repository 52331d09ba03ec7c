// `npm start`: validate configuration, start the sandbox (sandbox mode), build
// if needed, then boot the runtime (lib/runtime.ts: database, AWS pool, Kubernetes,
// item kinds, job runner) and serve the built Next.js app with it, all in one
// process (the embedded database allows one process only).
import http from "node:http";
import path from "node:path";
import next from "next";
import { ConfigError, loadConfig } from "../lib/config";
import { buildIfNeeded } from "./build-if-needed";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);

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

buildIfNeeded(root);

// The composition root, built once the sandbox's endpoints are known; Next's server code uses the same one.
const { createRuntime, setProcessRuntime } = await import("../lib/runtime");
const runtime = createRuntime(config);
setProcessRuntime(runtime);
let db;
try {
  db = await runtime.database();
} catch (e) {
  fail(config.database.url ? `cannot open the database (DATABASE_URL): ${(e as Error).message}` : (e as Error).message);
}
closers.push(() => runtime.close());
console.log(`Database: ${db.description} (${db.migrations.applied.length} migration(s) applied now, ${db.migrations.alreadyApplied} before)`);

const { boot } = await import("../lib/boot");
try {
  await boot(runtime, db.prisma);
} catch (e) {
  fail((e as Error).message); // e.g. names ROLEGATE_SCAN_INTERVAL_MINUTES
}

const app = next({ dev: false, dir: root, hostname: "localhost", port: config.server.port });
await app.prepare();
const handle = app.getRequestHandler();
const server = http.createServer((req, res) => void handle(req, res));
await new Promise<void>((resolve, reject) => {
  server.once("error", (e: NodeJS.ErrnoException) =>
    e.code === "EADDRINUSE" ? fail(`port ${config.server.port} is in use. Stop what uses it or set PORT.`) : reject(e),
  );
  server.listen(config.server.port, config.server.host, resolve);
});
closers.push(() => new Promise((r) => server.close(() => r())));
console.log(`\nRoleGate is ready: open http://localhost:${config.server.port}  (${config.mode} mode, ${db.kind} database)\n`);
