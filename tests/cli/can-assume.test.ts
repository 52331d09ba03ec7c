import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "@/cli/main";

const BIN = path.resolve(__dirname, "../../bin/rolegate.mjs");
const ISSUER_PATH = "oidc.eks.us-east-1.amazonaws.com/id/ABC123";
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${ISSUER_PATH}`;

const irsaPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{
    Sid: "Etl",
    Effect: "Allow",
    Principal: { Federated: PROVIDER },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${ISSUER_PATH}:sub`]: "system:serviceaccount:domino-compute:svc-etl", [`${ISSUER_PATH}:aud`]: "sts.amazonaws.com" } },
  }],
});
const podPolicy = JSON.stringify({
  Statement: [
    { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" },
    { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:TagSession", Condition: { StringEquals: { "aws:RequestTag/eks-cluster-name": "prod-blue" } } },
  ],
});

let dir: string;
const file = (name: string) => path.join(dir, name);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the real launcher; async so the (slow-ish, ~1 s) processes run concurrently. */
function run(args: string[], opts: { cwd?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? dir });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

const SPAWNED = new Set(["missing namespace", "invalid JSON", "unknown command", "bad cluster ARN"]);

/** Same entry point as the launcher, without the process start-up cost. */
async function runInProcess(args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => readFile(path.resolve(dir, p), "utf8"),
    readStdin: async () => "",
  });
  return { code, stdout, stderr };
}

const irsaArgs = (policyFile: string, sa = "svc-etl") => [
  "can-assume", "--trust-policy", policyFile, "--namespace", "domino-compute", "--service-account", sa, "--issuer", `https://${ISSUER_PATH}`,
];
const podArgs = (...more: string[]) => [
  "can-assume", "--trust-policy", "pod.json", "--namespace", "domino-compute", "--service-account", "svc-etl", "--pod-identity", ...more,
];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "rolegate-cli-"));
  writeFileSync(file("irsa.json"), irsaPolicy);
  writeFileSync(file("irsa.urlencoded"), encodeURIComponent(irsaPolicy));
  writeFileSync(file("pod.json"), podPolicy);
  writeFileSync(file("broken.json"), "{ not json");
  writeFileSync(file("bad-op.json"), JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "*", Condition: { StringEqualz: { a: "b" } } } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent("rolegate can-assume (real process)", () => {
  it("exit 0 when allowed, with a human answer", async () => {
    const r = await run(irsaArgs("irsa.json"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ALLOWED \(irsa\)\n/);
    expect(r.stderr).toBe("");
  });

  it("exit 1 when not allowed", async () => {
    const r = await run(irsaArgs("irsa.json", "svc-other"));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NOT ALLOWED/);
    expect(r.stderr).toBe("");
  });

  it("--json prints exactly allowed/mechanism/reason/statements", async () => {
    const r = await run([...irsaArgs("irsa.json"), "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["allowed", "mechanism", "reason", "statements"]);
    expect(out).toMatchObject({ allowed: true, mechanism: "irsa", reason: expect.stringMatching(/^Allowed/) });
    expect(out.statements).toEqual([
      { index: 0, sid: "Etl", effect: "Allow", matched: true, actions: ["sts:AssumeRoleWithWebIdentity"], why: expect.any(String) },
    ]);
  });

  it("reads a URL-encoded policy file", async () => {
    expect((await run(irsaArgs("irsa.urlencoded"))).code).toBe(0);
  });

  it("reads the policy from stdin with -", async () => {
    expect((await run(irsaArgs("-"), { input: encodeURIComponent(irsaPolicy) })).code).toBe(0);
  });

  it("works from another cwd with an absolute policy path", async () => {
    expect((await run(irsaArgs(file("irsa.json")), { cwd: tmpdir() })).code).toBe(0);
  });

  it("accepts the issuer without https:// and a custom audience", async () => {
    const base = irsaArgs("irsa.json").slice(0, -1);
    expect((await run([...base, ISSUER_PATH])).code).toBe(0);
    expect((await run([...irsaArgs("irsa.json"), "--audience", "other"])).code).toBe(1);
  });

  it("Pod Identity: per-action decisions, cluster ARN, session tags", async () => {
    const without = await run([...podArgs(), "--json"]);
    expect(without.code).toBe(1);
    const out = JSON.parse(without.stdout);
    expect(out.mechanism).toBe("pod-identity");
    expect(out.reason).toMatch(/no statement allows sts:TagSession/);
    expect((await run(podArgs("--cluster-arn", "arn:aws:eks:us-east-1:111122223333:cluster/prod-blue"))).code).toBe(0);
    expect((await run(podArgs("--no-session-tags"))).code).toBe(0);
  });

  it.each<[string, string[], RegExp]>([
    ["missing namespace", ["can-assume", "--trust-policy", "irsa.json", "--service-account", "a", "--issuer", ISSUER_PATH], /--namespace is required/],
    ["missing trust policy", ["can-assume", "--namespace", "a", "--service-account", "a", "--issuer", ISSUER_PATH], /--trust-policy is required/],
    ["both mechanisms", [...irsaArgs("irsa.json"), "--pod-identity"], /mutually exclusive/],
    ["neither mechanism", ["can-assume", "--trust-policy", "irsa.json", "--namespace", "a", "--service-account", "a"], /one of --issuer/],
    ["unreadable file", irsaArgs("missing.json"), /cannot read trust policy file "missing.json": no such file/],
    ["invalid JSON", irsaArgs("broken.json"), /not valid JSON/],
    ["unknown operator", irsaArgs("bad-op.json"), /unknown condition operator "StringEqualz"/],
    ["bad namespace", ["can-assume", "--trust-policy", "irsa.json", "--namespace", "Bad_NS", "--service-account", "a", "--issuer", ISSUER_PATH], /namespace "Bad_NS"/],
    ["bad service account", ["can-assume", "--trust-policy", "irsa.json", "--namespace", "a", "--service-account", "A B", "--issuer", ISSUER_PATH], /service account name/],
    ["bad cluster ARN", podArgs("--cluster-arn", "prod-blue"), /cluster ARN "prod-blue"/],
    ["cluster ARN with IRSA", [...irsaArgs("irsa.json"), "--cluster-arn", "x"], /--cluster-arn only applies with --pod-identity/],
    ["unknown option", [...irsaArgs("irsa.json"), "--frobnicate"], /unknown option --frobnicate/],
    ["option without value", ["can-assume", "--namespace"], /--namespace needs a value/],
    ["unknown command", ["frobnicate"], /unknown command "frobnicate"/],
  ])("exit 2 with one stderr line: %s", async (name, args, msg) => {
    // Every case runs in-process; a few also through the real launcher.
    const r = SPAWNED.has(name) ? await run(args) : await runInProcess(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^rolegate: [^\n]+\n$/);
    expect(r.stderr).toMatch(msg);
  });

  it.each([[[]], [["--help"]], [["-h"]]])("lists commands for %j", async (args) => {
    const r = args.length === 0 ? await run(args) : await runInProcess(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("can-assume");
    expect(r.stderr).toBe("");
  });

  it("can-assume --help describes the flags", async () => {
    const r = await run(["can-assume", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--trust-policy", "--namespace", "--service-account", "--issuer", "--pod-identity", "--cluster-arn", "--no-session-tags", "--audience", "--json"]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
