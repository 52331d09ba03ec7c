// SCIM provisioning of people: the IdP creates, updates, deactivates and deletes
// RoleGate accounts. These run inside the pipeline's transaction (the SCIM
// operations, ./operations.ts): deactivation and deletion end the person's
// sessions and revoke their tokens in the same transaction as the change and its
// audit rows, so access stops at once, not at their next sign-in. Each change
// reports what it did; the operations' audit specs turn that into the rows.
import type { Prisma, PrismaClient, RunMode, User } from "@/lib/db/generated/client";
import { ScimError } from "./errors";
import { fieldsOf, parseUserInput, toScimUser, type UserFields, type UserInput } from "./resource";
import { applyPatch, type PatchOperation } from "./patch";
import { parseFilter } from "./filter";

type Tx = Prisma.TransactionClient;
type Reader = Pick<PrismaClient, "user">;

/** What a change did, for its audit rows. */
export interface ScimUserChange {
  user: User;
  /** The attributes written (the change's own row). */
  changes: Record<string, unknown>;
  /** Deactivation (or deletion) ended the person's access. */
  accessCut?: { sessionsEnded: number; tokensRevoked: number };
  /** An inactive person was made active again. */
  reactivated?: boolean;
}

/** Accounts SCIM may see and change: people from the IdP. Demo, service and system accounts are never SCIM resources. */
const MANAGED_SOURCES = ["oidc", "scim"];
const MAX_PAGE = 200;

const visible = { source: { in: MANAGED_SOURCES }, scimUserName: { not: null }, scimDeletedAt: null } satisfies Prisma.UserWhereInput;

async function findVisible(db: Reader, id: string): Promise<User> {
  const user = /^[0-9a-f-]{36}$/i.test(id) ? await db.user.findFirst({ where: { id, ...visible } }) : null;
  if (!user) throw new ScimError(404, `There is no SCIM user ${id}.`);
  return user;
}

async function assertUserNameFree(tx: Tx, userName: string, exceptId?: string): Promise<void> {
  const clash = await tx.user.findFirst({ where: { scimUserName: { equals: userName, mode: "insensitive" }, scimDeletedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) } });
  if (clash) throw new ScimError(409, `userName "${userName}" is already provisioned (id ${clash.id}).`, "uniqueness");
}

/** Ends every way the person is signed in: sessions deleted, personal tokens revoked. */
async function cutAccess(tx: Tx, userId: string, at: Date) {
  const sessions = await tx.session.deleteMany({ where: { userId } });
  const tokens = await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  return { sessionsEnded: sessions.count, tokensRevoked: tokens.count };
}

/** Writes the fields; (de)activation cuts access. `reactivates`: whether making an inactive person active counts as reactivation (not on create). */
async function writeFields(tx: Tx, user: User, f: UserFields, at: Date, reactivates: boolean): Promise<ScimUserChange> {
  const wasActive = !user.deprovisionedAt;
  const updated = await tx.user.update({
    where: { id: user.id },
    data: {
      scimUserName: f.userName,
      scimExternalId: f.externalId,
      name: f.name,
      email: f.email ?? user.email,
      deprovisionedAt: f.active ? null : (user.deprovisionedAt ?? at),
      // Deactivation disables the account; reactivation leaves it for the next SSO sign-in to enable with a fresh role.
      ...(f.active ? {} : { disabledAt: user.disabledAt ?? at }),
    },
  });
  const changes = { userName: f.userName, externalId: f.externalId, name: f.name, email: f.email, active: f.active };
  return {
    user: updated,
    changes,
    ...(wasActive && !f.active ? { accessCut: await cutAccess(tx, user.id, at) } : {}),
    ...(!wasActive && f.active && reactivates ? { reactivated: true } : {}),
  };
}

/** POST: `mode` is the mode the account is created in (recorded on the row). */
export async function createScimUser(tx: Tx, mode: RunMode, input: UserInput, at: Date): Promise<ScimUserChange> {
  const f = fieldsOf(input);
  await assertUserNameFree(tx, f.userName);
  // A person who already signed in through SSO (login = IdP subject, e.g. Okta's user id = externalId),
  // or with the same e-mail, is linked rather than duplicated.
  const existing = await tx.user.findFirst({
    where: {
      source: { in: MANAGED_SOURCES },
      OR: [
        ...(f.externalId ? [{ login: f.externalId }] : []),
        { AND: [{ scimUserName: null }, { email: { equals: f.email ?? f.userName, mode: "insensitive" as const } }] },
        { scimDeletedAt: { not: null }, scimUserName: { equals: f.userName, mode: "insensitive" as const } },
      ],
    },
  });
  if (existing) {
    const revived = await tx.user.update({ where: { id: existing.id }, data: { scimDeletedAt: null } });
    return writeFields(tx, revived, f, at, false);
  }
  const loginTaken = await tx.user.findUnique({ where: { login: `scim:${f.userName}` } });
  if (loginTaken) throw new ScimError(409, `userName "${f.userName}" is already used by a RoleGate account.`, "uniqueness");
  // The least role until their first SSO sign-in maps their groups; no session or token exists until then.
  const created = await tx.user.create({
    data: { login: `scim:${f.userName}`, name: f.name, email: f.email, role: "requester", source: "scim", mode, scimUserName: f.userName, scimExternalId: f.externalId },
  });
  return writeFields(tx, created, f, at, false);
}

export async function getScimUser(db: Reader, id: string): Promise<User> {
  return findVisible(db, id);
}

export interface ScimUserPage {
  total: number;
  startIndex: number;
  rows: User[];
}

export async function listScimUsers(db: Reader, query: { filter?: string; startIndex?: string; count?: string }): Promise<ScimUserPage> {
  const filter = parseFilter(query.filter);
  const startIndex = Math.max(1, Number.parseInt(query.startIndex ?? "1", 10) || 1);
  const count = Math.min(MAX_PAGE, Math.max(0, Number.isNaN(Number.parseInt(query.count ?? "", 10)) ? 100 : Number.parseInt(query.count!, 10)));
  const where: Prisma.UserWhereInput = {
    ...visible,
    ...(filter?.attribute === "userName" ? { scimUserName: { equals: filter.value, mode: "insensitive" } } : {}),
    ...(filter?.attribute === "externalId" ? { scimExternalId: filter.value } : {}),
    ...(filter?.attribute === "id" ? { id: /^[0-9a-f-]{36}$/i.test(filter.value) ? filter.value : "00000000-0000-0000-0000-000000000000" } : {}),
  };
  const [total, rows] = await Promise.all([
    db.user.count({ where }),
    count === 0 ? [] : db.user.findMany({ where, orderBy: { createdAt: "asc" }, skip: startIndex - 1, take: count }),
  ]);
  return { total, startIndex, rows };
}

/** PUT: the body replaces the resource. */
export async function replaceScimUser(tx: Tx, id: string, input: UserInput, at: Date): Promise<ScimUserChange> {
  const f = fieldsOf(input);
  const current = await findVisible(tx, id);
  await assertUserNameFree(tx, f.userName, current.id);
  return writeFields(tx, current, f, at, true);
}

/** PATCH: the operations apply to the resource as SCIM shows it; the result must be a valid user (invalidValue otherwise). */
export async function patchScimUser(tx: Tx, id: string, operations: readonly PatchOperation[], at: Date): Promise<ScimUserChange> {
  const current = await findVisible(tx, id);
  const resource = toScimUser(current, "");
  const draft: UserInput = { userName: resource.userName, externalId: current.scimExternalId, displayName: current.name, name: resource.name, emails: resource.emails ?? [], active: resource.active };
  const f = fieldsOf(parseUserInput(applyPatch(draft, operations)));
  if (f.userName.toLowerCase() !== resource.userName.toLowerCase()) await assertUserNameFree(tx, f.userName, current.id);
  return writeFields(tx, current, f, at, true);
}

/** DELETE: the person loses access at once; the row stays (requests and the audit trail name them) but is gone for SCIM. */
export async function deleteScimUser(tx: Tx, id: string, at: Date): Promise<{ user: User; accessCut: { sessionsEnded: number; tokensRevoked: number } }> {
  const current = await findVisible(tx, id);
  const user = await tx.user.update({
    where: { id: current.id },
    data: { scimDeletedAt: at, deprovisionedAt: current.deprovisionedAt ?? at, disabledAt: current.disabledAt ?? at },
  });
  return { user, accessCut: await cutAccess(tx, user.id, at) };
}
