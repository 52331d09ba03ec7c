// Restart deps wired from AppConfig (sandbox Kubernetes endpoint, else the kubeconfig),
// and the job runner's "restart-pods" applier registered with them.
import type { AppConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import { KubeGateway, type KubeAccess } from "@/lib/kube";
import { registerRestartApplier, type RestartDeps } from "./restart";

export function restartDeps(config: AppConfig, prisma: PrismaClient): RestartDeps {
  const kubeAccess: KubeAccess =
    config.mode === "sandbox" && config.sandbox ? { kind: "sandbox", kubeEndpoint: config.sandbox.kubeEndpoint } : { kind: "kubeconfig", path: process.env.KUBECONFIG || undefined };
  const deletionsPerSecond = Number(process.env.ROLEGATE_POD_DELETIONS_PER_SECOND) || undefined;
  return { prisma, kube: new KubeGateway(kubeAccess), kubeAccess, ...(deletionsPerSecond ? { deletionsPerSecond } : {}) };
}

/** Call once where the job runner starts (scripts/start.ts). */
export function registerRestartApplierFromConfig(config: AppConfig, prisma: PrismaClient): void {
  registerRestartApplier(restartDeps(config, prisma));
}
