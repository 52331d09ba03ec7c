import "server-only";
// Standing approvals (lib/templates): the list, one template with its dry run,
// a requester's mapping under an active template, and the revocation. Filing or
// editing a template is an item of POST /api/v1/requests (kind "template").
import { z } from "zod";
import { actorOf, defineOperation } from "@/lib/core/operation";
import { runtime } from "@/lib/runtime";
import {
  fileMappingRequest, getTemplate, listTemplates, revokeTemplate, templateIdSchema, templateMappingSchema, templateRevocationSchema, TEMPLATE_LIST_MAX, TEMPLATE_MAPPINGS_SHOWN, TEMPLATE_VERSIONS_SHOWN,
} from "@/lib/templates";

const version = z.looseObject({ id: z.uuid(), name: z.string(), version: z.number().int(), status: z.enum(["pending", "active", "superseded", "revoked"]), serviceAccountPattern: z.string() });
const mapping = z.looseObject({ requestId: z.uuid(), requestStatus: z.string(), cluster: z.string(), namespace: z.string(), serviceAccount: z.string(), templateVersion: z.number().int() });
// Capped lists (lib/templates/queries.ts): what is shown, and how many there are.
const shownVersions = { versions: z.array(version), versionsTotal: z.number().int(), versionsTruncated: z.boolean() };
const shownMappings = { mappings: z.array(mapping), mappingsTotal: z.number().int(), mappingsTruncated: z.boolean(), pendingMatches: z.array(mapping) };

export const listTemplatesOp = defineOperation({
  name: "list-templates",
  access: "requests:read",
  input: z.object({}),
  handler: (ctx) => listTemplates(ctx.prisma),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/templates",
    status: 200,
    summary: `Standing approvals (association templates) by name, at most ${TEMPLATE_LIST_MAX} (total and truncated say how many there are): the current version, the newest ${TEMPLATE_VERSIONS_SHOWN} versions, the first ${TEMPLATE_MAPPINGS_SHOWN} mappings made (with their total) and the matches pending`,
    output: z.object({ templates: z.array(z.looseObject({ name: z.string(), current: version, ...shownVersions, ...shownMappings })), total: z.number().int(), truncated: z.boolean() }),
  },
});

export const getTemplateOp = defineOperation({
  name: "get-template",
  access: "requests:read",
  input: templateIdSchema,
  // The dry run reads the clusters' service accounts now; nothing is written.
  handler: (ctx) => getTemplate(runtime().templateDeps(ctx.prisma), ctx.input.id),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/templates/{id}",
    status: 200,
    summary: "One template version with its mappings and a dry run: the service accounts it would match now (would-map, has-association, mapped)",
    errors: [400, 404],
    output: z.looseObject({
      template: version,
      ...shownVersions,
      ...shownMappings,
      dryRun: z.object({
        candidates: z.array(z.object({ cluster: z.string(), namespace: z.string(), serviceAccount: z.string(), state: z.enum(["would-map", "has-association", "mapped"]), requestId: z.uuid().nullable() })),
        errors: z.array(z.object({ cluster: z.string(), error: z.string() })),
      }),
    }),
  },
});

export const fileTemplateMappingOp = defineOperation({
  name: "file-template-mapping",
  access: "requests:create",
  input: templateMappingSchema,
  handler: (ctx) => fileMappingRequest(runtime().templateDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["request.created", "request.auto_approved"] },
  http: {
    method: "POST",
    path: "/api/v1/templates/{id}/mappings",
    status: 201,
    summary: "Map one service account under an active template: approved under the template's approval and applied at once",
    errors: [400, 403, 404, 409],
    output: z.object({ id: z.uuid(), status: z.literal("approved") }),
  },
});

export const revokeTemplateOp = defineOperation({
  name: "revoke-template",
  access: "templates:revoke",
  input: templateRevocationSchema,
  handler: (ctx) => revokeTemplate(runtime().templateDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["template.revoked", "request.created"] },
  http: {
    method: "POST",
    path: "/api/v1/templates/{id}/revocations",
    status: 201,
    summary: "Revoke a template: it stops matching at once, and one request (approval-gated) deletes every mapping it made (id null when it made none)",
    errors: [400, 403, 404, 409],
    output: z.object({ id: z.uuid().nullable(), status: z.string(), mappings: z.number().int() }),
  },
});
