// After every mappings refresh and inventory scan (wired in lib/runtime.ts):
// each active, unexpired template maps the service accounts it matches that have
// no association yet, one auto-approved request per service account, filed by
// the system user. Requesters may also map one service account under a template
// themselves (fileMappingRequest): the same filing, with them as requester.
import { DomainError } from "@/lib/core/errors";
import { ensureSystemUser, type Actor } from "@/lib/requests";
import { compileWildcard } from "@/lib/trust";
import { templateCandidates } from "./candidates";
import { templateClusters, watchedClusters } from "./clusters";
import { nowOf, type TemplateDeps } from "./deps";
import { fileTemplateMapping, type MappingOutcome } from "./file-mapping";

export interface MatchSummary {
  filed: { template: string; version: number; cluster: string; namespace: string; serviceAccount: string; requestId: string }[];
  skipped: { template: string; cluster: string; serviceAccount: string; reason: string }[];
  errors: { template: string; cluster: string; error: string }[];
}

export async function activeTemplates(deps: Pick<TemplateDeps, "prisma" | "now">) {
  const at = nowOf(deps);
  return deps.prisma.associationTemplate.findMany({ where: { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] }, orderBy: { name: "asc" } });
}

export async function matchTemplates(deps: TemplateDeps): Promise<MatchSummary> {
  const summary: MatchSummary = { filed: [], skipped: [], errors: [] };
  const templates = await activeTemplates(deps);
  if (!templates.length) return summary;
  const system = await ensureSystemUser(deps.prisma);
  for (const t of templates) {
    const { candidates, errors } = await templateCandidates(deps, t);
    summary.errors.push(...errors.map((e) => ({ template: t.name, ...e })));
    for (const c of candidates.filter((c) => c.state === "would-map")) {
      let out: MappingOutcome;
      try {
        out = await fileTemplateMapping(deps, t, c.cluster, c.serviceAccount, system, "a refresh found this service account without an association.");
      } catch (e) {
        // One service account's failure (e.g. a database blip) never stops the others.
        summary.errors.push({ template: t.name, cluster: c.cluster.name, error: `${c.namespace}/${c.serviceAccount}: ${(e as Error).message}` });
        continue;
      }
      if ("requestId" in out) summary.filed.push({ template: t.name, version: t.version, cluster: c.cluster.name, namespace: c.namespace, serviceAccount: c.serviceAccount, requestId: out.requestId });
      else summary.skipped.push({ template: t.name, cluster: c.cluster.name, serviceAccount: c.serviceAccount, reason: out.message });
    }
  }
  return summary;
}

/** A requester maps one service account under an active template: auto-approved and queued for apply at once. */
export async function fileMappingRequest(deps: TemplateDeps, actor: Actor, input: { id: string; cluster: string; serviceAccount: string; justification?: string }): Promise<{ id: string; status: "approved" }> {
  const t = await deps.prisma.associationTemplate.findUnique({ where: { id: input.id } });
  if (!t) throw new DomainError("not_found", `There is no template ${input.id}.`);
  const [active] = (await activeTemplates(deps)).filter((a) => a.id === t.id);
  if (!active) throw new DomainError("conflict", `Template "${t.name}" v${t.version} is ${t.status === "active" ? "expired" : t.status}: only an active template maps service accounts.`);
  const field = (name: string, message: string) => new DomainError("invalid", "Invalid input", { [name]: [message] });
  const [cluster] = templateClusters(t.clusters, await watchedClusters(deps.prisma, deps.targets)).filter((c) => c.name === input.cluster);
  if (!cluster) throw field("cluster", `"${input.cluster}" is not a watched cluster of template "${t.name}" (${t.clusters.join(", ")})`);
  if (!compileWildcard(t.serviceAccountPattern).test(input.serviceAccount)) throw field("serviceAccount", `"${input.serviceAccount}" does not match the template's pattern "${t.serviceAccountPattern}"`);
  const sas = await deps.kube.listServiceAccounts(cluster.name, cluster.arn ?? undefined);
  if (!sas.some((sa) => sa.namespace === t.namespace && sa.name === input.serviceAccount)) throw field("serviceAccount", `there is no service account ${t.namespace}/${input.serviceAccount} on ${cluster.name}`);
  // Mapped once per template name: say so first, since the association it made now also exists (apply updates the cache).
  const earlier = await deps.prisma.requestItem.findFirst({ where: { kind: "create", template: { name: t.name }, accountId: cluster.accountId, region: cluster.region, cluster: cluster.name, namespace: t.namespace, serviceAccount: input.serviceAccount } });
  if (earlier) throw new DomainError("conflict", `${t.namespace}/${input.serviceAccount} on ${cluster.name} was already mapped under "${t.name}" (request ${earlier.requestId}).`);
  const existing = await deps.prisma.podIdentityAssociation.findFirst({ where: { clusterId: cluster.id, namespace: t.namespace, serviceAccount: input.serviceAccount } });
  if (existing) throw new DomainError("conflict", `${t.namespace}/${input.serviceAccount} on ${cluster.name} already has an association (${existing.associationId} -> ${existing.roleArn}); a template only maps service accounts without one.`);
  const out: MappingOutcome = await fileTemplateMapping(deps, t, cluster, input.serviceAccount, actor, input.justification ?? `${actor.login} asked for it.`);
  if ("skipped" in out) throw new DomainError("conflict", out.message);
  return { id: out.requestId, status: "approved" };
}
