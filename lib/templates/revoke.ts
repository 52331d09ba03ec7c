// Revoking a template: it stops matching at once (every version of the name
// becomes "revoked", audited as template.revoked), and ONE request deletes every
// mapping it made that is in force, with the restart of those service accounts'
// running pods, approval-gated like any revocation. Each revoked mapping names
// the request (revocationRequestId, CAS on null), so the expiry sweep never
// revokes it a second time. Both happen in the filing transaction, under the
// lock mappings are filed under; while a mapping of the template is still being
// applied the revocation is refused (409), so none can appear after it.
import { recordAudit } from "@/lib/audit/record";
import { DomainError } from "@/lib/core/errors";
import { addRevocationRestartItems, fileRequest, planRevocationRestarts, type Actor, type Tx } from "@/lib/requests";
import { nowOf, type TemplateDeps } from "./deps";

export async function revokeTemplate(deps: TemplateDeps, actor: Actor, input: { id: string; justification: string }): Promise<{ id: string | null; status: string; mappings: number }> {
  const t = await deps.prisma.associationTemplate.findUnique({ where: { id: input.id } });
  if (!t) throw new DomainError("not_found", `There is no template ${input.id}.`);
  if (t.status === "revoked") throw new DomainError("conflict", `Template "${t.name}" is already revoked.`);
  const at = nowOf(deps);
  const mappings = await deps.prisma.requestItem.findMany({
    where: { kind: "create", template: { name: t.name }, status: "applied", revocationRequestId: null, resultAssociationId: { not: null } },
    orderBy: [{ cluster: "asc" }, { serviceAccount: "asc" }],
  });
  const mine = { kind: "create", template: { name: t.name } };
  const revoke = async (tx: Tx, requestId: string | null) => {
    // The lock mappings are filed under (file-mapping.ts): no new one while this runs, and none after it.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`template:${t.name}`}))`;
    const inFlight = await tx.requestItem.count({ where: { ...mine, status: { in: ["pending", "applying"] }, request: { status: { in: ["approved", "applying"] } } } });
    if (inFlight) throw new DomainError("conflict", `${inFlight} mapping(s) of template "${t.name}" are being applied right now: revoke again once they are (a revocation can only remove what exists).`);
    const inForce = await tx.requestItem.count({ where: { ...mine, status: "applied", revocationRequestId: null, resultAssociationId: { not: null } } });
    if (inForce !== mappings.length) throw new DomainError("conflict", `The mappings of template "${t.name}" changed while the revocation was prepared: try again.`);
    const versions = await tx.associationTemplate.updateMany({ where: { name: t.name, status: { not: "revoked" } }, data: { status: "revoked", revokedAt: at, revocationRequestId: requestId } });
    if (versions.count === 0) return false;
    for (const m of mappings) {
      const claimed = await tx.requestItem.updateMany({ where: { id: m.id, revocationRequestId: null }, data: { revocationRequestId: requestId } });
      if (claimed.count !== 1) throw new DomainError("conflict", `The mapping ${m.namespace}/${m.serviceAccount} on ${m.cluster} is being revoked by another request at the same moment: try again.`);
    }
    await recordAudit(tx, {
      actor: actor.login, event: "template.revoked", subject: `template:${t.name}`, requestId, namespace: t.namespace, roleArn: t.roleArn,
      details: { template: t.name, templateVersion: t.version, templateId: t.id, mappings: mappings.map((m) => `${m.cluster}/${m.namespace}/${m.serviceAccount}`), reason: input.justification },
    });
    return true;
  };
  const gone = () => new DomainError("conflict", `Template "${t.name}" was revoked at the same moment by someone else.`);
  if (!mappings.length) {
    if (!(await deps.prisma.$transaction((tx) => revoke(tx, null)))) throw gone();
    return { id: null, status: "revoked", mappings: 0 };
  }
  const restarts = await planRevocationRestarts(deps.kinds, mappings);
  const filed = await fileRequest(deps, {
    kind: mappings.length > 1 ? "batch" : "delete",
    requester: actor,
    justification: `Revoke the standing approval "${t.name}": ${input.justification}`,
    claim: (tx, id) => revoke(tx, id),
    items: mappings.map((m) => ({
      kind: "delete", cluster: m.cluster, accountId: m.accountId, region: m.region, namespace: m.namespace, serviceAccount: m.serviceAccount,
      roleArn: m.roleArn, associationId: m.resultAssociationId, subjectRoleArn: m.roleArn, templateId: m.templateId,
    })),
    async more(tx, id, position) {
      if (!restarts?.length) return;
      const byKey = (p: { cluster: string; namespace: string; serviceAccount: string }) => mappings.find((m) => m.cluster === p.cluster && m.namespace === p.namespace && m.serviceAccount === p.serviceAccount)!;
      const restartPods = await addRevocationRestartItems(tx, id, position, restarts, byKey, actor.login, `its association is revoked with the standing approval "${t.name}"`);
      return { restartPods };
    },
    audit: { details: ({ more }) => ({ kind: "delete", items: mappings.length, template: t.name, templateVersion: t.version, templateId: t.id, ...more }) },
    notification: `${actor.login} revokes the standing approval "${t.name}" and its ${mappings.length} mapping(s)`,
  });
  if (!filed) throw gone();
  return { id: filed.id, status: filed.status, mappings: mappings.length };
}
