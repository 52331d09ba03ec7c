// The "template" item kind: a standing approval. Only the IAM team approves it
// ("iam-team": the approver role, never an admin in its place), and only when an
// approval policy of the approver's role covers the whole template (covers.ts);
// otherwise the approval is refused with the reason. Applying it writes nothing
// to AWS: it makes the version active (CAS pending -> active) and the previous
// active version of the name superseded, with an audit row, in one transaction.
import { recordAudit } from "@/lib/audit/record";
import type { ItemKind } from "@/lib/requests";
import { templateClusters } from "./clusters";
import { policyRefusal } from "./covers";

export const TEMPLATE_ITEM_KIND = "template";

export function templateItemKind(clock: () => Date = () => new Date()): ItemKind {
  return {
    kind: TEMPLATE_ITEM_KIND,
    prechecks: "none",
    approval: "iam-team",
    async approvalRefusal(tx, actor, item) {
      const t = item.templateId ? await tx.associationTemplate.findUnique({ where: { id: item.templateId } }) : null;
      if (!t) return `Request item ${item.id} names no template version: it cannot be approved.`;
      if (t.status !== "pending") return `Template "${t.name}" v${t.version} is ${t.status}, not awaiting approval.`;
      // Every cached cluster the entries name (targets or not): a policy limited to some accounts must cover them all.
      const named = templateClusters(t.clusters, await tx.cluster.findMany({ select: { id: true, accountId: true, region: true, name: true, arn: true } }));
      return policyRefusal(t, actor.role, await tx.approvalPolicy.findMany({ where: { active: true } }), named);
    },
    async apply({ prisma }, _location, item) {
      return prisma.$transaction(async (tx) => {
        const t = await tx.associationTemplate.findUnique({ where: { id: item.templateId ?? "00000000-0000-0000-0000-000000000000" } });
        if (!t) return { ok: false, errorCode: "NoSuchTemplate", errorMessage: `Request item ${item.id} names no template version.` };
        // A retry after the activation went through.
        if (t.status === "active") return { ok: true, outcome: "updated" as const };
        const at = clock();
        const activated = await tx.associationTemplate.updateMany({ where: { id: t.id, status: "pending" }, data: { status: "active", activatedAt: at } });
        if (activated.count !== 1) return { ok: false, errorCode: "TemplateNotPending", errorMessage: `Template "${t.name}" v${t.version} is ${t.status} (revoked or superseded since approval): nothing activated.` };
        const superseded = await tx.associationTemplate.updateMany({ where: { name: t.name, status: "active", id: { not: t.id } }, data: { status: "superseded" } });
        const review = await tx.review.findFirst({ where: { requestId: item.requestId, decision: "approve" }, orderBy: { createdAt: "desc" }, include: { reviewer: { select: { login: true } } } });
        await tx.associationTemplate.update({ where: { id: t.id }, data: { approvedBy: review?.reviewer.login ?? null } });
        await recordAudit(tx, {
          actor: "system", event: "template.activated", subject: `template:${t.name}`, requestId: item.requestId, namespace: t.namespace, roleArn: t.roleArn,
          details: { template: t.name, templateVersion: t.version, templateId: t.id, clusters: t.clusters, serviceAccountPattern: t.serviceAccountPattern, supersededVersions: superseded.count, approvedBy: review?.reviewer.login ?? null },
        });
        return { ok: true, outcome: "updated" as const };
      });
    },
  };
}
