// The benchmarks' sandbox in a worker thread (bench/inventory-sandbox-worker.ts):
// started with a fleet and faults, its endpoints once it listens, and a close.
import { Worker } from "node:worker_threads";
import type { FaultSettings } from "../sandbox/context";
import type { ScaledFleetOptions } from "../sandbox/seed/fleet";

export interface SandboxThread {
  awsEndpoint: string;
  kubeEndpoint: string;
  close: () => Promise<void>;
}

export async function startSandboxThread(workerData: { fleet: ScaledFleetOptions | "demo"; faults: FaultSettings }): Promise<SandboxThread> {
  // A .ts worker entry needs tsx's loader registered inside the worker first.
  const entry = new URL("./inventory-sandbox-worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  // A young generation larger than the default: the sandbox answers thousands of calls a second, each with
  // objects that live for its latency; scavenges then run less often and promote less (bench:scale spent a sixth
  // of its sandbox thread in GC).
  const worker = new Worker(boot, { eval: true, workerData, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
  const endpoints = await new Promise<{ awsEndpoint: string; kubeEndpoint: string }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    ...endpoints,
    close: async () => {
      worker.postMessage("close");
      await new Promise((r) => worker.once("exit", r));
    },
  };
}
