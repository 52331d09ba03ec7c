import type { PrismaClient } from "@/lib/db/generated/client";
import { DEMO_USERS } from "./demo-users";

/** Sandbox start-up: make sure the demo people exist with their roles. */
export async function seedDemoUsers(prisma: PrismaClient): Promise<void> {
  for (const u of DEMO_USERS) {
    await prisma.user.upsert({
      where: { login: u.login },
      create: { login: u.login, name: u.name, role: u.role, email: `${u.login}@example.com`, source: "sandbox", mode: "sandbox" },
      update: { name: u.name, role: u.role, disabledAt: null, mode: "sandbox" },
    });
  }
}
