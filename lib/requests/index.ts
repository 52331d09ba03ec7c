// The public face of lib/requests: what other folders (lifecycle modules, jobs,
// actions, pages) may use. Everything else in this folder is internal.
// Filing goes through fileRequest; the lifecycle through approve / reject /
// cancel / retry / apply; item kinds through the registry (item-kinds.ts).
export type { Actor, RequestsDeps, Tx } from "./deps";
export { fileRequest, type FiledItem, type FiledRequest, type FileRequestInput, type FilingDeps } from "./file-request";
export { createRequest, checkItems, locateItems } from "./create-request";
export { createRequestSchema, itemsOf, precheckRequestSchema, type CreateRequestInput, type ItemInput, type PrecheckInput } from "./input";
export { approveRequest } from "./approve-request";
export { rejectRequest } from "./reject-request";
export { requestChanges } from "./request-changes";
export { resubmitRequest } from "./resubmit-request";
export { addFixItem } from "./add-fix-item";
export { cancelRequest } from "./cancel-request";
export { retryRequest } from "./retry-request";
export { applyRequest, type ApplyDeps } from "./apply-request";
export { verifyApproval, type ApprovalVerdict } from "./approval-signatures";
export { signOpenApprovals, SIGN_OPEN_APPROVALS } from "./sign-open-approvals";
export { DEFAULT_BACKOFF, type BackoffOptions } from "./apply-item";
export { expireRequests } from "./expire-requests";
export { revokeExpiredMappings, SYSTEM_REVOCATION_POLICY } from "./revoke-expired-mappings";
export { ensureSystemUser, SYSTEM_LOGIN } from "./system-user";
export { freshPrechecks, refreshPrechecks, locationOf, targetRoleLocation } from "./refresh-prechecks";
export type { PrecheckResult } from "./prechecks";
export { resolveLocation } from "./location";
export { trustHash } from "./trust-guard";
export { chainedTrustPolicy } from "./prechecks/target-role";
export { requestTtlMs } from "./ttl";
export { requestItemKinds } from "./apply-item";
export { addRevocationRestartItems, planRevocationRestarts, type RestartPlan } from "./revoke-restart";
export { MAX_MAPPING_LIFETIME_MS } from "./create-request";
export { requireTarget, targetFor } from "./targets";
export { resolveSubject, type Subject } from "./subject";
export {
  createItemKinds,
  type ApplyContext,
  type ItemApplier,
  type ItemApproval,
  type ItemKind,
  type ItemKinds,
  type ItemOutcome,
  type ItemPrecheck,
  type PodLister,
  type RunningPod,
} from "./item-kinds";
export { addFixSchema, approveSchema, rejectSchema, idSchema, requestChangesSchema, resubmitSchema } from "./input";
export { listQuerySchema, listRequests } from "./list-requests";
export { approvalPolicyInput, createApprovalPolicyVersion, latestPolicyVersion, listApprovalPolicies, policyPrioritySchema, POLICY_LIST_MAX, POLICY_VERSIONS_SHOWN } from "./approval-policies";
export { createRoleItemKind, CREATED_BY_TAG } from "./create-role/item-kind";
export { createRoleItemSchema, CREATE_ROLE_KIND, type CreateRoleInput } from "./create-role/input";
export { managedPolicySearchSchema, searchManagedPolicies } from "./create-role/catalogue";
