// The scanner wired from AppConfig: its own AWS client pool (standard SDK
// retries; the scanner's adaptive limiters pace each cluster), the sandbox's
// Kubernetes endpoint in sandbox mode, the kubeconfig file in aws mode.
import { AwsClientPool, EksGateway, EksInventoryGateway, IamGateway } from "@/lib/aws";
import type { AppConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import { KubeGateway } from "@/lib/kube";
import type { ScanDeps } from "./context";
import type { ScanServiceDeps } from "./service";

const KEY = Symbol.for("rolegate.inventory-scan-deps");

export function scanDepsFromConfig(config: AppConfig): ScanDeps {
  const holder = globalThis as { [KEY]?: ScanDeps };
  if (!holder[KEY]) {
    const pool = new AwsClientPool({ endpoint: config.sandbox?.awsEndpoint, retryMode: "standard" });
    const kube =
      config.mode === "sandbox" && config.sandbox
        ? new KubeGateway({ kind: "sandbox", kubeEndpoint: config.sandbox.kubeEndpoint })
        : new KubeGateway({ kind: "kubeconfig", path: process.env.KUBECONFIG || undefined });
    holder[KEY] = { pool, eks: new EksGateway(pool), eksInventory: new EksInventoryGateway(pool), iam: new IamGateway(pool), kube, targets: config.targets };
  }
  return holder[KEY];
}

export function scanServiceDeps(config: AppConfig, prisma: PrismaClient): ScanServiceDeps {
  return { prisma, scan: scanDepsFromConfig(config) };
}
