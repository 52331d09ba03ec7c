// `npm run sandbox` (sandbox/cli.ts) as a real process: its Kubernetes API
// answers a call without a token with 401, as EKS does, unless anonymous access
// is opted into (--kube-anonymous or SANDBOX_KUBE_ANONYMOUS=1).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "rolegate-sandbox-cli-"));
const running = new Set<ChildProcess>();

/** Starts the CLI on free ports; resolves with its Kubernetes endpoint once it printed its banner, or with its exit and output. */
function startCli(args: string[], env: Record<string, string> = {}): Promise<{ kube?: string; banner: string; code?: number | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/cli.ts", "--aws-port", "0", "--kube-port", "0", "--kubeconfig", path.join(dir, `kubeconfig-${running.size}`), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  running.add(child);
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const kube = /Kubernetes API:\s+(http:\/\/\S+)\/clusters\/<cluster>/.exec(out)?.[1];
      if (kube && out.includes("Ctrl-C to stop.")) resolve({ kube, banner: out });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => resolve({ banner: out, code }));
  });
}

const podsWithoutToken = async (kube: string) => (await fetch(`${kube}/clusters/domino-green/api/v1/namespaces/domino-compute/pods`)).status;

afterEach(() => {
  for (const c of running) if (c.exitCode === null) c.kill("SIGTERM");
  running.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the standalone sandbox's Kubernetes API", () => {
  it("answers a call without a token with 401 by default, and says how to opt into anonymous access for kubectl", async () => {
    const { kube, banner } = await startCli([]);
    expect(await podsWithoutToken(kube!)).toBe(401);
    expect(banner).toContain("--kube-anonymous");
  });

  it("serves calls without a token with --kube-anonymous or SANDBOX_KUBE_ANONYMOUS=1", async () => {
    const flag = await startCli(["--kube-anonymous"]);
    expect(await podsWithoutToken(flag.kube!)).toBe(200);
    expect(flag.banner).toContain("anonymous Kubernetes access is on");
    const env = await startCli([], { SANDBOX_KUBE_ANONYMOUS: "1" });
    expect(await podsWithoutToken(env.kube!)).toBe(200);
  });

  it("refuses an unclear SANDBOX_KUBE_ANONYMOUS and documents the flag in --help", async () => {
    const bad = await startCli([], { SANDBOX_KUBE_ANONYMOUS: "maybe" });
    expect(bad.code).toBe(1);
    expect(bad.banner).toContain('SANDBOX_KUBE_ANONYMOUS expects 1/true or 0/false, got "maybe"');
    const help = await startCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.banner).toMatch(/--kube-anonymous[\s\S]*SANDBOX_KUBE_ANONYMOUS=1/);
  });
});
