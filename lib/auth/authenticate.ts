import "server-only";
// Who is calling: a browser session cookie, or (API) a bearer token: API tokens "rg_..." in every mode;
// demo tokens "sandbox-<login>" are honoured only in sandbox mode.
import { cookies, headers } from "next/headers";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { setRequestActor } from "@/lib/observability/log";
import { authenticateApiToken } from "./api-tokens";
import { DEMO_USERS } from "./demo-users";
import { principalKind } from "./principal";
import { resolveSession, type SessionUser } from "./sessions";
import { SESSION_COOKIE } from "./session-token";

export async function authenticateBearer(authorization: string | null): Promise<SessionUser | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match) return null;
  const token = match[1]!;
  if (getConfig().mode === "sandbox" && token.startsWith("sandbox-")) {
    const login = token.slice("sandbox-".length);
    if (!DEMO_USERS.some((u) => u.login === login)) return null;
    const user = await (await getPrisma()).user.findUnique({ where: { login } });
    if (!user || user.disabledAt || user.deprovisionedAt) return null;
    return { id: user.id, login: user.login, name: user.name, role: user.role, via: "token", kind: principalKind(user.source) };
  }
  return authenticateApiToken(await getPrisma(), token);
}

/** The current user from the request's cookie or Authorization header, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const user = await findCurrentUser();
  if (user) setRequestActor(user.login); // the request's log lines name who acted
  return user;
}

async function findCurrentUser(): Promise<SessionUser | null> {
  const bearer = await authenticateBearer((await headers()).get("authorization"));
  if (bearer) return bearer;
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return resolveSession(await getPrisma(), token, getConfig().mode);
}
