// Which audit rows a reader may see. Approvers, auditors and admins read the whole
// trail. Requesters read the audit of requests and mappings, but not other
// people's sign-in and account events (auth.*, scim.*): who signed in when, from
// where, with which groups, is not theirs to browse. Their own events stay visible.
import type { Prisma } from "@/lib/db/generated/client";
import type { Role } from "./permissions";

const PEOPLE_EVENTS = ["auth.", "scim."];

/** A condition to AND with every audit read (list, export, actor/event pickers), or undefined for the whole trail. */
export function auditScope(user: { login: string; role: Role }): Prisma.AuditEventWhereInput | undefined {
  if (user.role !== "requester") return undefined;
  return { OR: [{ AND: PEOPLE_EVENTS.map((p) => ({ NOT: { event: { startsWith: p } } })) }, { actor: user.login }] };
}
