// The OpenAPI 3.1 document of RoleGate's request API (stable contract), as a typed object.
type Schema = Record<string, unknown>;
interface Operation { summary: string; operationId: string; security?: Schema[]; parameters?: Schema[]; requestBody?: Schema; responses: Record<string, Schema> }
export interface OpenApiDocument { openapi: "3.1.0"; info: Schema; servers: Schema[]; components: Schema; security: Schema[]; paths: Record<string, Partial<Record<"get" | "post", Operation>>> }

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string) => ({ description, content: { "application/json": { schema } } });
const error = (description: string) => json(ref("Error"), description);
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const body = (schema: Schema, required = true) => ({ required, content: { "application/json": { schema } } });
const transition = (op: string, summary: string, input: Schema, required = false): Operation => ({
  summary,
  operationId: `${op}Request`,
  parameters: [idParam],
  requestBody: body(input, required),
  responses: {
    "200": json(ref("StateChange"), "The new state"),
    "400": error("Invalid input (message per field)"),
    "401": error("Missing or invalid bearer token"),
    "403": error("Not allowed (e.g. your own request, or your role)"),
    "404": error("No such request"),
    "409": error("Wrong state, already reviewed, or a concurrent change won"),
  },
});

const item = {
  type: "object",
  required: ["kind", "cluster", "namespace", "serviceAccount"],
  properties: {
    kind: { enum: ["create", "update", "delete"] },
    cluster: { type: "string" },
    accountId: { type: "string", pattern: "^\\d{12}$" },
    region: { type: "string" },
    namespace: { type: "string" },
    serviceAccount: { type: "string" },
    roleArn: { type: "string", description: "Required for create and update" },
    targetRoleArn: { type: "string" },
    disableSessionTags: { type: "boolean", default: false },
    sessionPolicy: { type: "string", maxLength: 2048 },
    tags: { type: "object", additionalProperties: { type: "string" } },
    mappingExpiresAt: { type: "string", format: "date-time" },
    associationId: { type: "string" },
  },
};

export const OPENAPI: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "RoleGate API", version: "1.0.0", description: "Request, review and apply EKS Pod Identity associations. In sandbox mode the demo users have bearer tokens sandbox-<login>." },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      Error: { type: "object", required: ["error"], properties: { error: { type: "object", required: ["code", "message"], properties: { code: { enum: ["unauthenticated", "forbidden", "invalid", "conflict", "not_found", "unavailable", "internal"] }, message: { type: "string" }, fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } } } } } },
      Precheck: { type: "object", required: ["id", "item", "status", "message"], properties: { id: { type: "string" }, item: { type: "integer" }, status: { enum: ["pass", "fail", "warn"] }, message: { type: "string" }, fix: { type: "object", properties: { kind: { type: "string" }, json: {} } } } },
      Item: item,
      CreateRequest: {
        oneOf: [
          { allOf: [item, { type: "object", required: ["justification"], properties: { justification: { type: "string", minLength: 10 }, includeIamFixes: { type: "boolean", description: "Add the suggested IAM changes of failing prechecks as IAM items (approved by the IAM team)" } } }] },
          { type: "object", required: ["kind", "justification", "items"], properties: { kind: { const: "batch" }, justification: { type: "string", minLength: 10 }, items: { type: "array", items: item, minItems: 1, maxItems: 100 } } },
        ],
      },
      Created: { type: "object", required: ["id", "status", "prechecks"], properties: { id: { type: "string", format: "uuid" }, status: { const: "pending" }, prechecks: { type: "array", items: ref("Precheck") } } },
      StateChange: { type: "object", required: ["id", "status"], properties: { id: { type: "string" }, status: { enum: ["pending", "approved", "applying", "rejected", "cancelled"] }, approvals: { type: "integer" }, requiredApprovals: { type: "integer" } } },
      Request: {
        type: "object",
        required: ["id", "kind", "status", "approvals", "items"],
        properties: {
          id: { type: "string" }, kind: { enum: ["create", "update", "delete", "batch"] },
          status: { enum: ["pending", "approved", "applying", "applied", "failed", "rejected", "cancelled", "expired"] },
          approvals: { type: "integer" }, policy: { type: "object" }, justification: { type: "string" },
          association: { type: ["object", "null"], properties: { associationId: { type: "string" }, associationArn: { type: "string" }, externalId: { type: ["string", "null"] } } },
          items: { type: "array", items: { type: "object", properties: { awsCall: { type: "object", properties: { operation: { type: "string" }, input: { type: "object" } } }, status: { type: "string" }, error: { type: ["object", "null"] } } } },
          reviews: { type: "array" }, timeline: { type: "array" }, prechecks: { type: "array", items: ref("Precheck") }, prechecksAt: { type: ["string", "null"], format: "date-time" },
        },
      },
    },
  },
  paths: {
    "/api/v1/requests": {
      get: { summary: "List requests", operationId: "listRequests", parameters: ["tab", "status", "cluster", "q", "page", "pageSize"].map((name) => ({ name, in: "query", schema: { type: "string" } })), responses: { "200": json({ type: "object" }, "A page of requests"), "401": error("Unauthenticated") } },
      post: { summary: "File a request", operationId: "createRequest", requestBody: body(ref("CreateRequest")), responses: { "201": json(ref("Created"), "Filed, with its prechecks"), "400": error("Invalid input (message per field)"), "401": error("Unauthenticated"), "403": error("Your role may not file requests") } },
    },
    "/api/v1/requests/{id}": { get: { summary: "A request with items, AWS call preview, reviews and timeline", operationId: "getRequest", parameters: [idParam, { name: "prechecks", in: "query", description: "fresh: run the prechecks again (and store them) before answering", schema: { enum: ["stored", "fresh"] } }], responses: { "200": json(ref("Request"), "The request"), "400": error("Invalid id"), "404": error("No such request") } } },
    "/api/v1/requests/{id}/approve": { post: transition("approve", "Approve (not your own). 409 while a blocking precheck fails, unless override.reason is given (stored and audited as request.approved_with_override)", { type: "object", properties: { comment: { type: "string" }, override: { type: "object", required: ["reason"], properties: { reason: { type: "string", minLength: 10, maxLength: 2000 } } } } }) },
    "/api/v1/requests/{id}/reject": { post: transition("reject", "Reject with a reason", { type: "object", required: ["reason"], properties: { reason: { type: "string", minLength: 3 } } }, true) },
    "/api/v1/requests/{id}/cancel": { post: transition("cancel", "Cancel a pending request (requester or admin)", { type: "object" }) },
    "/api/v1/requests/{id}/retry": { post: transition("retry", "Retry a failed apply", { type: "object" }) },
    "/api/v1/requests/{id}/prechecks": { post: { summary: "Run a filed request's prechecks again; stores them with their time", operationId: "refreshPrechecks", parameters: [idParam], responses: { "200": json({ type: "object", required: ["id", "prechecks", "prechecksAt"], properties: { id: { type: "string" }, prechecks: { type: "array", items: ref("Precheck") }, prechecksAt: { type: "string", format: "date-time" } } }, "Fresh precheck results"), "400": error("Invalid id"), "401": error("Unauthenticated"), "404": error("No such request") } } },
    "/api/v1/mappings": { get: { summary: "Pod Identity associations read from the clusters (cached)", operationId: "listMappings", parameters: ["cluster", "namespace", "q", "sort", "dir", "page", "pageSize"].map((name) => ({ name, in: "query", schema: { type: "string" } })), responses: { "200": json({ type: "object" }, "A page of mappings"), "400": error("Invalid filter"), "401": error("Unauthenticated") } } },
    "/api/v1/mappings/refreshes/{id}": { get: { summary: "Progress of a mappings refresh", operationId: "getMappingRefresh", parameters: [{ ...idParam }], responses: { "200": json({ type: "object" }, "The refresh"), "404": error("No such refresh") } } },
    "/api/v1/scans/{id}": { get: { summary: "Status, progress, errors and counts of an inventory scan", operationId: "getScan", parameters: [{ ...idParam }], responses: { "200": json({ type: "object" }, "The scan"), "404": error("No such scan") } } },
    "/api/v1/openapi.json": { get: { summary: "This document", operationId: "getOpenApi", security: [], responses: { "200": json({ type: "object" }, "OpenAPI 3.1 document") } } },
    "/api/v1/prechecks": { post: { summary: "Run the prechecks of a request body without filing it", operationId: "runPrechecks", requestBody: body(ref("CreateRequest")), responses: { "200": json({ type: "object", properties: { prechecks: { type: "array", items: ref("Precheck") } } }, "Precheck results"), "400": error("Invalid input") } } },
    "/api/v1/audit": { get: { summary: "Audit rows (format=json|csv)", operationId: "listAudit", responses: { "200": json({ type: "object" }, "Audit rows") } } },
    "/api/v1/audit/verify": { get: { summary: "Verify the audit hash chain (keyed), and against the configured signed checkpoints", operationId: "verifyAudit", responses: { "200": json({ type: "object", properties: { valid: { type: "boolean" }, rows: { type: "integer" }, firstBadRow: { type: "object" }, checkpoints: { type: "object" }, badCheckpoint: { type: "object" } } }, "Chain status") } } },
    "/api/v1/audit/checkpoints": { post: { summary: "Sign a checkpoint of the audit chain's head now (file + webhook); admin", operationId: "takeAuditCheckpoint", responses: { "201": json({ type: "object" }, "The signed checkpoint"), "403": error("Not an admin"), "409": error("The chain does not verify: nothing signed") } } },
  },
};
