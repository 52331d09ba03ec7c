// The scanner wired to this process (lib/runtime.ts): the runtime's AWS pool with
// standard SDK retries (the scanner's adaptive limiters pace each cluster), the
// sandbox's Kubernetes endpoint in sandbox mode, the kubeconfig file in aws mode.
import type { AppConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import { runtime } from "@/lib/runtime";
import type { ScanServiceDeps } from "./service";

/** `config` is the runtime's (kept for callers that pass it). */
export function scanServiceDeps(_config: AppConfig, prisma: PrismaClient): ScanServiceDeps {
  return runtime().scanServiceDeps(prisma);
}
