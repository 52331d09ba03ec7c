// Background writes of authentication, so that authenticating a request (a GET
// above all) writes nothing: API token uses noted in memory by lib/auth are
// flushed to ApiToken.lastUsedAt, and expired or idle sessions are deleted.
// Runs on the job runner's tick, once a minute: at most one UPDATE per token per
// minute, and never an older use over a newer one.
import type { PrismaClient } from "@/lib/db/generated/client";
import { purgeExpiredSessions } from "@/lib/auth/sessions";
import { tokenUses, type TokenUses } from "@/lib/auth/token-uses";

export async function flushTokenUses(prisma: Pick<PrismaClient, "apiToken">, uses: TokenUses = tokenUses()): Promise<number> {
  let written = 0;
  for (const [id, at] of uses.take()) {
    const { count } = await prisma.apiToken.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } });
    written += count;
  }
  return written;
}

export async function authUpkeep(prisma: Pick<PrismaClient, "apiToken" | "session">, now = new Date()): Promise<void> {
  await flushTokenUses(prisma);
  await purgeExpiredSessions(prisma, now);
}
