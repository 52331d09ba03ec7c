import "server-only";
// The request services wired to this process's configuration: used by the API
// routes and the server actions.
import { getRequestsGateway } from "@/lib/aws/requests-gateway";
import { getConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { RequestsDeps } from "./deps";
import { requestTtlMs } from "./ttl";

export function requestsDeps(prisma: PrismaClient): RequestsDeps {
  const config = getConfig();
  return { prisma, aws: getRequestsGateway(config), targets: config.targets, pendingTtlMs: requestTtlMs() };
}
