import "server-only";
// The request services wired to this process (lib/runtime.ts): used by the API
// routes and the server actions.
import type { PrismaClient } from "@/lib/db/generated/client";
import { runtime } from "@/lib/runtime";
import type { RequestsDeps } from "./deps";

export function requestsDeps(prisma: PrismaClient): RequestsDeps {
  return runtime().requestsDeps(prisma);
}
