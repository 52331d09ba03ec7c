// What the template services need, passed in (lib/runtime.ts wires them; tests pass the world's).
import type { Target } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { KubeServiceAccount } from "@/lib/kube";
import type { ItemKinds } from "@/lib/requests";

export interface TemplateDeps {
  prisma: PrismaClient;
  /** Lists a cluster's service accounts (the Kubernetes gateway). */
  kube: { listServiceAccounts(cluster: string, clusterArn?: string): Promise<KubeServiceAccount[]> };
  kinds: ItemKinds;
  targets: Target[];
  now?: () => Date;
  pendingTtlMs?: number;
}

export const nowOf = (deps: Pick<TemplateDeps, "now">) => (deps.now ? deps.now() : new Date());
