import "server-only";
// The HTTP face of the SCIM operations (./operations.ts), as /api/v1's is
// lib/core/http.ts: 404 while SCIM is off, then the one pipeline with the SCIM
// authenticate step (401 before the body is read), the body or query as input,
// and the result or failure in SCIM's wire format (application/scim+json, SCIM
// error bodies with their scimType). Route files stay thin (./endpoints.ts).
import { randomUUID } from "node:crypto";
import { getConfig } from "@/lib/config";
import { HTTP_STATUS } from "@/lib/core/errors";
import type { Operation } from "@/lib/core/operation";
import { runPipeline } from "@/lib/core/pipeline";
import { readCappedText } from "@/lib/core/read-body";
import { authenticateScimClient } from "./authenticate";
import { ScimError, scimErrorResponse, type ScimType } from "./errors";

export interface ScimEndpoint<T> {
  op: Operation<any, T, "scim">;
  /** What the call's input holds besides the path's id: the JSON body, or these query parameters. */
  reads?: "body" | { query: readonly string[] };
  /** The scimType of an input the operation's schema refuses (invalidValue for a resource, invalidSyntax for a PatchOp). */
  invalid?: ScimType;
  /** The SCIM response; `baseUrl` (ROLEGATE_PUBLIC_URL or the request's origin) makes meta.location. */
  render: (result: T, baseUrl: string) => Response;
}

type RouteContext = { params: Promise<{ id: string }> };

/** The JSON body: 413 past the API's body cap, 400 invalidSyntax when it is not JSON. */
async function readScimBody(request: Request): Promise<unknown> {
  const text = await readCappedText(request);
  if (text === null) throw new ScimError(413, "The body is larger than 256 kB: IdPs send one user at a time.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, "The body is not valid JSON.", "invalidSyntax");
  }
}

async function inputOf(endpoint: ScimEndpoint<unknown>, request: Request, context?: RouteContext): Promise<unknown> {
  const id = context ? { id: (await context.params).id } : {};
  if (endpoint.reads === "body") {
    const body = await readScimBody(request);
    // The path's id wins over one in the body; a body that is not an object is left for the schema to refuse.
    return body !== null && typeof body === "object" && !Array.isArray(body) ? { ...body, ...id } : body;
  }
  const query = new URL(request.url).searchParams;
  const named = endpoint.reads ? Object.fromEntries(endpoint.reads.query.flatMap((k) => (query.has(k) ? [[k, query.get(k)!]] : []))) : {};
  return { ...named, ...id };
}

export async function serveScim<T>(endpoint: ScimEndpoint<T>, request: Request, context?: RouteContext): Promise<Response> {
  try {
    return await serve(endpoint, request, context);
  } catch (e) {
    // Outside the pipeline (configuration, rendering): still a SCIM error body, never Next's HTML page.
    const requestId = randomUUID();
    console.error(JSON.stringify({ level: "error", requestId, action: endpoint.op.name, error: (e as Error).message, stack: (e as Error).stack }));
    return scimErrorResponse(500, `Something went wrong on RoleGate's side (request ${requestId}).`);
  }
}

async function serve<T>(endpoint: ScimEndpoint<T>, request: Request, context?: RouteContext): Promise<Response> {
  const config = getConfig();
  if (!config.scim) return scimErrorResponse(404, "SCIM provisioning is not enabled on this RoleGate (set ROLEGATE_SCIM_TOKEN).");
  const secret = config.scim.token;
  const result = await runPipeline(endpoint.op, undefined, {
    authenticate: async () => authenticateScimClient(request, secret),
    readInput: () => inputOf(endpoint as ScimEndpoint<unknown>, request, context),
  });
  if (result.ok) return endpoint.render(result.data, config.publicUrl ?? new URL(request.url).origin);
  const { code, message, reason } = result.error;
  // A refusal of the operation's schema carries no reason of its own: the endpoint names its scimType.
  const res = scimErrorResponse(HTTP_STATUS[code], message, reason ?? (code === "invalid" ? endpoint.invalid : undefined));
  if (code === "unauthenticated") res.headers.set("www-authenticate", 'Bearer realm="rolegate-scim"');
  return res;
}
