// The audit key and checkpoint settings: required key in aws mode, a generated
// 0600 key file reused in sandbox mode, and the owner connection for migrations.
import { mkdtempSync, readFileSync, statSync, chmodSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";
import { auditSettingsFromEnv } from "@/lib/config/audit";
import { resolveAuditKey } from "@/lib/audit/key";

const AWS = { ROLEGATE_MODE: "aws", ROLEGATE_TARGETS: "111122223333/us-east-1/*" };
const KEY = "0123456789abcdef0123456789abcdef";

describe("audit settings", () => {
  it("aws mode stops start-up without ROLEGATE_AUDIT_KEY, naming it", () => {
    expect(() => loadConfig(AWS)).toThrow(/Configuration error in ROLEGATE_AUDIT_KEY: aws mode needs the secret/);
    expect(loadConfig({ ...AWS, ROLEGATE_AUDIT_KEY: KEY }).audit.key).toBe(KEY);
  });

  it("refuses a short key and a bad checkpoint interval, naming the setting", () => {
    expect(() => loadConfig({ ROLEGATE_AUDIT_KEY: "short" })).toThrow(/ROLEGATE_AUDIT_KEY: must be at least 32 characters/);
    for (const v of ["0", "1.5", "soon", "20000"]) {
      expect(() => loadConfig({ ROLEGATE_AUDIT_CHECKPOINT_MINUTES: v })).toThrow(/ROLEGATE_AUDIT_CHECKPOINT_MINUTES/);
    }
  });

  it("defaults: no key in sandbox mode, key and checkpoint file in the data dir, hourly checkpoints", () => {
    expect(loadConfig({ ROLEGATE_DATA_DIR: "/var/rg" }).audit).toEqual({
      keyFile: "/var/rg/audit.key",
      checkpointFile: "/var/rg/audit-checkpoints.jsonl",
      checkpointEveryMinutes: 60,
    });
    expect(loadConfig({ ROLEGATE_AUDIT_CHECKPOINT_FILE: "/anchors/rg.jsonl", ROLEGATE_AUDIT_CHECKPOINT_MINUTES: "15" }).audit).toMatchObject({
      checkpointFile: "/anchors/rg.jsonl",
      checkpointEveryMinutes: 15,
    });
  });

  it("ROLEGATE_MIGRATION_DATABASE_URL goes with DATABASE_URL and must be a Postgres URL", () => {
    // A database without targets must name its mode (issue 10, hole 3): sandbox here.
    const mode = { ROLEGATE_MODE: "sandbox" };
    expect(loadConfig({ ...mode, DATABASE_URL: "postgresql://app@db/rg", ROLEGATE_MIGRATION_DATABASE_URL: "postgresql://owner@db/rg" }).database.migrationUrl).toBe("postgresql://owner@db/rg");
    expect(() => loadConfig({ ...mode, ROLEGATE_MIGRATION_DATABASE_URL: "postgresql://owner@db/rg" })).toThrow(/ROLEGATE_MIGRATION_DATABASE_URL/);
    expect(() => loadConfig({ ...mode, DATABASE_URL: "postgresql://app@db/rg", ROLEGATE_MIGRATION_DATABASE_URL: "mysql://x" })).toThrow(/ROLEGATE_MIGRATION_DATABASE_URL/);
  });
});

describe("audit key", () => {
  it("is generated once into the data dir with mode 0600 and reused; the CLI never generates one", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-key-"));
    const settings = auditSettingsFromEnv({ ROLEGATE_DATA_DIR: dir });
    expect(resolveAuditKey(settings, { create: false })).toBeNull();
    const first = resolveAuditKey(settings, { create: true })!;
    const file = path.join(dir, "audit.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
    const again = resolveAuditKey(settings, { create: true })!;
    expect(again.id).toBe(first.id);
    expect(again.chain.equals(first.chain)).toBe(true);
    expect(first.source).toBe(file);
  });

  it("refuses a key file others can read", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-key-"));
    writeFileSync(path.join(dir, "audit.key"), `${"a".repeat(64)}\n`);
    chmodSync(path.join(dir, "audit.key"), 0o644);
    expect(() => resolveAuditKey(auditSettingsFromEnv({ ROLEGATE_DATA_DIR: dir }), { create: true })).toThrow(/readable by other users .*chmod 600/);
  });

  it("ROLEGATE_AUDIT_KEY wins over a key file; different keys give different subkeys and ids", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-key-"));
    const fromEnv = resolveAuditKey(auditSettingsFromEnv({ ROLEGATE_DATA_DIR: dir, ROLEGATE_AUDIT_KEY: KEY }), { create: true })!;
    expect(fromEnv.source).toBe("ROLEGATE_AUDIT_KEY");
    const other = resolveAuditKey(auditSettingsFromEnv({ ROLEGATE_AUDIT_KEY: KEY.toUpperCase() }), { create: false })!;
    expect(other.id).not.toBe(fromEnv.id);
    expect(fromEnv.chain.equals(fromEnv.checkpoint)).toBe(false);
  });
});
