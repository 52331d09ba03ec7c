import "server-only";
// Route handlers run the same pipeline as server actions, and answer JSON with
// the HTTP status of the outcome (400 with per-field messages, 401, 403, 404, 409).
import { z } from "zod";
import { runPipeline, type ActionContext } from "@/lib/core/pipeline";
import { HTTP_STATUS } from "@/lib/core/errors";
import { authenticateBearer, currentUser } from "@/lib/auth/authenticate";
import type { Permission } from "@/lib/auth/permissions";

/** The caller: the bearer token of this Request object, else the session cookie. */
async function userOf(request: Request) {
  const authorization = request.headers.get("authorization");
  if (authorization) return authenticateBearer(authorization);
  return currentUser();
}

export async function handleApi<S extends z.ZodType, T>(
  spec: { name: string; permission: Permission; input: S; handler: (ctx: ActionContext<z.infer<S>>) => Promise<T> },
  raw: unknown,
  status = 200,
  request?: Request,
): Promise<Response> {
  const result = await runPipeline(spec, raw, request ? () => userOf(request) : undefined);
  if (result.ok) return Response.json(result.data, { status });
  return Response.json({ error: result.error }, { status: HTTP_STATUS[result.error.code] });
}

/** Query string -> plain object (first value of repeated keys). */
export function queryObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
