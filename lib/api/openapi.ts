import "server-only";
// The OpenAPI 3.1 document of /api/v1, generated from the operations' zod
// schemas (zod-openapi): the input a route validates is the input it documents.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { PERMISSIONS, ROLES } from "@/lib/auth/permissions";
import type { AnyOperation } from "@/lib/core/operation";
import { OPERATIONS } from "./operations";
import { errorBody } from "./operations/schemas";

const ERROR_TEXT: Record<number, string> = {
  400: "Invalid input: a message per field",
  401: "Missing, expired or invalid bearer token / session",
  403: "Your role (or this caller) may not do this",
  404: "No such resource",
  409: "Conflict: wrong state, or a concurrent change won",
  429: "Too many attempts",
  503: "A dependency (AWS, Kubernetes) is unavailable",
};

const pathParamNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** The input's object shape split into path parameters and the rest (query or body). */
function splitInput(input: z.ZodType, pathNames: string[]) {
  if (!(input instanceof z.ZodObject)) return { path: undefined, rest: input };
  const shape = input.shape as Record<string, z.ZodType>;
  const pick = (keep: (k: string) => boolean) => z.object(Object.fromEntries(Object.entries(shape).filter(([k]) => keep(k))));
  return { path: pathNames.length ? pick((k) => pathNames.includes(k)) : undefined, rest: pick((k) => !pathNames.includes(k)) };
}

function operationObject(op: AnyOperation): ZodOpenApiOperationObject {
  const http = op.http!;
  const names = pathParamNames(http.path);
  const { path, rest } = splitInput(op.input, names);
  const hasBody = http.method === "POST";
  // Statuses the pipeline itself answers follow from the spec: 401 unless public, 403 when some
  // role lacks the permission, 400 when there is input to refuse; the rest are the handler's.
  const restricted = op.access !== "public" && op.access !== "signed-in" && (PERMISSIONS[op.access] as readonly string[]).length < ROLES.length;
  const takesInput = hasBody || !(op.input instanceof z.ZodObject) || Object.keys(op.input.shape).length > 0;
  const errors = new Set<number>([...(op.access === "public" ? [] : [401]), ...(restricted ? [403] : []), ...(takesInput ? [400] : []), ...(http.errors ?? [])]);
  const query = !hasBody && rest instanceof z.ZodObject && Object.keys(rest.shape).length ? rest : undefined;
  const responses: ZodOpenApiResponsesObject = {
    [`${http.status}`]: {
      description: http.status === 202 ? "Started" : http.status === 201 ? "Created" : "OK",
      content: {
        "application/json": { schema: http.output ?? z.looseObject({}) },
        ...Object.fromEntries((http.produces ?? []).map((type) => [type, { schema: z.string() }])),
      },
    },
  };
  for (const status of [...errors].sort()) responses[`${status}` as `4${string}`] = { description: ERROR_TEXT[status] ?? "Error", content: { "application/json": { schema: errorBody } } };
  return {
    operationId: op.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    summary: http.summary,
    ...(op.access === "public" ? { security: [] } : { description: `Permission: ${op.access}` }),
    requestParams: { ...(path ? { path } : {}), ...(query ? { query } : {}) },
    ...(hasBody ? { requestBody: { required: true, content: { "application/json": { schema: rest } } } } : {}),
    responses,
  };
}

function paths(): ZodOpenApiPathsObject {
  const out: ZodOpenApiPathsObject = {
    "/api/v1/openapi.json": {
      get: { operationId: "getOpenApi", summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1 document", content: { "application/json": { schema: z.looseObject({ openapi: z.string() }) } } } } },
    },
  };
  for (const op of OPERATIONS) {
    if (!op.http) continue;
    const method = op.http.method.toLowerCase() as "get" | "post" | "delete";
    const item = (out[op.http.path] ??= {});
    if (item[method]) throw new Error(`Two operations for ${op.http.method} ${op.http.path}`);
    item[method] = operationObject(op);
  }
  return out;
}

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(): ReturnType<typeof createDocument> {
  cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "RoleGate API",
      version: "1.0.0",
      description: "Request, review and apply EKS Pod Identity associations, and everything else the RoleGate UI does. Authenticate with Authorization: Bearer <token> (an API token rg_...; in sandbox mode the demo users also have sandbox-<login>).",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: paths(),
  });
  return cached;
}
