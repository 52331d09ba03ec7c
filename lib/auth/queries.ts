import "server-only";
// What /settings/tokens reads: the user's own tokens, and every service token for an admin.
import { getPrisma } from "@/lib/db";

export async function apiTokensView(user: { id: string }, includeServiceTokens: boolean) {
  const prisma = await getPrisma();
  return prisma.apiToken.findMany({
    where: includeServiceTokens ? { OR: [{ userId: user.id }, { kind: "service" }] } : { userId: user.id, kind: "personal" },
    include: { user: { select: { login: true, role: true } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}
