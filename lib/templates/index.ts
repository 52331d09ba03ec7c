// The public face of lib/templates (standing approvals, issue 13).
export { templateRequestSchema, templateFields, templateIdSchema, templateMappingSchema, templateRevocationSchema, type TemplateInput } from "./input";
export { fileTemplate } from "./file-template";
export { templateItemKind, TEMPLATE_ITEM_KIND } from "./item-kind";
export { matchTemplates, fileMappingRequest, type MatchSummary } from "./match";
export { revokeTemplate } from "./revoke";
export { listTemplates, getTemplate, TEMPLATE_LIST_MAX, TEMPLATE_MAPPINGS_SHOWN, TEMPLATE_VERSIONS_SHOWN, type TemplateMappingView } from "./queries";
export { templateCandidates } from "./candidates";
export { patternWithin, policyRefusal } from "./covers";
export type { TemplateDeps } from "./deps";
