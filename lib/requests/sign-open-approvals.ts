// Requests approved (or partly approved) before reviews were signed carry no
// signatures, and apply now counts only signed approvals (./approval-signatures.ts).
// Decision: a once-only data migration (lib/db/migrate.ts ledger) signs, as they
// stand at the upgrade, the reviews of requests that can still be applied
// (pending, approved, applying, failed: a retry) and of the requests behind
// standing approvals that can still map (pending or active templates), and the
// system approvals of such requests that need no human approval. Applied,
// rejected, cancelled and expired requests stay unsigned: nothing applies them
// again. Once, never on every start: signing again would sign rows written into
// the database since by someone without the key. Reviews recorded before the
// reviewer's role was (gate integrity) count, as they did, in the reviewer's role now.
import type { AuditKey } from "@/lib/audit/key";
import type { Role } from "@/lib/auth/permissions";
import type { DataMigration } from "@/lib/db/migrate";
import { autoApprovalSignature, loadSignedContent, reviewSignature } from "./approval-signatures";
import { storedRequirements, totalApprovals } from "./policies";

export const SIGN_OPEN_APPROVALS = "data:20261201143816_sign_open_approvals";

const OPEN = ["pending", "approved", "applying", "failed"] as const;
const APPROVED = new Set<string>(["approved", "applying", "failed"]);

export function signOpenApprovals(key: AuditKey): DataMigration {
  return {
    name: SIGN_OPEN_APPROVALS,
    async run(tx) {
      const open = await tx.request.findMany({
        where: { OR: [{ status: { in: [...OPEN] } }, { templates: { some: { status: { in: ["pending", "active"] } } } }] },
        select: { id: true },
      });
      for (const { id } of open) {
        const content = (await loadSignedContent(tx, id))!;
        const { request, digest } = content;
        for (const review of request.reviews) {
          if (review.signature) continue;
          const reviewer = await tx.user.findUniqueOrThrow({ where: { id: review.reviewerId }, select: { role: true } });
          const reviewerRole = review.decision === "approve" ? review.reviewerRole ?? (reviewer.role as Role) : review.reviewerRole;
          const signature = reviewSignature({ ...review, reviewerRole }, digest, key);
          await tx.review.update({ where: { id: review.id }, data: { reviewerRole, signature } });
        }
        if (APPROVED.has(request.status) && request.decidedAt && !request.autoApprovalSignature && totalApprovals(storedRequirements(request)) === 0) {
          await tx.request.update({ where: { id }, data: { autoApprovalSignature: autoApprovalSignature(id, request.decidedAt, digest, key) } });
        }
      }
    },
  };
}
