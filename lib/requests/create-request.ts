// The request form and API: resolve where each cluster lives, run the prechecks,
// add the IAM changes their fixes describe (includeIamFixes) and the revoked SAs'
// pod restarts, then file it all through fileRequest (file-request.ts).
import type { Actor, RequestsDeps } from "./deps";
import { fileRequest, type FiledItem } from "./file-request";
import { itemsOf, type CreateRequestInput } from "./input";
import { iamItemFromFix, type IamItemKind } from "./iam-items";
import { runPrechecks, type PrecheckResult } from "./prechecks";
import { resolveLocation } from "./location";
import { addRevocationRestartItems, planRevocationRestarts } from "./revoke-restart";
import { trustHash } from "./trust-guard";

export async function checkItems(deps: RequestsDeps, input: CreateRequestInput) {
  const items = itemsOf(input);
  const located = await Promise.all(
    items.map(async (item, i) => {
      const location = await resolveLocation(deps.prisma, deps.targets, item, input.kind === "batch" ? `items.${i}.cluster` : "cluster");
      return { item: { ...item, accountId: location.accountId, region: location.region }, location };
    }),
  );
  const checked = await runPrechecks(deps.aws, located);
  return { located, checked, prechecks: checked.flatMap((c) => c.results) };
}

/** One IAM item per distinct change the failing prechecks' fixes describe. */
function iamItemsFor(prechecks: PrecheckResult[], items: { roleArn?: string | null }[], trusts: (string | null)[]) {
  const out: { kind: IamItemKind; roleArn: string; policyName: string | null; document: string; forItem: number; baseHash: string | null }[] = [];
  for (const p of prechecks) {
    if (p.status !== "fail") continue;
    const iam = iamItemFromFix(p.fix, { roleArn: items[p.item]?.roleArn });
    // A trust update is computed from the role's trust the prechecks read: its hash guards the apply against a lost update.
    const base = iam?.kind === "iam-trust-update" ? trusts[p.item] : null;
    if (iam && !out.some((o) => o.kind === iam.kind && o.roleArn === iam.roleArn && o.policyName === iam.policyName)) out.push({ ...iam, forItem: p.item, baseHash: base ? trustHash(base) : null });
  }
  return out;
}

/** `extra` adds items of other modules (e.g. a migration's restart-pods item) after the association items, in the same request. */
export type ExtraItems = (located: { cluster: string; accountId: string; region: string }[]) => FiledItem[];

export async function createRequest(deps: RequestsDeps, actor: Actor, input: CreateRequestInput, extra?: ExtraItems): Promise<{ id: string; status: string; prechecks: PrecheckResult[] }> {
  const { located, checked, prechecks: raw } = await checkItems(deps, input);
  const iamItems = input.includeIamFixes ? iamItemsFor(raw, located.map((l) => l.item), checked.map((c) => c.facts.role?.trustPolicy ?? null)) : [];
  // IAM items come first (positions 0..k-1); precheck results point at item positions.
  const offset = iamItems.length;
  const prechecks = raw.map((p) => ({ ...p, item: p.item + offset }));
  // Revocation: the deleted associations' pods running now, restarted after the delete (input restartPods, default true).
  const restarts = input.restartPods === false ? null : await planRevocationRestarts(deps.kinds, located.filter((l) => l.item.kind === "delete").map((l) => l.item));
  const first = located[0]!.item;
  const filed = await fileRequest(deps, {
    kind: input.kind,
    requester: actor,
    justification: input.justification,
    prechecks,
    // The policy is chosen for the association items; IAM items raise it to the IAM team (item-kinds.ts).
    policyFor: located.map((l) => l.item),
    items: [
      ...iamItems.map((iam) => {
        const about = located[iam.forItem]!.item;
        return {
          kind: iam.kind, cluster: about.cluster, accountId: about.accountId, region: about.region, namespace: about.namespace, serviceAccount: about.serviceAccount,
          roleArn: iam.roleArn, iamPolicyName: iam.policyName, iamPolicyDocument: iam.document, iamBaseHash: iam.baseHash,
        };
      }),
      ...located.map(({ item }, index): FiledItem => ({
        kind: item.kind,
        cluster: item.cluster,
        accountId: item.accountId,
        region: item.region,
        namespace: item.namespace,
        serviceAccount: item.serviceAccount,
        roleArn: item.roleArn ?? null,
        targetRoleArn: item.targetRoleArn ?? null,
        disableSessionTags: item.disableSessionTags,
        sessionPolicy: item.sessionPolicy ?? null,
        tags: item.tags,
        mappingExpiresAt: item.mappingExpiresAt ?? null,
        // update/delete target the association the prechecks found when none was named.
        associationId: item.associationId ?? (item.kind !== "create" ? checked[index]!.facts.association?.associationId : undefined) ?? null,
      })),
      ...(extra?.(located.map((l) => l.item)) ?? []),
    ],
    async more(tx, id) {
      if (!restarts?.length) return;
      const after = (await tx.requestItem.aggregate({ where: { requestId: id }, _max: { position: true } }))._max.position ?? -1;
      const whereOf = (p: { cluster: string; namespace: string; serviceAccount: string }) =>
        located.find((l) => l.item.kind === "delete" && l.item.cluster === p.cluster && l.item.namespace === p.namespace && l.item.serviceAccount === p.serviceAccount)!.item;
      const restartPods = await addRevocationRestartItems(tx, id, after + 1, restarts, whereOf, actor.login, "its association is revoked by this request; re-created without the revoked credentials");
      return { restartItems: restarts.length, restartPods };
    },
    audit: {
      item: { ...first, roleArn: first.roleArn ?? null },
      details: ({ policy, more }) => ({ kind: input.kind, items: located.length, iamItems: iamItems.map((i) => `${i.kind} ${i.roleArn}`), requiredApprovals: policy.requiredApprovals, ...more, failedPrechecks: prechecks.filter((p) => p.status === "fail").map((p) => p.id) }),
    },
    notification: `${actor.login} requested ${input.kind} ${first.namespace}/${first.serviceAccount} on ${first.cluster}${first.roleArn ? ` -> ${first.roleArn}` : ""}`,
  });
  return { id: filed.id, status: "pending", prechecks };
}
