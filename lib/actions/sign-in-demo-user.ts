"use server";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { createSession } from "@/lib/auth/sessions";
import { clientIp, rateLimitMessage, signInAttempt } from "@/lib/auth/rate-limit";
import { sessionCookieOptions } from "@/lib/auth/session-cookie";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import type { ActionResult } from "@/lib/core/errors";

const input = z.object({ login: z.string().trim().min(1).max(64) }).strict();

/** Sandbox-only sign-in as one of the seeded demo users; refused in any other mode. */
export async function signInDemoUser(raw: unknown): Promise<ActionResult<{ login: string }>> {
  const parsed = input.safeParse(raw);
  if (!parsed.success) return { ok: false, error: { code: "invalid", message: "Pick a demo user to sign in as." } };
  const prisma = await getPrisma();
  const { login } = parsed.data;
  const h = await headers();
  const wait = await signInAttempt(prisma, clientIp(h), login);
  if (wait) return { ok: false, error: { code: "rate_limited", message: rateLimitMessage(wait) } };
  if (getConfig().mode !== "sandbox") {
    // Audited only for the known demo logins: a caller must not be able to write rows under a name they made up.
    if (DEMO_USERS.some((u) => u.login === login)) {
      await prisma.$transaction((tx) => recordAudit(tx, { actor: login, event: "auth.sign_in_refused", details: { reason: "demo sign-in outside sandbox mode" } }));
    }
    return { ok: false, error: { code: "forbidden", message: "Demo sign-in exists only in sandbox mode. Sign in with your organisation's SSO." } };
  }
  const user = DEMO_USERS.some((u) => u.login === login) ? await prisma.user.findUnique({ where: { login } }) : null;
  if (!user || user.disabledAt) return { ok: false, error: { code: "not_found", message: `There is no demo user "${login}".` } };
  const userAgent = h.get("user-agent")?.slice(0, 300) ?? undefined;
  const session = await prisma.$transaction(async (tx) => {
    const s = await createSession(tx, user.id, "sandbox", userAgent);
    await recordAudit(tx, { actor: user.login, event: "auth.signed_in", details: { method: "sandbox-demo" } });
    return s;
  });
  (await cookies()).set(SESSION_COOKIE, session.token, sessionCookieOptions());
  return { ok: true, data: { login: user.login } };
}
