import "server-only";
// Route handlers run the same pipeline as server actions, and answer JSON with
// the HTTP status of the outcome (400 with per-field messages, 401, 403, 404, 409).
import { z } from "zod";
import { runPipeline, type ActionContext } from "@/lib/actions/pipeline";
import { HTTP_STATUS } from "@/lib/actions/result";
import type { Permission } from "@/lib/auth/permissions";

export async function handleApi<S extends z.ZodType, T>(
  spec: { name: string; permission: Permission; input: S; handler: (ctx: ActionContext<z.infer<S>>) => Promise<T> },
  raw: unknown,
  status = 200,
): Promise<Response> {
  const result = await runPipeline(spec, raw);
  if (result.ok) return Response.json(result.data, { status });
  return Response.json({ error: result.error }, { status: HTTP_STATUS[result.error.code] });
}

/** Query string -> plain object (first value of repeated keys). */
export function queryObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
