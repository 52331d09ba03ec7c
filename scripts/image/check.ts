// `npm run image:check`: builds the image if its inputs changed, starts it the
// way a cluster would (its ENTRYPOINT, its USER, /data and /tmp as volumes) in
// sandbox mode, and exits 0 only when /readyz answered 200 and:
//  - /livez and /startupz answer 200, /metrics wants its bearer token and then
//    serves Prometheus text;
//  - the container wrote nothing outside its volumes (its root file system is
//    compared before and after: a read-only root file system works);
//  - its log is JSON lines and holds none of the secrets the check used
//    (metrics token, a bearer token, a session cookie, a sign-in code).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildah, STORAGE } from "./buildah";
import { buildImage } from "./build";

const root = path.resolve(import.meta.dirname, "..", "..");
process.chdir(root);
const started = Date.now();
const base = Number(process.env.E2E_PORT_BASE ?? 3100) + 70;
const ports = { app: base, aws: base + 1, kube: base + 2 };
const USER_ID = 65532;

function fail(message: string): never {
  console.error(`\nimage:check FAILED: ${message}`);
  process.exit(1);
}

/** Every path under dir with its size and mtime, skipping the volumes and what the runtime mounts. */
function snapshot(dir: string): Map<string, string> {
  const skip = new Set(["data", "tmp", "proc", "sys", "dev", "run", "etc/hosts", "etc/resolv.conf", "etc/hostname"]);
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip.has(r)) continue;
      const st = lstatSync(path.join(dir, r));
      // Directories by mode only: the runtime adds its mount points (/etc/hosts) and so touches their mtime.
      out.set(r, st.isDirectory() ? `dir:${st.mode}` : `${st.mode}:${st.size}:${st.mtimeMs}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk("");
  return out;
}

const built = await buildImage(root).catch((e: Error) => fail(e.message));
const buildSeconds = (Date.now() - started) / 1000;

const work = path.join(root, "tmp", "image", "check");
rmSync(work, { recursive: true, force: true });
for (const v of ["data", "tmp"]) {
  mkdirSync(path.join(work, v), { recursive: true });
  chownSync(path.join(work, v), USER_ID, USER_ID);
}
const container = buildah(["from", "--name", `rolegate-check-${process.pid}`, built.image]).trim();
const cleanup = () => spawnSync("buildah", [...STORAGE, "rm", container], { stdio: "ignore" });
process.on("exit", cleanup);
const rootfs = buildah(["mount", container]).trim();
const before = snapshot(rootfs);

const config = (JSON.parse(buildah(["inspect", "--type", "image", built.image])) as { OCIv1: { config: { Entrypoint?: string[]; Cmd?: string[]; User?: string } } }).OCIv1.config;
const command = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
if (!config.User || config.User.startsWith("0") || config.User === "root") fail(`the image runs as ${config.User || "root"}; it must run as a non-root user`);

const secret = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;
const secrets = { metricsToken: secret("metrics"), bearer: `rg_${randomBytes(18).toString("hex")}`, cookie: secret("session"), code: secret("code") };
const env = {
  ROLEGATE_MODE: "sandbox",
  PORT: String(ports.app),
  ROLEGATE_SANDBOX_AWS_ENDPOINT: `http://127.0.0.1:${ports.aws}`,
  ROLEGATE_SANDBOX_KUBE_ENDPOINT: `http://127.0.0.1:${ports.kube}`,
  ROLEGATE_METRICS_TOKEN: secrets.metricsToken,
  ROLEGATE_LOG_LEVEL: "info",
};
console.log(`Starting ${built.image} as ${config.User}: ${command.join(" ")} (app on :${ports.app})`);
const runStarted = Date.now();
const child = spawn(
  "buildah",
  [
    ...STORAGE, "run", "--isolation", "chroot", "--network", "host", "--user", config.User,
    "-v", `${path.join(work, "data")}:/data`, "-v", `${path.join(work, "tmp")}:/tmp`,
    ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    container, "--", ...command,
  ],
  { stdio: ["ignore", "pipe", "pipe"], detached: true },
);
let output = "";
child.stdout.on("data", (d: Buffer) => (output += d.toString()));
child.stderr.on("data", (d: Buffer) => (output += d.toString()));
let exited: number | null | undefined;
child.on("exit", (code) => (exited = code));
const stop = async () => {
  if (exited !== undefined) return;
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {}
  for (let i = 0; i < 100 && exited === undefined; i++) await new Promise((r) => setTimeout(r, 100));
  if (exited === undefined) process.kill(-child.pid!, "SIGKILL");
};

const url = (p: string) => `http://127.0.0.1:${ports.app}${p}`;
async function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(url(p), { headers, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.text() };
}

try {
  let ready = false;
  for (let i = 0; i < 360 && exited === undefined; i++) {
    const r = await get("/readyz").catch(() => undefined);
    if (r?.status === 200) {
      ready = true;
      break;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  if (!ready) fail(`/readyz never answered 200 (${exited !== undefined ? `the container exited with ${exited}` : "timed out"}). Output:\n${output.slice(-4000)}`);
  const readySeconds = (Date.now() - runStarted) / 1000;
  console.log(`/readyz answered 200 after ${readySeconds.toFixed(1)} s`);

  for (const p of ["/livez", "/startupz"]) {
    const r = await get(p);
    if (r.status !== 200) fail(`${p} answered ${r.status}: ${r.body}`);
  }
  const noToken = await get("/metrics");
  if (noToken.status !== 401) fail(`/metrics without its token answered ${noToken.status}, not 401`);
  const wrong = await get("/metrics", { authorization: `Bearer ${secrets.bearer}` });
  if (wrong.status !== 401) fail(`/metrics with a wrong token answered ${wrong.status}, not 401`);
  const scraped = await get("/metrics", { authorization: `Bearer ${secrets.metricsToken}` });
  if (scraped.status !== 200 || !scraped.body.includes("rolegate_http_requests_total") || !scraped.body.includes("rolegate_audit_chain_valid 1")) {
    fail(`/metrics with its token answered ${scraped.status} without the expected series:\n${scraped.body.slice(0, 1000)}`);
  }
  // Requests carrying secrets the log must never show.
  await get("/api/v1/requests", { authorization: `Bearer ${secrets.bearer}` });
  await get("/requests", { cookie: `rolegate_session=${secrets.cookie}` });
  await get(`/api/auth/oidc/callback?code=${secrets.code}&state=x`);
  const page = await get("/signin");
  if (page.status !== 200) fail(`/signin answered ${page.status}`);
} finally {
  await stop();
}

writeFileSync(path.join(work, "container.log"), output);
const after = snapshot(rootfs);
const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
if (changed.length) fail(`the container wrote outside its volumes (/data, /tmp): ${changed.slice(0, 10).join(", ")}`);

const lines = output.split("\n").filter((l) => l.startsWith("{"));
const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === "request");
if (!requestLines.some((e) => e.route === "/signin" && typeof e.requestId === "string" && e.level === "info")) fail("no JSON request log line for /signin with a request id");
for (const [name, value] of Object.entries(secrets)) {
  if (output.includes(value)) fail(`the container's log contains the ${name} it was given`);
}
console.log(
  `image:check passed: ${built.image} (${built.built ? "built" : "reused"}; build step ${buildSeconds.toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s); ` +
    `non-root ${config.User}, root FS unchanged, ${requestLines.length} JSON request lines, no secret in ${output.split("\n").length} log lines`,
);
process.exit(0);
