import "server-only";
// What the /expiry page reads, from the process's database (lib/runtime.ts).
import { getPrisma } from "@/lib/db";
import { processItemKinds } from "@/lib/requests/queries";
import { timeBoundMappings } from "./extend";

export { expiryScope, mayExtend } from "./extend";

/** Time-bound mappings in force, optionally only one requester's. */
export async function timeBoundMappingsView(requesterId?: string) {
  return timeBoundMappings(await getPrisma(), processItemKinds(), requesterId);
}
