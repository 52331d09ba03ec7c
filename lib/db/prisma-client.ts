import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client";

/**
 * The one way to build a Prisma client. Interactive transactions wait for a pool
 * connection longer than Prisma's 2 s default: a burst (fifty reviewers clicking
 * at once) queues on the pool instead of failing with P2028.
 */
export function createPrismaClient(adapter: SqlDriverAdapterFactory): PrismaClient {
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 20_000, timeout: 30_000 } });
}
