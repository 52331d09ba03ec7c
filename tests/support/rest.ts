// REST route handlers called as the sandbox's bearer tokens (`sandbox-<login>`),
// on a world whose app runtime points at its own sandbox and database, with the
// demo users seeded. For tests that drive app/api/v1 route modules directly.
import { afterAll, beforeAll } from "vitest";
import { seedDemoUsers } from "@/lib/auth/seed-demo-users";
import { installRuntime } from "./runtime";
import { useWorld } from "./world";

export function useRestWorld() {
  const w = useWorld({ sandbox: true, reset: "once" });
  let uninstall: (() => void) | undefined;
  beforeAll(async () => {
    process.env.ROLEGATE_MODE = "sandbox";
    process.env.ROLEGATE_SANDBOX_AWS_ENDPOINT = w.sandbox.awsEndpoint;
    uninstall = installRuntime(w).uninstall;
    await seedDemoUsers(w.prisma);
  });
  afterAll(() => uninstall?.());
  return w;
}

/** A JSON request; `login` null sends no credentials, a string body is sent as is. */
export const bearerRequest = (method: string, url: string, login: string | null, body?: unknown) =>
  new Request(`http://rolegate.test${url}`, {
    method,
    headers: { "content-type": "application/json", ...(login ? { authorization: `Bearer sandbox-${login}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });

/** The route context of a `[id]` route. */
export const idParams = (id: string) => ({ params: Promise.resolve({ id }) });

type IdRoute = { POST: (r: Request, c: ReturnType<typeof idParams>) => Promise<Response> };
/** POSTs to a `/api/v1/requests/{id}/…` route module as `login`. */
export const postOnRequest = (mod: IdRoute, id: string, login: string, body?: unknown) => mod.POST(bearerRequest("POST", `/api/v1/requests/${id}/x`, login, body), idParams(id));
