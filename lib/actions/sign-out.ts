"use server";
import { cookies } from "next/headers";
import { recordAudit } from "@/lib/audit/record";
import { currentUser } from "@/lib/auth/authenticate";
import { destroySession } from "@/lib/auth/sessions";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { getPrisma } from "@/lib/db";
import type { ActionResult } from "@/lib/core/errors";

export async function signOut(): Promise<ActionResult<null>> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  const user = await currentUser();
  if (token) {
    const prisma = await getPrisma();
    await prisma.$transaction(async (tx) => {
      await destroySession(tx, token);
      if (user) await recordAudit(tx, { actor: user.login, event: "auth.signed_out" });
    });
  }
  jar.delete(SESSION_COOKIE);
  return { ok: true, data: null };
}
