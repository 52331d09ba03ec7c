// Starts the sandbox: the AWS edge (EKS/IAM/STS + /_sandbox control) on one
// port and the Kubernetes API emulator on another, sharing one SandboxContext.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { CallLog, FaultInjector, type FaultSettings, type SandboxContext } from "./context";
import type { SandboxWorld } from "./model";
import { Accounts } from "./aws/accounts";
import { createAwsRequestHandler } from "./aws/router";
import { CloudTrailFeed } from "./aws/cloudtrail";
import { SqsService } from "./aws/sqs";
import { DebouncedWorldWriter, loadWorldFile } from "./aws/state-file";
import { createKubeRequestHandler } from "./kube/server";
import { buildDemoFleet } from "./seed/fleet";

export interface StartSandboxOptions {
  /** Seed world; defaults to buildDemoFleet(). POST /_sandbox/reset restores it. */
  world?: SandboxWorld;
  /** 0 = random free port. Defaults 4566 / 4567. */
  awsPort?: number;
  kubePort?: number;
  host?: string;
  faults?: FaultSettings;
  /** JSON file: loaded instead of the seed when it exists, rewritten after every mutation. */
  stateFile?: string;
  now?: () => Date;
  log?: (message: string) => void;
  /**
   * Let requests without any Authorization header reach the Kubernetes API
   * unchecked. kubectl never sends its token over plain http, so interactive
   * kubectl use needs this; RoleGate and the tests send EKS tokens and keep it off.
   */
  kubeAllowAnonymous?: boolean;
}

export interface RunningSandbox {
  awsEndpoint: string;
  /** The SQS queue the CloudTrail events of every served change go to (aws/cloudtrail.ts). */
  eventsQueueUrl: string;
  kubeEndpoint: string;
  ctx: SandboxContext;
  /** kubeconfig YAML with one context per cluster; current-context = clusterName or the first cluster. */
  kubeconfigFor(clusterName?: string): string;
  writeKubeconfig(file: string, clusterName?: string): void;
  close(): Promise<void>;
}

export const SANDBOX_KUBE_TOKEN = "sandbox-token";

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export function clusterNames(world: SandboxWorld): string[] {
  const names = new Set<string>();
  for (const account of Object.values(world.accounts)) {
    for (const region of Object.values(account.regions)) for (const name of Object.keys(region.clusters)) names.add(name);
  }
  return [...names];
}

function buildKubeconfig(kubeEndpoint: string, clusters: string[], current?: string): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ["apiVersion: v1", "kind: Config", "preferences: {}", "clusters:"];
  for (const c of clusters) lines.push(`- name: ${q(c)}`, "  cluster:", `    server: ${q(`${kubeEndpoint}/clusters/${encodeURIComponent(c)}`)}`);
  lines.push("contexts:");
  for (const c of clusters) lines.push(`- name: ${q(c)}`, "  context:", `    cluster: ${q(c)}`, `    user: "sandbox"`);
  lines.push(`current-context: ${q(current ?? clusters[0] ?? "")}`);
  lines.push("users:", `- name: "sandbox"`, "  user:", `    token: ${q(SANDBOX_KUBE_TOKEN)}`);
  return lines.join("\n") + "\n";
}

export async function startSandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? ((m: string) => console.error(m));
  const seed = structuredClone(opts.world ?? buildDemoFleet());
  const persisted = opts.stateFile ? loadWorldFile(opts.stateFile) : undefined;
  let writer: DebouncedWorldWriter | undefined;
  const ctx: SandboxContext = {
    world: persisted ?? structuredClone(seed),
    faults: new FaultInjector(opts.faults ?? {}),
    calls: new CallLog(),
    now: opts.now ?? (() => new Date()),
    changed: () => writer?.schedule(),
  };
  let awsEndpointForUrls = "http://127.0.0.1:4566";
  ctx.sqs = new SqsService(() => awsEndpointForUrls);
  const firstAccount = () => Object.keys(ctx.world.accounts)[0] ?? "000000000000";
  ctx.cloudTrail = new CloudTrailFeed(ctx.sqs, firstAccount);
  if (opts.stateFile) writer = new DebouncedWorldWriter(opts.stateFile, () => ctx.world);

  // Reset keeps the world object identity so handlers holding ctx.world stay valid.
  const reset = () => {
    ctx.world.accounts = structuredClone(seed).accounts;
    ctx.cloudTrail?.reset();
    ctx.changed();
  };
  const accounts = new Accounts(ctx);
  const awsServer = http.createServer(createAwsRequestHandler(ctx, { reset, log, accounts }));
  const kubeServer = http.createServer(createKubeRequestHandler(ctx, { allowAnonymous: opts.kubeAllowAnonymous ?? false, accounts, log }));
  const awsPort = await listen(awsServer, opts.awsPort ?? 4566, host);
  let kubePort: number;
  try {
    kubePort = await listen(kubeServer, opts.kubePort ?? 4567, host);
  } catch (e) {
    await closeServer(awsServer);
    throw e;
  }
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const awsEndpoint = `http://${urlHost}:${awsPort}`;
  const kubeEndpoint = `http://${urlHost}:${kubePort}`;
  awsEndpointForUrls = awsEndpoint;
  const eventsQueueUrl = ctx.cloudTrail.ensureQueue();

  const kubeconfigFor = (clusterName?: string) => {
    const names = clusterNames(ctx.world);
    if (clusterName !== undefined && !names.includes(clusterName)) throw new Error(`unknown cluster ${clusterName}`);
    return buildKubeconfig(kubeEndpoint, names, clusterName);
  };
  let closed = false;
  return {
    awsEndpoint,
    eventsQueueUrl,
    kubeEndpoint,
    ctx,
    kubeconfigFor,
    writeKubeconfig(file, clusterName) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, kubeconfigFor(clusterName), { mode: 0o600 });
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([closeServer(awsServer), closeServer(kubeServer)]);
      writer?.flush();
    },
  };
}
