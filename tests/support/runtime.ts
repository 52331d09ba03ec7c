// The app's runtime (lib/runtime.ts) pointed at a test world's sandbox and database,
// installed as the process's for code that reads it (server actions, API routes, pages).
import { loadConfig } from "@/lib/config/load";
import { createRuntime, setProcessRuntime, type Runtime } from "@/lib/runtime";
import type { World } from "./world";

export function installRuntime(w: World, config: Partial<ReturnType<typeof loadConfig>> = {}): { runtime: Runtime; uninstall: () => void } {
  const base = loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_AWS_ENDPOINT: w.sandbox.awsEndpoint, ROLEGATE_SANDBOX_KUBE_ENDPOINT: w.sandbox.kubeEndpoint });
  const runtime = createRuntime({ ...base, ...config }, { database: { prisma: w.prisma }, env: {} });
  const previous = setProcessRuntime(runtime);
  return {
    runtime,
    uninstall() {
      setProcessRuntime(previous);
      runtime.aws.pool.destroy();
    },
  };
}
