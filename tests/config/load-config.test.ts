import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";

const file = (content: string) => {
  const p = path.join(mkdtempSync(path.join(os.tmpdir(), "rolegate-cfg-")), "rolegate.json");
  writeFileSync(p, content);
  return p;
};

describe("configuration", () => {
  it("defaults to sandbox mode with the demo account and the embedded database", () => {
    const c = loadConfig({});
    expect(c.mode).toBe("sandbox");
    // The demo fleet's Blue/Green region, the data-lake account, and the placement clusters' region.
    expect(c.targets.map((t) => `${t.accountId}/${t.region}`)).toEqual(["111122223333/us-east-1", "444455556666/us-east-1", "111122223333/us-west-2"]);
    expect(c.targets[1]!.assumeRoleArn).toBe("arn:aws:iam::444455556666:role/rolegate-reader");
    expect(c.database).toEqual({ url: undefined, dataDir: ".data" });
    expect(c.sandbox?.awsEndpoint).toBe("http://127.0.0.1:4566");
  });

  it("reads targets and assume-roles from the environment and switches to aws mode", () => {
    const c = loadConfig({
      ROLEGATE_TARGETS: "111122223333/us-east-1/*,444455556666/eu-west-1/green+blue",
      ROLEGATE_ASSUME_ROLES: "444455556666=arn:aws:iam::444455556666:role/RoleGateReader",
      DATABASE_URL: "postgresql://rolegate@db:5432/rolegate",
      ROLEGATE_AUDIT_KEY: "k".repeat(32),
    });
    expect(c.mode).toBe("aws");
    expect(c.server.host).toBe("0.0.0.0");
    expect(c.sandbox).toBeUndefined();
    expect(c.targets[1]).toEqual({ accountId: "444455556666", region: "eu-west-1", clusters: ["green", "blue"], assumeRoleArn: "arn:aws:iam::444455556666:role/RoleGateReader" });
  });

  it("reads a config file", () => {
    const p = file(JSON.stringify({ targets: [{ accountId: "111122223333", region: "eu-central-1", clusters: ["prod"] }] }));
    const c = loadConfig({ ROLEGATE_CONFIG: p, ROLEGATE_AUDIT_KEY: "k".repeat(32) });
    expect(c.mode).toBe("aws");
    expect(c.targets[0]!.clusters).toEqual(["prod"]);
  });

  it.each([
    [{ ROLEGATE_MODE: "aws" }, /ROLEGATE_TARGETS: aws mode needs/],
    [{ ROLEGATE_MODE: "prod" }, /ROLEGATE_MODE: "prod" must be/],
    [{ ROLEGATE_TARGETS: "1234/us-east-1/*" }, /ROLEGATE_TARGETS.*12-digit/],
    [{ ROLEGATE_TARGETS: "111122223333/useast1/*" }, /ROLEGATE_TARGETS.*region/],
    [{ ROLEGATE_TARGETS: "111122223333" }, /ROLEGATE_TARGETS.*must look like/],
    [{ ROLEGATE_ASSUME_ROLES: "111122223333=arn:aws:iam::1:role/x" }, /ROLEGATE_ASSUME_ROLES/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL: must be a postgres/],
    [{ PORT: "70000" }, /PORT: "70000" is not a TCP port/],
    [{ ROLEGATE_CONFIG: "/nonexistent/rolegate.json" }, /ROLEGATE_CONFIG: cannot read/],
    [{ ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_SANDBOX_AWS_ENDPOINT: "http://x:1" }, /ROLEGATE_SANDBOX_AWS_ENDPOINT: is only allowed in sandbox mode/],
  ])("bad setting %j stops with a message naming it", (env, message) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(message);
  });

  it("sandbox mode only when asked for or when nothing at all is configured (the quick start)", () => {
    expect(loadConfig({}).mode).toBe("sandbox");
    expect(loadConfig({ ROLEGATE_MODE: "sandbox", DATABASE_URL: "postgresql://x@db/rolegate" }).mode).toBe("sandbox");
    expect(loadConfig({ ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: "k".repeat(32) }).mode).toBe("aws");
  });

  it.each([
    [{ DATABASE_URL: "postgresql://rolegate@db:5432/rolegate" }, ["DATABASE_URL"]],
    [{ ROLEGATE_OIDC_ISSUER: "https://idp.example.com" }, ["ROLEGATE_OIDC_ISSUER"]],
    [{ DATABASE_URL: "postgresql://x@db/r", ROLEGATE_OIDC_CLIENT_ID: "rg", ROLEGATE_ROLE_MAP: "a=admin" }, ["DATABASE_URL", "ROLEGATE_OIDC_CLIENT_ID", "ROLEGATE_ROLE_MAP"]],
    [{ ROLEGATE_SCIM_TOKEN: "x".repeat(40) }, ["ROLEGATE_SCIM_TOKEN"]],
  ])("a database or SSO without targets or a mode stops start-up naming %j", (env, named) => {
    let message = "";
    try {
      loadConfig(env);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Configuration error in ROLEGATE_MODE: /);
    for (const setting of named) expect(message).toContain(setting);
    expect(message).toMatch(/ROLEGATE_TARGETS.*ROLEGATE_MODE=sandbox/);
  });

  it("sandbox mode listens on 127.0.0.1 unless ROLEGATE_LISTEN_HOST says otherwise (a container's HOSTNAME does not count)", () => {
    expect(loadConfig({}).server.host).toBe("127.0.0.1");
    expect(loadConfig({ HOSTNAME: "d41f0c2a9b1e" }).server.host).toBe("127.0.0.1");
    expect(loadConfig({ ROLEGATE_LISTEN_HOST: "0.0.0.0" }).server.host).toBe("0.0.0.0");
    expect(loadConfig({ ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: "k".repeat(32), HOSTNAME: "10.0.0.7" }).server.host).toBe("10.0.0.7");
    expect(() => loadConfig({ ROLEGATE_LISTEN_HOST: "bad host" })).toThrow(/ROLEGATE_LISTEN_HOST/);
  });

  it("caps API token lifetimes at ROLEGATE_TOKEN_MAX_DAYS (default 90) and needs a long SCIM secret", () => {
    expect(loadConfig({}).tokenMaxDays).toBe(90);
    expect(loadConfig({ ROLEGATE_TOKEN_MAX_DAYS: "30" }).tokenMaxDays).toBe(30);
    for (const bad of ["0", "366", "1.5", "ninety"]) expect(() => loadConfig({ ROLEGATE_TOKEN_MAX_DAYS: bad })).toThrow(/ROLEGATE_TOKEN_MAX_DAYS/);
    expect(loadConfig({ ROLEGATE_MODE: "sandbox" }).scim).toBeUndefined();
    expect(loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SCIM_TOKEN: "s".repeat(32) }).scim).toEqual({ token: "s".repeat(32) });
    expect(() => loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SCIM_TOKEN: "short" })).toThrow(/ROLEGATE_SCIM_TOKEN: must be at least 32/);
  });

  it("takes the per-address sign-in limit from ROLEGATE_SIGN_IN_LIMIT_PER_IP (default 60)", () => {
    expect(loadConfig({}).signInLimitPerIp).toBe(60);
    expect(loadConfig({ ROLEGATE_SIGN_IN_LIMIT_PER_IP: "500" }).signInLimitPerIp).toBe(500);
    for (const bad of ["4", "100001", "1.5", "many"]) expect(() => loadConfig({ ROLEGATE_SIGN_IN_LIMIT_PER_IP: bad })).toThrow(/ROLEGATE_SIGN_IN_LIMIT_PER_IP/);
  });

  it("takes a mandatory permissions boundary for created roles from ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY, a managed policy ARN", () => {
    expect(loadConfig({}).requiredPermissionsBoundary).toBeUndefined();
    const arn = "arn:aws:iam::111122223333:policy/boundaries/WorkloadBoundary";
    expect(loadConfig({ ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY: arn }).requiredPermissionsBoundary).toBe(arn);
    for (const bad of ["WorkloadBoundary", "arn:aws:iam::111122223333:role/x", "arn:aws:iam::1:policy/x"]) {
      expect(() => loadConfig({ ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY: bad })).toThrow(/ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY/);
    }
  });

  it("takes the job lease from ROLEGATE_JOB_LEASE_SECONDS (default 60) and an external sandbox only with its endpoints", () => {
    expect(loadConfig({}).jobs).toEqual({ leaseMs: 60_000, scanConcurrency: 64, scanKubeConcurrency: 4 });
    expect(loadConfig({ ROLEGATE_JOB_LEASE_SECONDS: "5", ROLEGATE_SCAN_CONCURRENCY: "8", ROLEGATE_SCAN_KUBE_CONCURRENCY: "16" }).jobs).toEqual({ leaseMs: 5_000, scanConcurrency: 8, scanKubeConcurrency: 16 });
    for (const bad of ["0", "1025", "1.5", "many"]) expect(() => loadConfig({ ROLEGATE_SCAN_CONCURRENCY: bad })).toThrow(/ROLEGATE_SCAN_CONCURRENCY/);
    for (const bad of ["0", "257", "2.5", "all"]) expect(() => loadConfig({ ROLEGATE_SCAN_KUBE_CONCURRENCY: bad })).toThrow(/ROLEGATE_SCAN_KUBE_CONCURRENCY/);
    for (const bad of ["1", "3601", "2.5", "soon"]) expect(() => loadConfig({ ROLEGATE_JOB_LEASE_SECONDS: bad })).toThrow(/ROLEGATE_JOB_LEASE_SECONDS/);
    const endpoints = { ROLEGATE_SANDBOX_AWS_ENDPOINT: "http://127.0.0.1:14566", ROLEGATE_SANDBOX_KUBE_ENDPOINT: "http://127.0.0.1:14567" };
    expect(loadConfig({ ROLEGATE_MODE: "sandbox" }).sandbox?.external).toBeUndefined();
    expect(loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_EXTERNAL: "true", ...endpoints }).sandbox).toMatchObject({ external: true, awsEndpoint: "http://127.0.0.1:14566" });
    expect(() => loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_EXTERNAL: "true" })).toThrow(/ROLEGATE_SANDBOX_EXTERNAL: needs ROLEGATE_SANDBOX_AWS_ENDPOINT/);
    expect(() => loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_EXTERNAL: "maybe", ...endpoints })).toThrow(/must be true or false/);
    expect(() => loadConfig({ ROLEGATE_TARGETS: "111122223333/us-east-1/*", ROLEGATE_AUDIT_KEY: "k".repeat(64), ROLEGATE_SANDBOX_EXTERNAL: "true" })).toThrow(/ROLEGATE_SANDBOX_EXTERNAL: is only allowed in sandbox mode/);
  });

  it("keeps scan history by ROLEGATE_SCAN_RETENTION_DAYS (default 30) and ROLEGATE_SCAN_RETENTION_MIN (default 10)", () => {
    expect(loadConfig({}).scanRetention).toEqual({ days: 30, minScans: 10 });
    expect(loadConfig({ ROLEGATE_SCAN_RETENTION_DAYS: "7", ROLEGATE_SCAN_RETENTION_MIN: "3" }).scanRetention).toEqual({ days: 7, minScans: 3 });
    for (const bad of ["0", "-1", "1.5", "forever"]) expect(() => loadConfig({ ROLEGATE_SCAN_RETENTION_DAYS: bad })).toThrow(/ROLEGATE_SCAN_RETENTION_DAYS: ".*" must be a whole number of days/);
    for (const bad of ["0", "2.5", "all"]) expect(() => loadConfig({ ROLEGATE_SCAN_RETENTION_MIN: bad })).toThrow(/ROLEGATE_SCAN_RETENTION_MIN: ".*" must be a whole number of scans/);
  });

  it("names the bad field inside a config file", () => {
    const p = file(JSON.stringify({ targets: [{ accountId: "111122223333", region: "us-east-1", assumeRoleArn: "not-an-arn" }] }));
    expect(() => loadConfig({ ROLEGATE_CONFIG: p })).toThrow(/targets\.0\.assumeRoleArn: must be an IAM role ARN/);
    const q = file(JSON.stringify({ targets: [], extra: 1 }));
    expect(() => loadConfig({ ROLEGATE_CONFIG: q })).toThrow(/ROLEGATE_CONFIG/);
  });
});
