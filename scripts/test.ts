// `npm test`: type-check, unit + integration tests (Vitest, real database and
// sandbox), browser tests (Playwright on the built app), then the container
// image check (buildah: scripts/image/check.ts). Ends with one
// summary line "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { buildIfNeeded } from "./build-if-needed";
import { ensurePrismaClient } from "./ensure-generated";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const out = path.join(root, "tmp", "test-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const only = process.argv[2]; // "unit" | "e2e" | "image" | undefined (all)
const failures: string[] = [];
/** Names of the failed tests, printed again at the very end: CI keeps only the tail of the log. */
const failedTests: string[] = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(name: string, cmd: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) failures.push(`${name} (exit ${r.status ?? r.signal})`);
  return r.status === 0;
}

ensurePrismaClient(root);
step("type-check", bin("tsc"), ["--noEmit", "-p", "."]);
checkLayering();

/**
 * The layering rules of .dependency-cruiser.cjs over the whole tree: each
 * violation counts as one failed test in the summary; a clean tree as one passed.
 */
function checkLayering(): void {
  console.log("\n=== layering (dependency-cruiser) ===");
  const dirs = ["app", "lib", "cli", "sandbox", "scripts", "bench", "tests", "e2e", "bin", "proxy.ts"].filter((d) => existsSync(path.join(root, d)));
  const r = spawnSync(bin("depcruise"), ["--config", ".dependency-cruiser.cjs", "--output-type", "err-long", ...dirs], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  if (r.status === 0) {
    console.log("no layering violations");
    totals.passed += 1;
    return;
  }
  const violations = Number(/(\d+) dependency violations?/.exec(r.stdout ?? "")?.[1] ?? 1);
  totals.failed += Math.max(violations, 1);
  failures.push(`layering (${violations} violation(s))`);
}

if (only !== "e2e" && only !== "image") {
  const report = path.join(out, "vitest.json");
  step("unit and integration tests (vitest)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += r.numPassedTests ?? 0;
    totals.failed += r.numFailedTests ?? 0;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    for (const file of r.testResults ?? []) {
      const rel = path.relative(root, file.name ?? "");
      for (const t of file.assertionResults ?? []) {
        if (t.status === "failed") failedTests.push(`vitest ${rel} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
        // Passed on its retry (CI: vitest.config.ts): the first attempt's error stays in the report.
        else if (t.status === "passed" && t.failureMessages?.length) failedTests.push(`vitest (flaky, passed on retry) ${rel} › ${t.fullName}: ${firstLine(t.failureMessages[0])}`);
      }
      // A file that fails to load or throws outside a test has no failed assertion to name.
      if (file.status === "failed" && !(file.assertionResults ?? []).some((t: { status: string }) => t.status === "failed")) {
        failedTests.push(`vitest ${rel}: ${firstLine(file.message)}`);
      }
    }
  }
}

if (only !== "unit" && only !== "image") {
  console.log("\n=== build (next build, when sources changed) ===");
  try {
    buildIfNeeded(root);
  } catch {
    failures.push("next build");
  }
  if (!failures.includes("next build")) {
    const report = path.join(out, "playwright.json");
    step("browser tests (playwright)", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    if (existsSync(report)) {
      const s = JSON.parse(readFileSync(report, "utf8")).stats ?? {};
      totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      totals.failed += s.unexpected ?? 0;
      totals.skipped += s.skipped ?? 0;
      collectPlaywright(JSON.parse(readFileSync(report, "utf8")).suites ?? []);
    }
  }
}

if (only === undefined || only === "image") {
  // The container image: built with buildah, started in sandbox mode, /readyz must answer 200 (scripts/image/check.ts).
  const started = Date.now();
  const ok = step("container image (npm run image:check)", bin("tsx"), [path.join(root, "scripts/image/check.ts")]);
  console.log(`image:check took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (ok) totals.passed += 1;
  else totals.failed += 1;
}

console.log("");
if (failedTests.length) {
  console.log("Failed and flaky tests:");
  for (const t of failedTests) console.log(`  - ${t}`);
}
if (failures.length) console.log(`Failed steps: ${failures.join("; ")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length || totals.failed ? 1 : 0);

function firstLine(text: unknown): string {
  // eslint-disable-next-line no-control-regex
  const line = String(text ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim()) ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

type PwSuite = { title?: string; file?: string; specs?: { title: string; tests?: { status?: string; results?: { error?: { message?: string } }[] }[] }[]; suites?: PwSuite[] };

/** Playwright's failed ("unexpected") and flaky tests, with their first error line. */
function collectPlaywright(suites: PwSuite[], trail: string[] = []): void {
  for (const suite of suites) {
    const names = suite.file && suite.title === suite.file ? [suite.file] : [...trail, suite.title ?? ""];
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== "unexpected" && t.status !== "flaky") continue;
        const error = t.results?.find((r) => r.error)?.error?.message;
        failedTests.push(`playwright (${t.status}) ${[...names, spec.title].filter(Boolean).join(" › ")}: ${firstLine(error)}`);
      }
    }
    collectPlaywright(suite.suites ?? [], names);
  }
}
