import { defineConfig } from "vitest/config";
import { TEST_AUDIT_KEY } from "./tests/support/test-audit-key";
import os from "node:os";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // Tests run server code: "server-only" is the empty module there, as under Next's react-server condition.
      "server-only": path.resolve(__dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts", "sandbox/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    // CI runs a failed test once more: one that passes only then is named in npm test's summary as
    // flaky, with its first error (scripts/test.ts), to be fixed, rather than failing the whole run.
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 180_000,
    // Integration tests share one Postgres database per run; files run one at a time
    // against it so they never see each other's half-finished state.
    fileParallelism: false,
    // The audit chain's HMAC key (lib/audit/key.ts) for tests and the CLI processes they spawn;
    // without it each process would generate its own into its data dir.
    // Checkpoints go to a file of this run, never to a local app's .data/audit-checkpoints.jsonl.
    env: {
      // Sandbox mode is never a default once DATABASE_URL is set (CI sets it): code that reads the
      // process's configuration in tests runs in sandbox mode because the suite says so.
      ROLEGATE_MODE: "sandbox",
      ROLEGATE_AUDIT_KEY: TEST_AUDIT_KEY,
      ROLEGATE_AUDIT_CHECKPOINT_FILE: path.join(os.tmpdir(), `rolegate-test-checkpoints-${process.pid}.jsonl`),
    },
    server: { deps: { inline: ["server-only"] } },
    // Records RoleGate's AWS calls to the sandbox during the run and checks them against deploy/iam/.
    globalSetup: ["tests/setup/aws-calls.ts"],
    setupFiles: ["tests/setup/per-file-checkpoints.ts"],
  },
});
