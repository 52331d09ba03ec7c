// npm run bench:pages — server response times of the pages people load most, at
// the demo fleet's size and at a scaled fleet (default 20 clusters x 500
// associations, 5,000 roles), in one run. For each fleet: a sandbox in its own
// thread, the built app as the image runs it (`node scripts/start.mjs` in the app
// scripts/image/assemble.ts lays out; its own embedded database unless
// BENCH_POSTGRES=1) against it, its first scan, one filed request; then 20
// simulated users at once load /, /mappings with filters, the request page and
// /audit in turn. Also reports the largest first-load JavaScript (gzip) of any
// page from the build output. The last line is one JSON object.
import { mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSandboxThread } from "./sandbox-thread";
import { REGION } from "../sandbox/seed/constants";
import { SCALED_SCANNER_ROLE, scaledAccountIds, type ScaledFleetOptions } from "../sandbox/seed/scaled";
import { Replica } from "../tests/support/replica";
import { TEST_AUDIT_KEY } from "../tests/support/test-audit-key";
import { firstLoadJsKb } from "./first-load-js";
import { freshDatabase } from "./fresh-database";
import { roleHref } from "../lib/inventory/views/role-href";
import { buildIfNeeded } from "../scripts/build-if-needed";
import { assembleApp } from "../scripts/image/assemble";

const root = path.resolve(import.meta.dirname, "..");
// The replicas write their logs to tmp/ (a fresh checkout has none).
mkdirSync(path.join(root, "tmp"), { recursive: true });
const USERS = Number(process.env.BENCH_USERS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// BENCH_FLEET=issue15: issue 15's size (100 clusters x 1,000 associations in 5 accounts, 25,000 roles,
// 50,000 service accounts); the default is issue 11's (20 x 500, 5,000 roles, one account).
const ISSUE15 = process.env.BENCH_FLEET === "issue15";
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ACCOUNTS = num("BENCH_ACCOUNTS", ISSUE15 ? 5 : 1);
const SCALED: ScaledFleetOptions = {
  clusters: num("BENCH_CLUSTERS", ISSUE15 ? 100 : 20),
  associationsPerCluster: num("BENCH_ASSOCIATIONS", ISSUE15 ? 1000 : 500),
  roles: num("BENCH_ROLES", ISSUE15 ? 25_000 : 5000),
  serviceAccounts: num("BENCH_SERVICE_ACCOUNTS", ISSUE15 ? 500 : num("BENCH_ASSOCIATIONS", 500)),
  ...(ACCOUNTS > 1 ? { accounts: ACCOUNTS, exactServiceAccounts: true } : {}),
};
/** Several accounts: the app watches each (the first with its own credentials, the others through the scanner role the scaled fleet creates). */
function targetSettings(fleet: ScaledFleetOptions | "demo"): Record<string, string> {
  if (fleet === "demo" || (fleet.accounts ?? 1) <= 1) return {};
  const accounts = scaledAccountIds(fleet.accounts!);
  return {
    ROLEGATE_TARGETS: accounts.map((a) => `${a}/${REGION}/*`).join(","),
    ROLEGATE_ASSUME_ROLES: accounts.slice(1).map((a) => `${a}=arn:aws:iam::${a}:role/${SCALED_SCANNER_ROLE}`).join(","),
  };
}
/** The reader every simulated user signs in as (sandbox mode's demo bearer token): an approver reads every page. */
const AUTH = { authorization: "Bearer sandbox-ivy" };

// BENCH_POSTGRES=1: the app on a fresh Postgres database next to DATABASE_URL's (as a deployment runs it), so
// its peak RSS is the app's alone; by default its own embedded database, which lives in the app's process.
const POSTGRES = process.env.BENCH_POSTGRES === "1";
// The app's Node options, as a deployment sets them (the Helm chart's NODE_OPTIONS: a heap limit under the pod's memory limit).
const APP_NODE_OPTIONS = process.env.BENCH_APP_NODE_OPTIONS ?? "";

// The image's /app, laid out from this checkout's build: what a pod runs (no TypeScript loader, no source maps).
// BENCH_APP_DIR: one laid out already (`tsx scripts/image/assemble.ts <dir>`), e.g. another commit's, to compare builds.
const APP_DIR = process.env.BENCH_APP_DIR ? path.resolve(process.env.BENCH_APP_DIR) : path.join(root, "tmp", "bench-pages-app");
if (!process.env.BENCH_APP_DIR) {
  buildIfNeeded(root);
  await assembleApp(root, APP_DIR);
}

const startSandbox = (fleet: ScaledFleetOptions | "demo") => startSandboxThread({ fleet, faults: {} });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: AUTH });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

type SaRow = { cluster: string; namespace: string; roleArn: string; mechanism: string };

/** Waits for the app's first scan (boot starts it) to be analysed: the service-accounts API then names its scan. */
async function firstScan(base: string, timeoutMs = 900_000): Promise<{ total: number; row: SaRow }> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const page = await getJson<{ total: number; scanId?: string | null; rows: SaRow[] }>(`${base}/api/v1/service-accounts?pageSize=10`).catch(() => null);
    if (page?.scanId && page.rows[0]) return { total: page.total, row: page.rows[0] };
    await sleep(1000);
  }
  throw new Error("the app's first scan did not finish in time");
}

async function fileRequest(base: string, row: SaRow): Promise<string> {
  const res = await fetch(`${base}/api/v1/requests`, {
    method: "POST",
    headers: { authorization: "Bearer sandbox-alice", "content-type": "application/json" },
    body: JSON.stringify({ kind: "create", cluster: row.cluster, namespace: row.namespace, serviceAccount: `svc-bench-${Date.now().toString(36)}`, roleArn: row.roleArn, disableSessionTags: false, tags: {}, justification: "bench:pages needs one request page to load" }),
  });
  if (res.status !== 201) throw new Error(`filing the bench request: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return ((await res.json()) as { id: string }).id;
}

let resets = 0;
/** GET with the body read; a connection the server closed as it was reused (keep-alive race) is retried, and counted. */
async function timedGet(url: string): Promise<{ status: number; ms: number }> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const res = await fetch(url, { headers: AUTH });
      await res.text();
      return { status: res.status, ms: performance.now() - started };
    } catch (e) {
      const code = ((e as Error).cause as { code?: string } | undefined)?.code;
      if (code !== "ECONNRESET" || attempt >= 3) throw e;
      resets++;
    }
  }
}

/** The process's high-water resident set (Linux /proc), in MB; null elsewhere. */
function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/**
 * Each page alone (one user, SOLO_LOADS loads in turn, after the warm-up): the server time a page costs by itself.
 * Under 20 users every page waits behind the others in the one process, so the concurrent p95 of a cheap page
 * rises with an expensive one; this says which page the time goes to. Also the bytes each page sends.
 */
const SOLO_LOADS = Number(process.env.BENCH_SOLO_LOADS ?? 5);
async function solo(base: string, pages: Record<string, string>): Promise<Record<string, { p50: number; kb: number }>> {
  const out: Record<string, { p50: number; kb: number }> = {};
  for (const [k, url] of Object.entries(pages)) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SOLO_LOADS; i++) {
      const started = performance.now();
      bytes = (await (await fetch(base + url, { headers: AUTH })).arrayBuffer()).byteLength;
      times.push(performance.now() - started);
    }
    out[k] = { p50: Math.round(quantile(times.sort((a, b) => a - b), 0.5)), kb: Math.round(bytes / 1024) };
  }
  return out;
}

/** USERS users at once, each loading every page ROUNDS times in its own order; ms per page from request to the last byte. */
async function load(base: string, pages: Record<string, string>): Promise<Record<string, { p50: number; p95: number; n: number }>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
  const keys = Object.keys(pages);
  // One warm-up load of each page: the first render compiles nothing, but fills the process's view caches.
  for (const k of keys) await fetch(base + pages[k], { headers: AUTH }).then((r) => r.text());
  await Promise.all(
    Array.from({ length: USERS }, async (_, user) => {
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < keys.length; i++) {
          const k = keys[(i + user) % keys.length]!;
          const { status, ms } = await timedGet(base + pages[k]);
          if (status !== 200) throw new Error(`GET ${pages[k]}: ${status}`);
          times[k]!.push(ms);
        }
      }
    }),
  );
  return Object.fromEntries(
    keys.map((k) => {
      const sorted = times[k]!.sort((a, b) => a - b);
      return [k, { p50: Math.round(quantile(sorted, 0.5)), p95: Math.round(quantile(sorted, 0.95)), n: sorted.length }];
    }),
  );
}

async function measure(label: string, fleet: ScaledFleetOptions | "demo") {
  const sandbox = await startSandbox(fleet);
  const app = new Replica(`bench-pages-${label}`, {
    ROLEGATE_MODE: "sandbox",
    ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY,
    ROLEGATE_SANDBOX_EXTERNAL: "true",
    ROLEGATE_SANDBOX_AWS_ENDPOINT: sandbox.awsEndpoint,
    ROLEGATE_SANDBOX_KUBE_ENDPOINT: sandbox.kubeEndpoint,
    ROLEGATE_LOG_LEVEL: "warn",
    // No scheduled rescan while the users load pages: the first scan (at start-up) takes the current
    // hour's slot, and a run that crossed the hour rescanned the scaled fleet in the middle of the load.
    ROLEGATE_SCAN_INTERVAL_MINUTES: "100000",
    // Each fleet starts empty: a fresh Postgres database, or the embedded one of the app's own data directory.
    DATABASE_URL: POSTGRES ? await freshDatabase(`pages_${label}`) : "",
    ...(APP_NODE_OPTIONS ? { NODE_OPTIONS: APP_NODE_OPTIONS } : {}),
    ...targetSettings(fleet),
  }, APP_DIR);
  try {
    await app.start();
    await app.ready(600_000);
    const started = performance.now();
    const { total, row } = await firstScan(app.url);
    console.log(`${label}: first scan analysed in ${((performance.now() - started) / 1000).toFixed(1)} s after ready (${total} service account -> role rows)`);
    const requestId = await fileRequest(app.url, row);
    const pages = {
      "/": "/",
      "/mappings?severity=high": "/mappings?severity=high",
      [`/mappings?cluster=${row.cluster}&findings=any`]: `/mappings?cluster=${encodeURIComponent(row.cluster)}&findings=any`,
      "/requests/[id]": `/requests/${requestId}`,
      "/audit": "/audit",
      // Issue 15's pages besides issue 11's: at its size, or with BENCH_PAGES=all.
      ...(ISSUE15 || process.env.BENCH_PAGES === "all" ? { "/roles/[arn]": roleHref(row.roleArn), "/drift": "/drift" } : {}),
    };
    const result = await load(app.url, pages);
    for (const [page, r] of Object.entries(await solo(app.url, pages))) console.log(`${label} ${page} alone: p50 ${r.p50} ms, ${r.kb} kB of HTML`);
    for (const [page, r] of Object.entries(result)) console.log(`${label} ${page}: p50 ${r.p50} ms, p95 ${r.p95} ms (${r.n} loads, ${USERS} users)`);
    if (resets) console.log(`${label}: ${resets} connection(s) reset by the server on reuse, retried`);
    resets = 0;
    const peak = peakRssMb(app.pid);
    if (peak !== null) console.log(`${label}: the app's peak RSS ${peak} MB (scan, analysis and every page's view in one process${POSTGRES ? "; database on the Postgres server" : ", with its embedded database"}; target < 1024 MB)`);
    return result;
  } finally {
    await app.stop();
    await sandbox.close();
  }
}

console.log(`Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (wall-clock timings: a busy machine slows both fleets)`);
console.log(`Fleets: the demo fleet, and ${SCALED.clusters} clusters x ${SCALED.associationsPerCluster} associations in ${ACCOUNTS} account(s), ${SCALED.roles} roles; ${USERS} users x ${ROUNDS} rounds`);
const demo = await measure("demo", "demo");
const scaled = await measure("scaled", SCALED);

// Page keys differ only in the cluster name of the filtered /mappings: pair them by position.
const demoKeys = Object.keys(demo);
const pages: Record<string, { p95DemoMs: number; p95ScaledMs: number }> = {};
Object.keys(scaled).forEach((k, i) => {
  const key = k.startsWith("/mappings?cluster=") ? "/mappings?cluster=<first>&findings=any" : k;
  pages[key] = { p95DemoMs: demo[demoKeys[i]!]!.p95, p95ScaledMs: scaled[k]!.p95 };
});
for (const [page, p] of Object.entries(pages)) {
  const ratio = p.p95ScaledMs / Math.max(1, p.p95DemoMs);
  console.log(`${page}: p95 scaled / demo = ${ratio.toFixed(2)} (target <= 2)  ${ratio <= 2 ? "OK" : "MISSED"}`);
}
const js = firstLoadJsKb(root);
const maxFirstLoadJsKb = js ? Math.round(Math.max(...js.values()) * 10) / 10 : null;
if (js) {
  const [page] = [...js.entries()].sort((a, b) => b[1] - a[1])[0]!;
  console.log(`First-load JS (gzip): largest ${maxFirstLoadJsKb} kB on ${page} (target <= 200 kB)  ${maxFirstLoadJsKb! <= 200 ? "OK" : "MISSED"}`);
}
console.log(JSON.stringify({ pages, maxFirstLoadJsKb }));
process.exit(0);
