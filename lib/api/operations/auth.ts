import "server-only";
// Sign-in (demo users, OIDC), sign-out and API tokens. Sign-in and sign-out are
// operations like any other (same pipeline, audited); they set or clear the
// session cookie, so they have no REST face. Tokens: personal ones for oneself, service ones (admin).
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { createPersonalToken, createServiceToken, MAX_TOKEN_DAYS, revokeToken } from "@/lib/auth/api-tokens";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { can, ROLES } from "@/lib/auth/permissions";
import { oidcCallback } from "@/lib/auth/oidc-flow";
import { clearLoginLimit, clientIp, rateLimitMessage, signInAttempt } from "@/lib/auth/rate-limit";
import { sessionCookieOptions } from "@/lib/auth/session-cookie";
import { SESSION_COOKIE as SESSION_TOKEN_COOKIE } from "@/lib/auth/session-token";
import { createSession, destroySession, type SessionUser } from "@/lib/auth/sessions";
import { listTokens } from "@/lib/auth/token-queries";
import { getConfig } from "@/lib/config";
import { DomainError } from "@/lib/core/errors";
import { callerOf, defineOperation } from "@/lib/core/operation";

export const signInDemoUserOp = defineOperation({
  name: "sign-in-demo-user",
  access: "public",
  input: z.object({ login: z.string().trim().min(1, "pick a demo user to sign in as").max(64) }).strict(),
  async handler({ input, prisma }) {
    const { login } = input;
    const h = await headers();
    const wait = await signInAttempt(prisma, clientIp(h), login);
    if (wait) throw new DomainError("rate_limited", rateLimitMessage(wait));
    if (getConfig().mode !== "sandbox") {
      // The refusal is recorded even though the call fails, but only for the known demo logins:
      // a caller must not be able to write audit rows under a name they made up.
      if (DEMO_USERS.some((u) => u.login === login)) {
        await prisma.$transaction((tx) => recordAudit(tx, { actor: login, event: "auth.sign_in_refused", details: { reason: "demo sign-in outside sandbox mode" } }));
      }
      throw new DomainError("forbidden", "Demo sign-in exists only in sandbox mode. Sign in with your organisation's SSO.");
    }
    const user = DEMO_USERS.some((u) => u.login === login) ? await prisma.user.findUnique({ where: { login } }) : null;
    if (!user || user.disabledAt) throw new DomainError("not_found", `There is no demo user "${login}".`);
    const userAgent = h.get("user-agent")?.slice(0, 300) ?? undefined;
    const session = await prisma.$transaction(async (tx) => {
      const s = await createSession(tx, user.id, "sandbox", userAgent);
      await clearLoginLimit(tx, user.login);
      await recordAudit(tx, { actor: user.login, event: "auth.signed_in", details: { method: "sandbox-demo" } });
      return s;
    });
    (await cookies()).set(SESSION_TOKEN_COOKIE, session.token, sessionCookieOptions());
    return { login: user.login };
  },
  audit: { recordedBy: "handler", events: ["auth.signed_in", "auth.sign_in_refused"] },
});

/**
 * The end of single sign-on: the IdP's redirect with its code (and the flow cookie
 * set by /api/auth/oidc/start). The route is a GET because the OpenID Connect code
 * flow sends the browser back with one; it is the protocol's exception to "GETs
 * never write". No REST face: the route (app/api/auth/oidc/callback) sets the cookie.
 */
export const signInWithOidcOp = defineOperation({
  name: "sign-in-with-oidc",
  access: "public",
  input: z.object({ search: z.string().max(8192), flowCookie: z.string().max(8192).optional() }).strict(),
  async handler({ input, prisma }) {
    const { oidc } = getConfig();
    if (!oidc) throw new DomainError("not_found", "Single sign-on is not configured.");
    return oidcCallback(prisma, oidc, { ...input, headers: await headers() });
  },
  // completeOidcSignIn writes the user, the session and auth.signed_in (or the refusal) in one transaction.
  audit: { recordedBy: "handler", events: ["auth.signed_in", "auth.sign_in_refused"] },
});

export const signOutOp = defineOperation({
  name: "sign-out",
  access: "public",
  input: z.object({}).strict(),
  async handler({ user, prisma }) {
    const jar = await cookies();
    const token = jar.get(SESSION_TOKEN_COOKIE)?.value;
    if (token) {
      await prisma.$transaction(async (tx) => {
        await destroySession(tx, token);
        if (user) await recordAudit(tx, { actor: user.login, event: "auth.signed_out" });
      });
    }
    jar.delete(SESSION_TOKEN_COOKIE);
    return null;
  },
  // Signing out without a session changes nothing and writes no row.
  audit: { recordedBy: "handler", events: ["auth.signed_out"] },
});

export const signOutEverywhereOp = defineOperation({
  name: "sign-out-everywhere",
  access: "signed-in",
  input: z.object({}).strict(),
  async handler(ctx) {
    const user = callerOf(ctx);
    if (user.via !== "session") throw new DomainError("forbidden", "Sign out everywhere from the browser, not with an API token.");
    const { count } = await ctx.tx!.session.deleteMany({ where: { userId: user.id } });
    (await cookies()).delete(SESSION_TOKEN_COOKIE);
    return { sessions: count };
  },
  audit: { event: "auth.signed_out", details: (_i, r) => ({ everywhere: true, sessions: r.sessions }) },
});

/**
 * The app shell's heartbeat (a POST: GETs never write): the pipeline moves the
 * session's idle clock, as it does for every mutation; the handler has nothing to add.
 */
export const keepSessionAliveOp = defineOperation({
  name: "keep-session-alive",
  access: "signed-in",
  input: z.object({}).strict(),
  async handler(ctx) {
    const { session } = callerOf(ctx);
    return { session: Boolean(session) };
  },
  audit: { bookkeeping: "moves the session's idle clock (Session.lastSeenAt), as every mutation does; not an action to audit" },
});

const tokenName = z.string().trim().min(1, "give the token a name").max(64).regex(/^[\w .:-]+$/, "letters, digits, space, . : _ - only");
const serviceName = z.string().trim().min(1, "give the service a name").max(48).regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and - only");
const days = z.coerce.number().int().min(1, "at least 1 day").max(MAX_TOKEN_DAYS, `at most ${MAX_TOKEN_DAYS} days`);
const DEFAULT_DAYS = 90;

function fromBrowser(user: SessionUser) {
  // A token cannot mint tokens: a leaked token must not be able to outlive itself.
  if (user.via !== "session") throw new DomainError("forbidden", "Create API tokens from a signed-in browser session, not with another token.");
}

async function mintPersonal(ctx: { prisma: import("@/lib/db/generated/client").PrismaClient }, user: SessionUser, name: string, expiresInDays: number) {
  fromBrowser(user);
  return ctx.prisma.$transaction((tx) => createPersonalToken(tx, user, name, expiresInDays));
}

async function mintService(ctx: { prisma: import("@/lib/db/generated/client").PrismaClient }, user: SessionUser, input: { name: string; role: (typeof ROLES)[number]; expiresInDays: number }) {
  if (!can(user.role, "tokens:service")) throw new DomainError("forbidden", `Your role (${user.role}) may not create service tokens.`);
  fromBrowser(user);
  const created = await ctx.prisma.$transaction((tx) => createServiceToken(tx, user, input.name, input.role, input.expiresInDays));
  if (created === "name_taken") throw new DomainError("conflict", `"svc:${input.name}" is already a person's login; pick another service name.`);
  return created;
}

/** The settings page's personal-token form. */
export const createPersonalTokenOp = defineOperation({
  name: "create-personal-token",
  access: "tokens:personal",
  // No role in the input: a personal token acts with its owner's role.
  input: z.object({ name: tokenName, expiresInDays: days }).strict(),
  handler: (ctx) => mintPersonal(ctx, callerOf(ctx), ctx.input.name, ctx.input.expiresInDays),
  audit: { recordedBy: "handler", events: ["auth.token_created"] },
});

/** The settings page's service-token form (admins). */
export const createServiceTokenOp = defineOperation({
  name: "create-service-token",
  access: "tokens:service",
  input: z.object({ name: serviceName, role: z.enum(ROLES), expiresInDays: days }).strict(),
  handler: (ctx) => mintService(ctx, callerOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["auth.token_created"] },
});

/** POST /api/v1/tokens: either kind, by `kind`; service tokens need tokens:service (403 otherwise). */
export const createTokenOp = defineOperation({
  name: "create-token",
  access: "tokens:personal",
  input: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("personal"), name: tokenName, expiresInDays: days.default(DEFAULT_DAYS) }).strict(),
    z.object({ kind: z.literal("service"), name: serviceName, role: z.enum(ROLES), expiresInDays: days.default(DEFAULT_DAYS) }).strict(),
  ], "kind must be personal or service"),
  async handler(ctx) {
    const user = callerOf(ctx);
    const input = ctx.input;
    const created = input.kind === "service" ? await mintService(ctx, user, input) : await mintPersonal(ctx, user, input.name, input.expiresInDays);
    return { id: created.id, token: created.token, name: created.name, expiresAt: created.expiresAt };
  },
  audit: { recordedBy: "handler", events: ["auth.token_created"] },
  http: {
    method: "POST",
    path: "/api/v1/tokens",
    status: 201,
    summary: "Create a personal token (acts as you) or, admins only, a service token {kind: \"service\", name, role}; needs a browser session; the token is shown once",
    errors: [400, 403, 409],
    output: z.object({ id: z.uuid(), token: z.string().meta({ description: "The secret, shown once (RoleGate keeps its hash)" }), name: z.string(), expiresAt: z.iso.datetime() }),
  },
});

export const listTokensOp = defineOperation({
  name: "list-tokens",
  access: "tokens:personal",
  input: z.object({}),
  handler: async (ctx) => ({ tokens: await listTokens(ctx.prisma, callerOf(ctx)) }),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/tokens",
    status: 200,
    summary: "Your tokens (admins: also every service token); never the secrets",
    output: z.object({ tokens: z.array(z.looseObject({ id: z.string(), name: z.string(), kind: z.enum(["personal", "service"]), prefix: z.string(), state: z.enum(["active", "expired", "revoked"]) })) }),
  },
});

export const revokeTokenOp = defineOperation({
  name: "revoke-token",
  access: "tokens:personal",
  input: z.object({ id: z.uuid("must be a token id") }).strict(),
  async handler(ctx) {
    const outcome = await ctx.prisma.$transaction((tx) => revokeToken(tx, callerOf(ctx), ctx.input.id));
    if (outcome === "not_found") throw new DomainError("not_found", "There is no such token of yours.");
    return { id: ctx.input.id };
  },
  audit: { recordedBy: "handler", events: ["auth.token_revoked"] },
  http: { method: "DELETE", path: "/api/v1/tokens/{id}", status: 200, summary: "Revoke one of your tokens (admins: any token); idempotent", errors: [400, 404], output: z.object({ id: z.uuid() }) },
});
