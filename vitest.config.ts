import { defineConfig } from "vitest/config";
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
    hookTimeout: 180_000,
    // Integration tests share one Postgres database per run; files run one at a time
    // against it so they never see each other's half-finished state.
    fileParallelism: false,
    server: { deps: { inline: ["server-only"] } },
  },
});
