// Starts RoleGate exactly as the README's quick start does (`npm start`:
// sandbox mode, embedded database), checks /mappings lists the seeded
// associations, restarts it, and checks the data survived.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

const base = Number(process.env.E2E_PORT_BASE ?? 3100);
// Clear of playwright.config.ts: app base, sandbox base+11466/11467, OIDC provider base+11468.
const ports = { app: base + 1, aws: base + 11470, kube: base + 11471 };

function startApp(dataDir: string): Promise<{ child: ChildProcess; output: () => string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL; // the quick start has no Postgres
  const child = spawn("npm", ["start"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: {
      ...env,
      PORT: String(ports.app),
      ROLEGATE_DATA_DIR: dataDir,
      ROLEGATE_SANDBOX_AWS_ENDPOINT: `http://127.0.0.1:${ports.aws}`,
      ROLEGATE_SANDBOX_KUBE_ENDPOINT: `http://127.0.0.1:${ports.kube}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready in time:\n${log}`)), 240_000);
    const check = setInterval(() => {
      if (log.includes("RoleGate is ready")) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => log });
      }
    }, 200);
    child.on("exit", (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${log}`));
    });
  });
}

/** SIGTERM to npm and the app under it; resolves once the whole process group is gone (ports and lock released). */
async function stop(child: ChildProcess): Promise<void> {
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  child.removeAllListeners("exit");
  if (groupAlive()) process.kill(-child.pid!, "SIGTERM");
  // npm exits first; the app is still closing its servers and the database then.
  for (let waited = 0; groupAlive() && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive()) process.kill(-child.pid!, "SIGKILL");
}

test("npm start serves the seeded associations from the embedded database, and keeps data across a restart", async ({ page }) => {
  test.setTimeout(600_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rolegate-quickstart-"));
  const url = `http://localhost:${ports.app}`;
  try {
    const first = await startApp(dataDir);
    expect(first.output()).toContain(`open http://localhost:${ports.app}`);
    expect(first.output()).toContain("sandbox mode, embedded database");
    await page.goto(`${url}/signin`);
    await page.getByRole("button", { name: "Sign in as alice" }).click();
    await expect(page.getByTestId("current-user")).toBeVisible();
    await page.goto(`${url}/mappings?view=associations&cluster=domino-green`);
    await expect(page.getByTestId("mappings-table").locator("tbody tr").first()).toContainText("domino-green");
    const count = await page.getByTestId("mappings-count").textContent();
    expect(Number(count!.split(" of ")[1])).toBeGreaterThan(10);
    await stop(first.child);

    const second = await startApp(dataDir);
    expect(second.output()).toContain("0 migration(s) applied now");
    // The session cookie from before the restart still works: sessions live in the embedded database.
    await page.goto(`${url}/mappings?view=associations&cluster=domino-green`);
    await expect(page.getByTestId("current-user")).toContainText("Alice");
    await expect(page.getByTestId("mappings-count")).toHaveText(count!);
    await stop(second.child);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
