// Calling /api/v1 route handlers as someone, on the real database and sandbox:
// the auth harness (tests/auth/harness.ts) replaces only next/headers, the
// process-wide Prisma client and getConfig. Each call is a real Request through
// the route's exported method and the whole pipeline.
import type { Role } from "@/lib/auth/permissions";
import { loadConfig } from "@/lib/config/load";
import { createRuntime, setProcessRuntime } from "@/lib/runtime";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { asAnonymous, asBearer, asUser, harness } from "../support/app-harness";

/** A route's exported method (each declares its own params type). */
export type Handler = (request: Request, context?: any) => Promise<Response>;
export type Caller = Role | "anonymous" | { bearer: string };

export interface ApiWorld {
  t: TestDatabase;
  sandbox: RunningSandbox;
  close(): Promise<void>;
}

export async function openApiWorld(): Promise<ApiWorld> {
  const t = await openTestDatabase();
  const sandbox = await startSandbox({ awsPort: 0, kubePort: 0, log: () => {} });
  harness.prisma = t.prisma;
  harness.config = loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_AWS_ENDPOINT: sandbox.awsEndpoint, ROLEGATE_SANDBOX_KUBE_ENDPOINT: sandbox.kubeEndpoint });
  // Operations that reach AWS through the process's runtime (scans, refreshes) must see this sandbox, not the env's configuration.
  const rt = createRuntime(harness.config, { database: { prisma: t.prisma }, env: {} });
  const previous = setProcessRuntime(rt);
  return {
    t,
    sandbox,
    async close() {
      setProcessRuntime(previous);
      rt.aws.pool.destroy();
      await sandbox.close();
      await t.close();
    },
  };
}

/** Signs in as `api-<role>` (a real session), anonymous, or a bearer token. */
export async function as(caller: Caller): Promise<void> {
  if (caller === "anonymous") asAnonymous();
  else if (typeof caller === "object") asBearer(caller.bearer);
  else await asUser(`api-${caller}`, caller);
}

/** Calls a route's method as `caller`; `params` are the dynamic segments; `body` is sent as JSON (a string as is). */
export async function call(
  handler: Handler,
  caller: Caller,
  opts: { method?: string; path?: string; body?: unknown; params?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  await as(caller);
  const method = opts.method ?? (opts.body === undefined ? "GET" : "POST");
  const request = new Request(`http://localhost${opts.path ?? "/api/v1/x"}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(opts.body === undefined ? {} : { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }),
  });
  const res = await handler(request, opts.params ? { params: Promise.resolve(opts.params) } : undefined);
  const text = await res.text();
  const json = res.headers.get("content-type")?.includes("json");
  return { status: res.status, body: text && json ? JSON.parse(text) : text || null };
}

/** Polls until `done` says so (background scans and refreshes). */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
