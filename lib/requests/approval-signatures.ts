// Approvals RoleGate can tell are its own. The app's database role may write every
// table but the audit trail, so a Review row or an "approved" status in the
// database proves nothing by itself: someone holding only DATABASE_URL could
// insert both. So every review is signed when RoleGate records it, with HMAC
// under the approvals subkey of ROLEGATE_AUDIT_KEY (which is not in the
// database), over who decided what, in which role, with which override, when,
// and a digest of the request as it was decided; a system filing (expiry
// revocation, standing approval) is signed the same way when it is approved.
// Apply (apply-request.ts) counts only approvals that verify over the request
// as it is NOW, so a forged review, an edited item or lowered requirements
// leave the request unapproved, and nothing is sent to AWS.
//
// digest = SHA-256 of the canonical JSON (lib/audit/chain.ts) of:
//   the request's id, kind, requester and approval requirements;
//   each item's fields that say what apply does (ITEM_FIELDS: not its progress);
//   the pod restarts its "restart-pods" items plan (RESTART_FIELDS);
//   the template versions its items name (TEMPLATE_FIELDS: the standing approval's terms).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "@/lib/audit/chain";
import { getAuditKey, type AuditKey } from "@/lib/audit/key";
import type { Role } from "@/lib/auth/permissions";
import type { ReviewDecision, RequestItem } from "@/lib/db/generated/client";
import type { Tx } from "./deps";
import type { ItemKinds } from "./item-kinds";
import { requirementsMet, storedRequirements, totalApprovals } from "./policies";

/** What an item asks AWS (or Kubernetes) for. Not status, attempts, results or revocationRequestId: apply and the expiry sweep write those later. */
const ITEM_FIELDS = [
  "id", "position", "kind", "cluster", "accountId", "region", "namespace", "serviceAccount", "roleArn", "targetRoleArn",
  "disableSessionTags", "sessionPolicy", "tags", "mappingExpiresAt", "iamPolicyName", "iamPolicyDocument", "iamBaseHash",
  "roleSpec", "associationId", "subjectRoleArn", "clientRequestToken", "templateId",
] as const;
/** Which pod a restart deletes (its status moves during apply). */
const RESTART_FIELDS = ["requestItemId", "accountId", "region", "cluster", "namespace", "podName", "podUid", "serviceAccount"] as const;
/** A standing approval's terms (its status, activation and revocation move later). */
const TEMPLATE_FIELDS = [
  "id", "name", "version", "clusters", "namespace", "serviceAccountPattern", "roleArn", "targetRoleArn", "disableSessionTags",
  "sessionPolicy", "mappingTtlDays", "maxMappings", "expiresAt", "requestId",
] as const;

type Db = Pick<Tx, "request" | "requestItem" | "podRestart" | "associationTemplate" | "review">;

function pick<T extends object, K extends keyof T>(row: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.map((f) => [f, row[f]])) as Pick<T, K>;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The request, its items and the digest of both as they are in the database now; null when there is no such request. */
export async function loadSignedContent(db: Db, requestId: string) {
  const request = await db.request.findUnique({ where: { id: requestId }, include: { reviews: true } });
  if (!request) return null;
  const items = await db.requestItem.findMany({ where: { requestId }, orderBy: { position: "asc" } });
  const restarts = await db.podRestart.findMany({ where: { requestItemId: { in: items.map((i) => i.id) } }, orderBy: [{ requestItemId: "asc" }, { podUid: "asc" }] });
  const templateIds = [...new Set(items.flatMap((i) => (i.templateId ? [i.templateId] : [])))];
  const templates = templateIds.length ? await db.associationTemplate.findMany({ where: { id: { in: templateIds } }, orderBy: { id: "asc" } }) : [];
  const digest = sha256(
    canonicalJson({
      request: { id: request.id, kind: request.kind, requesterId: request.requesterId, requirements: storedRequirements(request) },
      items: items.map((i) => pick(i, ITEM_FIELDS)),
      restarts: restarts.map((r) => pick(r, RESTART_FIELDS)),
      templates: templates.map((t) => pick(t, TEMPLATE_FIELDS)),
    }),
  );
  return { request, items, digest };
}

export interface SignedReviewFields {
  requestId: string;
  reviewerId: string;
  decision: ReviewDecision;
  reviewerRole: Role | null;
  overrideReason: string | null;
  createdAt: Date;
}

function hmac(key: AuditKey, content: Record<string, unknown>): string {
  return createHmac("sha256", key.approvals).update(canonicalJson(content), "utf8").digest("hex");
}

/** A review's signature; `purpose` keeps it from ever passing for a system approval's, and the reverse. */
export function reviewSignature(r: SignedReviewFields, digest: string, key: AuditKey = getAuditKey()): string {
  return hmac(key, { purpose: "review", requestId: r.requestId, reviewerId: r.reviewerId, decision: r.decision, reviewerRole: r.reviewerRole, overrideReason: r.overrideReason, createdAt: r.createdAt, digest });
}

/** A system filing's approval: no reviewer, the request's decidedAt. */
export function autoApprovalSignature(requestId: string, decidedAt: Date, digest: string, key: AuditKey = getAuditKey()): string {
  return hmac(key, { purpose: "auto-approval", requestId, decidedAt, digest });
}

function sameSignature(stored: string | null, expected: string): boolean {
  if (!stored || stored.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(expected));
}

/** Records a review signed over the request as it is in this transaction (approve, reject). */
export async function createSignedReview(tx: Tx, review: SignedReviewFields & { comment: string | null }) {
  const content = await loadSignedContent(tx, review.requestId);
  if (!content) throw new Error(`request ${review.requestId} vanished inside its review transaction`);
  return tx.review.create({ data: { ...review, signature: reviewSignature(review, content.digest) } });
}

/** The signature a system filing is approved with, over the request as written so far in its filing transaction. */
export async function signAutoApproval(tx: Tx, requestId: string, decidedAt: Date): Promise<string> {
  const content = await loadSignedContent(tx, requestId);
  if (!content) throw new Error(`request ${requestId} vanished inside its filing transaction`);
  return autoApprovalSignature(requestId, decidedAt, content.digest);
}

export interface ApprovalCheck {
  kinds: ItemKinds;
  at: Date;
  /** The approval must be at most this old at `at` (apply: ROLEGATE_APPROVAL_VALID_HOURS); absent: any age (a standing approval). */
  validMs?: number;
  key?: AuditKey;
}

export type ApprovalVerdict = { ok: true; items: RequestItem[] } | { ok: false; reason: string; items: RequestItem[] };

/**
 * Whether the request carries approvals RoleGate signed over what it holds now and that meet
 * what it needs: signed approvals meeting its (signed) requirements, or, when it needs none
 * (a system filing), a signed system approval. The items returned are the ones verified.
 */
export async function verifyApproval(db: Db, requestId: string, check: ApprovalCheck): Promise<ApprovalVerdict> {
  const key = check.key ?? getAuditKey();
  const content = await loadSignedContent(db, requestId);
  if (!content) return { ok: false, reason: `there is no request ${requestId}`, items: [] };
  const { request, items, digest } = content;
  const tooOld = (at: Date) =>
    check.validMs !== undefined && check.at.getTime() - at.getTime() > check.validMs
      ? `its approval is from ${at.toISOString()}, older than ${check.validMs / 3600_000} hours (ROLEGATE_APPROVAL_VALID_HOURS)`
      : null;
  const verdict = (reason: string | null): ApprovalVerdict => (reason ? { ok: false, reason, items } : { ok: true, items });

  const requirements = storedRequirements(request);
  if (totalApprovals(requirements) === 0) {
    const signed = request.decidedAt && sameSignature(request.autoApprovalSignature, autoApprovalSignature(request.id, request.decidedAt, digest, key));
    if (!signed) return verdict("it needs no human approval, yet carries no system approval signed over its current items");
    return verdict(tooOld(request.decidedAt!));
  }
  const verified = request.reviews.filter((r) => sameSignature(r.signature, reviewSignature(r, digest, key)));
  if (verified.some((r) => r.decision === "reject")) return verdict("it was rejected");
  const approvals = verified.filter((r) => r.decision === "approve" && r.reviewerRole);
  const iamTeamOnly = items.some((i) => check.kinds.approvalOf(i.kind) === "iam-team");
  const { met, missing } = requirementsMet(requirements, approvals.map((r) => r.reviewerRole!), !iamTeamOnly);
  if (!met) {
    const stored = request.reviews.filter((r) => r.decision === "approve").length;
    return verdict(
      `${approvals.length} of its ${stored} recorded approval(s) verify over its current items, and it needs ${missing.map((m) => `${m.count} more from the ${m.role} role`).join(" and ")}`,
    );
  }
  const newest = approvals.reduce((a, r) => (r.createdAt > a ? r.createdAt : a), approvals[0]!.createdAt);
  return verdict(tooOld(newest));
}
