// Restart deps of this process (lib/runtime.ts: EKS tokens RoleGate mints, or ROLEGATE_KUBECONFIG;
// ROLEGATE_POD_DELETIONS_PER_SECOND; its own cluster access for the restart precheck), with its item kinds.
import type { AppConfig } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { ItemKinds } from "@/lib/requests";
import { runtime } from "@/lib/runtime";
import type { RestartDeps } from "./restart";

/** `config` is the runtime's (kept for callers that pass it). */
export function restartDeps(_config: AppConfig, prisma: PrismaClient): RestartDeps & { kinds: ItemKinds } {
  return runtime().restartDeps(prisma);
}
