// bench:scale at its smallest (SCALE_* settings): the fleet in two accounts, two
// replica processes on their own Postgres database, today's scanner as the
// baseline; its last line is the JSON the integrator merges other sections into.
// Needs DATABASE_URL (two processes cannot share the embedded database).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const DATABASE_URL = process.env.DATABASE_URL;

describe.skipIf(!DATABASE_URL)("npm run bench:scale (small)", () => {
  it("scans a two-account fleet with two replicas and ends with the JSON line", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/scale.ts"], {
      cwd: root,
      env: {
        ...process.env,
        SCALE_CLUSTERS: "4",
        SCALE_ASSOCIATIONS: "20",
        SCALE_ACCOUNTS: "2",
        SCALE_ROLES: "100",
        SCALE_SERVICE_ACCOUNTS: "40",
        SCALE_REPLICAS: "2",
        SCALE_FRESHNESS_CHANGES: "6",
      },
      timeout: 280_000,
    });
    const lines = stdout.trim().split("\n");
    const result = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(["baselineCpuPerObjectMs", "boundRatio", "cpuPerObjectMs", "freshnessMaxMs", "freshnessP50Ms", "fullRecomputeMs", "incrementalMs", "maxRssMb", "replicaShare"]);
    expect(stdout).toMatch(/Fanned-out scan \(2 replicas x \d+ parts at once\): succeeded in/);
    // 4 clusters x 20 associations, 100 roles + the second account's scanner role, 10 SAs and 20 pods per cluster.
    expect(stdout).toContain("4 clusters, 80 associations, 101 roles, 40 SAs, 80 pods");
    for (const k of ["boundRatio", "cpuPerObjectMs", "baselineCpuPerObjectMs", "maxRssMb", "incrementalMs", "fullRecomputeMs", "freshnessP50Ms", "freshnessMaxMs"]) expect(result[k], k).toBeGreaterThan(0);
    const share = result.replicaShare as Record<string, number>;
    expect(Object.keys(share).every((k) => /^replica-[12]$/.test(k))).toBe(true);
    expect(Object.values(share).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  }, 300_000);
});
