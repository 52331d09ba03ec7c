// The benchmark's sandbox, in its own thread: an emulated AWS/Kubernetes is a
// remote service and must not share the scanner's event loop (or CPU core).
import { parentPort, workerData } from "node:worker_threads";
import { buildDemoFleet, buildScaledFleet, type ScaledFleetOptions } from "../sandbox/seed/fleet";
import { startSandbox } from "../sandbox/server";
import type { FaultSettings } from "../sandbox/context";

// "demo": the seeded demo fleet (bench:pages compares the two sizes).
const { fleet, faults } = workerData as { fleet: ScaledFleetOptions | "demo"; faults: FaultSettings };
const world = fleet === "demo" ? buildDemoFleet() : buildScaledFleet(fleet);
const sandbox = await startSandbox({ awsPort: 0, kubePort: 0, world, faults, log: () => {} });
parentPort!.on("message", async (m: string) => {
  if (m === "close") {
    await sandbox.close();
    process.exit(0);
  }
});
parentPort!.postMessage({ awsEndpoint: sandbox.awsEndpoint, kubeEndpoint: sandbox.kubeEndpoint });
