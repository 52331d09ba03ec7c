import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts", "sandbox/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Integration tests share one Postgres database per run; files run one at a time
    // against it so they never see each other's half-finished state.
    fileParallelism: false,
    server: { deps: { inline: ["server-only"] } },
    // Records RoleGate's AWS calls to the sandbox during the run and checks them against deploy/iam/.
    globalSetup: ["tests/setup/aws-calls.ts"],
  },
});
