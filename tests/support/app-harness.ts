// How the auth tests call route handlers and server actions "as" someone:
// `next/headers` is replaced by a per-test request (cookie jar + headers), the
// process-wide Prisma client by the test database, and `@/lib/config` by a config
// the test controls. Everything else is real: currentUser() resolves the cookie
// against a real Session row (or a Bearer token against ApiToken), and the
// exported actions / route handlers run their whole pipeline.
//
// Use in a test file: `import "../support/app-mocks";` first (it registers those
// mocks), then import the actions and routes under test dynamically.
// useWorld({ app: true }) points the harness at the world's database and sandbox.
import type { AppConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createSession } from "@/lib/auth/sessions";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import type { Role } from "@/lib/auth/permissions";

export const harness = {
  prisma: null as PrismaClient | null,
  config: null as AppConfig | null,
  cookies: new Map<string, string>(),
  headers: new Headers(),
};

export const nextHeadersMock = {
  cookies: async () => ({
    get: (name: string) => (harness.cookies.has(name) ? { name, value: harness.cookies.get(name)! } : undefined),
    set: (name: string, value: string) => void harness.cookies.set(name, value),
    delete: (name: string) => void harness.cookies.delete(name),
  }),
  headers: async () => harness.headers,
};

export const dbMock = { getPrisma: async () => harness.prisma! };

export function configMock(actual: object) {
  return { ...actual, getConfig: () => harness.config! };
}

/** Anonymous: no cookie, no Authorization header. */
export function asAnonymous(): void {
  harness.cookies.clear();
  harness.headers = new Headers({ "user-agent": "vitest" });
}

/** A fresh real session for the user with this login (created with the role if missing). */
export async function asUser(login: string, role: Role): Promise<{ id: string; token: string }> {
  const prisma = harness.prisma!;
  const user = await prisma.user.upsert({ where: { login }, create: { login, name: login, role, source: "oidc" }, update: {} });
  const { token } = await createSession(prisma, user.id, harness.config?.mode ?? "sandbox", "vitest");
  asAnonymous();
  harness.cookies.set(SESSION_COOKIE, token);
  return { id: user.id, token };
}

/** Bearer authentication only (no cookie). */
export function asBearer(token: string): void {
  asAnonymous();
  harness.headers.set("authorization", `Bearer ${token}`);
}

/** A test database wired as the app's, in sandbox mode: what route and action tests run against. */
export async function openHarnessDatabase(): Promise<import("./db").TestDatabase> {
  const { openTestDatabase } = await import("./db");
  const { loadConfig } = await import("@/lib/config/load");
  const t = await openTestDatabase();
  harness.prisma = t.prisma;
  harness.config = loadConfig({ ROLEGATE_MODE: "sandbox" });
  return t;
}
