import "server-only";
export { getDatabase, getPrisma, closeDatabase } from "./connection";
export type { Prisma } from "./generated/client";
