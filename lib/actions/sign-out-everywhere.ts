"use server";
import { cookies } from "next/headers";
import { recordAudit } from "@/lib/audit/record";
import { currentUser } from "@/lib/auth/authenticate";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { getPrisma } from "@/lib/db";
import type { ActionResult } from "@/lib/core/errors";

/** Ends every browser session of the signed-in user (API tokens are revoked separately). */
export async function signOutEverywhere(): Promise<ActionResult<{ sessions: number }>> {
  const user = await currentUser();
  if (!user) return { ok: false, error: { code: "unauthenticated", message: "Sign in first: your session is missing or has expired." } };
  if (user.via !== "session") return { ok: false, error: { code: "forbidden", message: "Sign out everywhere from the browser, not with an API token." } };
  const prisma = await getPrisma();
  const sessions = await prisma.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, { actor: user.login, event: "auth.signed_out", details: { everywhere: true, sessions: count } });
    return count;
  });
  (await cookies()).delete(SESSION_COOKIE);
  return { ok: true, data: { sessions } };
}
