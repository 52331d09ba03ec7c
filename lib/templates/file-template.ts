// Filing a template (or editing one: the same name files the next version)
// through the normal request flow: one request with one "template" item, which
// only the IAM team may approve (item-kind.ts). The new version is written in
// the filing transaction; until its request is approved and applied, the
// previous active version (if any) keeps matching.
import { DomainError } from "@/lib/core/errors";
import { fileRequest, MAX_MAPPING_LIFETIME_MS, type Actor } from "@/lib/requests";
import { templateClusters, watchedClusters } from "./clusters";
import { clusterPatterns } from "./covers";
import { nowOf, type TemplateDeps } from "./deps";
import type { TemplateInput } from "./input";
import { TEMPLATE_ITEM_KIND } from "./item-kind";

const invalid = (field: string, message: string) => new DomainError("invalid", "Invalid input", { [field]: [message] });

export async function fileTemplate(deps: TemplateDeps, actor: Actor, input: TemplateInput): Promise<{ id: string; status: "pending"; templateId: string; version: number }> {
  const at = nowOf(deps);
  if (input.expiresAt && input.expiresAt <= at) throw invalid("expiresAt", `must be in the future (it is ${input.expiresAt.toISOString()})`);
  if (input.expiresAt && input.expiresAt.getTime() > at.getTime() + MAX_MAPPING_LIFETIME_MS) throw invalid("expiresAt", "must be within a year from now");
  const watched = await watchedClusters(deps.prisma, deps.targets);
  for (const [i, entry] of input.clusters.entries()) {
    if (!templateClusters([entry], watched).length) throw invalid(`clusters.${i}`, `"${entry}" names no watched cluster (watched: ${watched.map((c) => c.name).join(", ") || "none yet: refresh the mappings"})`);
    const pair = entry.split("+");
    if (pair.length === 2) {
      const [a, b] = pair.map((n) => watched.find((c) => c.name === n));
      if (!a || !b) throw invalid(`clusters.${i}`, `both clusters of the pair "${entry}" must be watched`);
      if (a.accountId !== b.accountId || a.region !== b.region) throw invalid(`clusters.${i}`, `a Blue/Green pair lives in one account and region; "${entry}" spans two`);
    }
  }
  const home = templateClusters(input.clusters, watched)[0]!;
  const previous = await deps.prisma.associationTemplate.findFirst({ where: { name: input.name }, orderBy: { version: "desc" } });
  if (previous?.status === "revoked") throw new DomainError("conflict", `Template "${input.name}" was revoked; file a template under a new name.`);
  const open = await deps.prisma.associationTemplate.findFirst({ where: { name: input.name, status: "pending", request: { status: { in: ["pending", "approved", "applying"] } } } });
  if (open) throw new DomainError("conflict", `Template "${input.name}" v${open.version} is awaiting approval (request ${open.requestId}): cancel it before filing another version.`);
  const version = (previous?.version ?? 0) + 1;
  const justification = input.justification ?? `Standing approval "${input.name}" v${version}: ${input.namespace}/${input.serviceAccountPattern} on ${input.clusters.join(", ")} -> ${input.roleArn}`;
  let templateId = "";
  const filed = await fileRequest(deps, {
    kind: "create",
    requester: actor,
    justification,
    // Matched as each cluster entry (in the account and region of every watched cluster it names) x the namespace
    // x the role (and target role); the kind adds the IAM team.
    policyFor: clusterPatterns(input.clusters).flatMap((cluster) =>
      templateClusters([cluster], watched).map((c) => ({ accountId: c.accountId, region: c.region, cluster, namespace: input.namespace, roleArn: input.roleArn, targetRoleArn: input.targetRoleArn ?? null })),
    ),
    items: [
      {
        kind: TEMPLATE_ITEM_KIND, cluster: home.name, accountId: home.accountId, region: home.region, namespace: input.namespace,
        // The pattern stands where a mapping names its service account (shown on the request page).
        serviceAccount: input.serviceAccountPattern, roleArn: input.roleArn, targetRoleArn: input.targetRoleArn ?? null,
        disableSessionTags: input.disableSessionTags, sessionPolicy: input.sessionPolicy ?? null,
        // The version is written with its item, in the filing transaction.
        async with(tx, itemId) {
          const requestId = (await tx.requestItem.findUniqueOrThrow({ where: { id: itemId }, select: { requestId: true } })).requestId;
          const row = await tx.associationTemplate.create({
            data: {
              name: input.name, version, clusters: input.clusters, namespace: input.namespace, serviceAccountPattern: input.serviceAccountPattern,
              roleArn: input.roleArn, targetRoleArn: input.targetRoleArn ?? null, disableSessionTags: input.disableSessionTags, sessionPolicy: input.sessionPolicy ?? null,
              mappingTtlDays: input.mappingTtlDays ?? null, maxMappings: input.maxMappings ?? null, expiresAt: input.expiresAt ?? null, requestId, createdBy: actor.login, createdAt: at,
            },
          });
          templateId = row.id;
          await tx.requestItem.update({ where: { id: itemId }, data: { templateId } });
        },
      },
    ],
    audit: {
      details: ({ policy }) => ({
        kind: TEMPLATE_ITEM_KIND, template: input.name, templateVersion: version, clusters: input.clusters, serviceAccountPattern: input.serviceAccountPattern,
        mappingTtlDays: input.mappingTtlDays ?? null, maxMappings: input.maxMappings ?? null, expiresAt: input.expiresAt?.toISOString() ?? null, requirements: policy.requirements ?? null,
      }),
    },
    notification: `${actor.login} asks for a standing approval "${input.name}" v${version}: ${input.namespace}/${input.serviceAccountPattern} on ${input.clusters.join(", ")} -> ${input.roleArn}`,
  });
  return { id: filed.id, status: "pending", templateId, version };
}
