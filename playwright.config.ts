import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { REQUIRED_BOUNDARY } from "./e2e/helpers";
import { TEST_AUDIT_KEY } from "./tests/support/test-audit-key";

// Playwright cannot download its own browser here: use the system Chromium.
const candidates = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
const chromium = candidates.find((p) => existsSync(p));
if (!chromium) {
  throw new Error(
    "No Chromium found for the browser tests. Install it with `sudo apt-get install -y chromium` " +
      "(Debian/Ubuntu) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium/Chrome binary.",
  );
}

// Separate ports from a developer's `npm start` (3000/4566/4567), overridable so
// several checkouts can run browser tests side by side.
const base = Number(process.env.E2E_PORT_BASE ?? 3100);
export const E2E = {
  appPort: base,
  awsPort: base + 11466,
  kubePort: base + 11467,
  /** e2e/oidc/provider.mjs: the SSO test's OpenID Connect provider. */
  oidcPort: base + 11468,
  dataDir: `tmp/e2e-app-${base}`,
  /** Everything the app process printed during the run: e2e/log-secrets.teardown.ts checks it holds no secret. */
  appLog: `tmp/e2e-app-${base}.log`,
};

/** Recognisable, so the client-bundle test can look for it. */
export const OIDC_SECRET = "rolegate-e2e-oidc-client-secret-7f3a";

/** The app's settings for the browser run (Playwright adds them to its own environment); e2e/log-secrets.teardown.ts reads its secrets. */
export const APP_ENV: Record<string, string> = {
  PORT: String(E2E.appPort),
  ROLEGATE_MODE: "sandbox",
  // E2E_DATABASE_URL (set by .ci/run): a database of the browser tests' own, not the one the integration tests used.
  ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
  // Every browser test signs in from 127.0.0.1: the per-address limit (tested in tests/auth) would stop the suite.
  ROLEGATE_SIGN_IN_LIMIT_PER_IP: "10000",
  ROLEGATE_DATA_DIR: E2E.dataDir,
  // The key the integration tests chain with: with DATABASE_URL both use one database (tests/support/test-audit-key.ts).
  ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY,
  ROLEGATE_SANDBOX_AWS_ENDPOINT: `http://127.0.0.1:${E2E.awsPort}`,
  ROLEGATE_SANDBOX_KUBE_ENDPOINT: `http://127.0.0.1:${E2E.kubePort}`,
  // The sandbox's STS records the temporary credentials it issues: the log check looks for each.
  ROLEGATE_SANDBOX_CREDENTIALS_RECORD: `${E2E.dataDir}/sandbox-credentials.jsonl`,
  // Single sign-on works in sandbox mode too: the SSO test signs in through e2e/oidc/provider.mjs.
  ROLEGATE_PUBLIC_URL: `http://localhost:${E2E.appPort}`,
  ROLEGATE_OIDC_ISSUER: `http://localhost:${E2E.oidcPort}`,
  ROLEGATE_OIDC_CLIENT_ID: "rolegate",
  ROLEGATE_OIDC_CLIENT_SECRET: OIDC_SECRET,
  ROLEGATE_ROLE_MAP: "iam-team=approver,domino-admins=requester,security=auditor,rolegate-admins=admin",
  // New roles must carry this boundary: the form locks it (e2e/create-role.spec.ts).
  ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY: REQUIRED_BOUNDARY,
};

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  globalTeardown: "./e2e/log-secrets.teardown.ts",
  use: {
    baseURL: `http://localhost:${E2E.appPort}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: [
   {
    command: "node e2e/oidc/provider.mjs",
    url: `http://localhost:${E2E.oidcPort}/.well-known/openid-configuration`,
    timeout: 30_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { OIDC_PORT: String(E2E.oidcPort), OIDC_REDIRECT_URI: `http://localhost:${E2E.appPort}/api/auth/oidc/callback`, OIDC_CLIENT_SECRET: OIDC_SECRET },
   },
   {
    // The built app (scripts/start.ts serves `next start`'s handler) with a fresh sandbox and database.
    command: `rm -rf ${E2E.dataDir} && mkdir -p tmp && node --import tsx scripts/start.ts 2>&1 | tee ${E2E.appLog}`,
    url: `http://localhost:${E2E.appPort}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: APP_ENV,
   },
  ],
});
