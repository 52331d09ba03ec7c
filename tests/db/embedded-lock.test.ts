import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireEmbeddedLock, EmbeddedDatabaseLockedError } from "@/lib/db/embedded-lock";
import { openEmbedded } from "@/lib/db/drivers";

describe("embedded database lock", () => {
  it("lets one opener in and refuses a second while the first holds it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-lock-"));
    const db = await openEmbedded(dir);
    await expect(openEmbedded(dir)).rejects.toBeInstanceOf(EmbeddedDatabaseLockedError);
    // Another process is refused too, with a message that says what to do.
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "-e", `import("${path.resolve(__dirname, "../../lib/db/drivers.ts")}").then(m => m.openEmbedded(${JSON.stringify(dir)})).then(() => process.exit(0), e => { console.error(e.message); process.exit(3); })`],
      { encoding: "utf8" },
    );
    expect(child.status).toBe(3);
    expect(child.stderr).toMatch(/already open in another RoleGate process.*DATABASE_URL/s);
    await db.close();
    const again = await openEmbedded(dir);
    await again.close();
  }, 60_000);

  it("takes over a lock whose owner process is gone", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-lock-"));
    writeFileSync(path.join(dir, "rolegate.lock"), "999999");
    const release = acquireEmbeddedLock(dir);
    expect(() => acquireEmbeddedLock(dir)).toThrow(EmbeddedDatabaseLockedError);
    release();
  });
});
