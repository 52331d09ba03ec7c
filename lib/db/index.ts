import "server-only";
// The process's database, owned by its runtime (lib/runtime.ts).
export { getDatabase, getPrisma, closeDatabase } from "@/lib/runtime";
export type { Prisma } from "./generated/client";
