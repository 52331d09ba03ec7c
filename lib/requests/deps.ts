// What the request services need, passed in so tests use the real DB and sandbox.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { Target } from "@/lib/config/schema";
import type { PrismaClient, Prisma } from "@/lib/db/generated/client";
import type { Role } from "@/lib/auth/permissions";
import type { PlacementKube } from "./prechecks/types";
import type { ItemKinds } from "./item-kinds";

export interface RequestsDeps {
  prisma: PrismaClient;
  aws: RequestsGateway;
  targets: Target[];
  /** The item kinds this process can file and apply (built in lib/runtime.ts). */
  kinds: ItemKinds;
  now?: () => Date;
  /** How long a pending request stays open (default ROLEGATE_REQUEST_TTL_HOURS, 72 h). */
  pendingTtlMs?: number;
  /** Kubernetes reads for the placement prechecks (agent pods, Fargate, Windows); without it they warn instead. */
  kube?: PlacementKube;
  /** How long an approval covers a retry (default ROLEGATE_APPROVAL_VALID_HOURS, 72 h). */
  approvalValidMs?: number;
  /** ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY: every create-role item must carry this permissions boundary. */
  requiredPermissionsBoundary?: string;
}

export interface Actor {
  id: string;
  login: string;
  role: Role;
}

export type Tx = Prisma.TransactionClient;

export const now = (deps: Pick<RequestsDeps, "now">) => (deps.now ? deps.now() : new Date());
