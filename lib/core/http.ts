import "server-only";
// The /api/v1 face of an operation: the route handler reads the path parameters,
// the query (GET, DELETE) or the JSON body (POST), runs the one pipeline with the
// caller of this Request (bearer token, else session cookie), and answers JSON
// with the operation's success status or the HTTP status of the failure
// (400 with per-field messages, 401, 403, 404, 409, ...).
import { authenticateBearer, currentUser } from "@/lib/auth/authenticate";
import { HTTP_STATUS } from "./errors";
import type { AnyOperation } from "./operation";
import { runPipeline } from "./pipeline";
import { readJsonBody } from "./read-body";

/** The caller: the bearer token of this Request object, else the session cookie. */
async function userOf(request: Request) {
  const authorization = request.headers.get("authorization");
  if (authorization) return authenticateBearer(authorization);
  return currentUser();
}

/** Query string -> plain object (first value of repeated keys). */
export function queryObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}

type RouteContext = { params: Promise<Record<string, string | string[]>> } | undefined;

/**
 * Next hands path parameters already decoded. One that still holds a well-formed escape (an ARN
 * sent encoded twice) is decoded once more; any other text is kept as it is, for the input schema
 * to refuse: a bare "%" (from %25) made decodeURIComponent throw, which answered 500.
 */
function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Path parameters as strings (catch-all segments joined with "/"). */
async function pathParams(context: RouteContext): Promise<Record<string, string>> {
  const params = context ? await context.params : {};
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeParam(Array.isArray(v) ? v.join("/") : v)]));
}

export async function serveOperation(op: AnyOperation, given: Request | undefined, context?: RouteContext): Promise<Response> {
  if (!op.http) throw new Error(`${op.name} has no HTTP face`);
  // Parameterless GETs may be called without a Request (in-process callers): the caller is then the session's.
  const request = given ?? new Request(new URL(op.http.path, "http://localhost"));
  let input: Record<string, unknown> = queryObject(request.url);
  if (op.http.method === "POST") {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    // An empty body or JSON null is "no fields" (transitions take none but the path's id).
    if (body.body === null) input = {};
    else if (typeof body.body === "object" && !Array.isArray(body.body)) input = body.body as Record<string, unknown>;
    else return Response.json({ error: { code: "invalid", message: "The request body must be a JSON object.", fields: { _: ["must be a JSON object"] } } }, { status: 400 });
  }
  const result = await runPipeline(op, { ...input, ...(await pathParams(context)) }, { authenticate: () => userOf(request) });
  if (!result.ok) return Response.json({ error: result.error }, { status: HTTP_STATUS[result.error.code] });
  if (result.data instanceof Response) return result.data;
  return Response.json(result.data ?? null, { status: op.http.status });
}
