// SCIM provisioning of people: the IdP creates, updates, deactivates and deletes
// RoleGate accounts. Deactivation and deletion end the person's sessions and
// revoke their tokens in the same transaction as the change and its audit row,
// so access stops at once, not at their next sign-in.
import type { Prisma, PrismaClient, RunMode, User } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import type { AuditEventType } from "@/lib/audit/events";
import { ScimError } from "./errors";
import { fieldsOf, parseUserInput, toScimUser, type UserFields, type UserInput } from "./resource";
import { applyPatch } from "./patch";
import { parseFilter } from "./filter";

type Tx = Prisma.TransactionClient;
export interface ScimDeps {
  prisma: PrismaClient;
  /** The mode users are created in (recorded on the row). */
  mode: RunMode;
  /** ROLEGATE_PUBLIC_URL (or the request's origin): for meta.location. */
  baseUrl: string;
  now?: () => Date;
}

/** The SCIM client's name in the audit trail. */
export const SCIM_ACTOR = "scim";
/** Accounts SCIM may see and change: people from the IdP. Demo, service and system accounts are never SCIM resources. */
const MANAGED_SOURCES = ["oidc", "scim"];
const MAX_PAGE = 200;

const visible = { source: { in: MANAGED_SOURCES }, scimUserName: { not: null }, scimDeletedAt: null } satisfies Prisma.UserWhereInput;

async function findVisible(db: Pick<PrismaClient, "user">, id: string): Promise<User> {
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

function audit(tx: Tx, event: AuditEventType, user: User, details: Record<string, unknown>) {
  return recordAudit(tx, { actor: SCIM_ACTOR, event, subject: user.login, details: { scimId: user.id, userName: user.scimUserName, ...details } as Prisma.InputJsonValue });
}

/** Writes the fields; (de)activation cuts access. Returns the updated row. */
async function writeFields(tx: Tx, user: User, f: UserFields, at: Date, event: "scim.user_created" | "scim.user_updated"): Promise<User> {
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
  await audit(tx, event, updated, changes);
  if (wasActive && !f.active) await audit(tx, "scim.user_deactivated", updated, await cutAccess(tx, user.id, at));
  if (!wasActive && f.active && event === "scim.user_updated") await audit(tx, "scim.user_reactivated", updated, {});
  return updated;
}

export async function createScimUser(deps: ScimDeps, body: unknown) {
  const f = fieldsOf(parseUserInput(body));
  const at = deps.now?.() ?? new Date();
  const user = await deps.prisma.$transaction(async (tx) => {
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
      return writeFields(tx, revived, f, at, "scim.user_created");
    }
    const loginTaken = await tx.user.findUnique({ where: { login: `scim:${f.userName}` } });
    if (loginTaken) throw new ScimError(409, `userName "${f.userName}" is already used by a RoleGate account.`, "uniqueness");
    // The least role until their first SSO sign-in maps their groups; no session or token exists until then.
    const created = await tx.user.create({
      data: { login: `scim:${f.userName}`, name: f.name, email: f.email, role: "requester", source: "scim", mode: deps.mode, scimUserName: f.userName, scimExternalId: f.externalId },
    });
    return writeFields(tx, created, f, at, "scim.user_created");
  });
  return toScimUser(user, deps.baseUrl);
}

export async function getScimUser(deps: ScimDeps, id: string) {
  return toScimUser(await findVisible(deps.prisma, id), deps.baseUrl);
}

export async function listScimUsers(deps: ScimDeps, query: { filter?: string; startIndex?: string; count?: string }) {
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
    deps.prisma.user.count({ where }),
    count === 0 ? [] : deps.prisma.user.findMany({ where, orderBy: { createdAt: "asc" }, skip: startIndex - 1, take: count }),
  ]);
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: total,
    startIndex,
    itemsPerPage: rows.length,
    Resources: rows.map((u) => toScimUser(u, deps.baseUrl)),
  };
}

export async function replaceScimUser(deps: ScimDeps, id: string, body: unknown) {
  const f = fieldsOf(parseUserInput(body));
  const at = deps.now?.() ?? new Date();
  const user = await deps.prisma.$transaction(async (tx) => {
    const current = await findVisible(tx, id);
    await assertUserNameFree(tx, f.userName, current.id);
    return writeFields(tx, current, f, at, "scim.user_updated");
  });
  return toScimUser(user, deps.baseUrl);
}

export async function patchScimUser(deps: ScimDeps, id: string, body: unknown) {
  const at = deps.now?.() ?? new Date();
  const user = await deps.prisma.$transaction(async (tx) => {
    const current = await findVisible(tx, id);
    const resource = toScimUser(current, deps.baseUrl);
    const draft: UserInput = { userName: resource.userName, externalId: current.scimExternalId, displayName: current.name, name: resource.name, emails: resource.emails ?? [], active: resource.active };
    const f = fieldsOf(parseUserInput(applyPatch(draft, body)));
    if (f.userName.toLowerCase() !== resource.userName.toLowerCase()) await assertUserNameFree(tx, f.userName, current.id);
    return writeFields(tx, current, f, at, "scim.user_updated");
  });
  return toScimUser(user, deps.baseUrl);
}

/** DELETE: the person loses access at once; the row stays (requests and the audit trail name them) but is gone for SCIM. */
export async function deleteScimUser(deps: ScimDeps, id: string): Promise<void> {
  const at = deps.now?.() ?? new Date();
  await deps.prisma.$transaction(async (tx) => {
    const current = await findVisible(tx, id);
    const user = await tx.user.update({
      where: { id: current.id },
      data: { scimDeletedAt: at, deprovisionedAt: current.deprovisionedAt ?? at, disabledAt: current.disabledAt ?? at },
    });
    await audit(tx, "scim.user_deleted", user, await cutAccess(tx, user.id, at));
  });
}
