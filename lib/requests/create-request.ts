// Files a request: resolve where each cluster lives, run the prechecks, pin the
// approval policy, then write request + items + audit + notification in one transaction.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { itemsOf, type CreateRequestInput } from "./input";
import { queueNotification } from "./notify";
import { iamItemFromFix, type IamItemKind } from "./iam-items";
import { choosePolicy } from "./policies";
import { runPrechecks, type PrecheckResult } from "./prechecks";
import { resolveLocation } from "./location";
import { addRevocationRestartItems, planRevocationRestarts } from "./revoke-restart";
import { clientRequestToken } from "./tokens";
import { trustHash } from "./trust-guard";
import { pendingRequestRow } from "./pending-request-row";

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

/** `extra` adds items of other modules (e.g. a migration's restart-pods item) after the association items, in the same transaction. */
export type ExtraItems = (tx: Prisma.TransactionClient, requestId: string, nextPosition: number, located: { cluster: string; accountId: string; region: string }[]) => Promise<void>;

export async function createRequest(deps: RequestsDeps, actor: Actor, input: CreateRequestInput, extra?: ExtraItems): Promise<{ id: string; status: string; prechecks: PrecheckResult[] }> {
  const { located, checked, prechecks: raw } = await checkItems(deps, input);
  const iamItems = input.includeIamFixes ? iamItemsFor(raw, located.map((l) => l.item), checked.map((c) => c.facts.role?.trustPolicy ?? null)) : [];
  // IAM items come first (positions 0..k-1); precheck results point at item positions.
  const offset = iamItems.length;
  const prechecks = raw.map((p) => ({ ...p, item: p.item + offset }));
  const chosen = await choosePolicy(deps.prisma, located.map((l) => l.item));
  // IAM changes are the IAM team's to approve: never fewer than one approval from the approver role.
  const policy = iamItems.length ? { ...chosen, approverRole: "approver" as const, requiredApprovals: Math.max(1, chosen.requiredApprovals) } : chosen;
  // Revocation: the deleted associations' pods running now, restarted after the delete (input restartPods, default true).
  const restarts = input.restartPods === false ? null : await planRevocationRestarts(located.filter((l) => l.item.kind === "delete").map((l) => l.item));
  let restartPods = 0;
  const at = now(deps);
  const id = randomUUID();
  await deps.prisma.$transaction(async (tx) => {
    await tx.request.create({
      data: pendingRequestRow(deps, { id, kind: input.kind, requesterId: actor.id, justification: input.justification, policy, at, prechecks }),
    });
    for (const [position, iam] of iamItems.entries()) {
      const itemId = randomUUID();
      const about = located[iam.forItem]!.item;
      await tx.requestItem.create({
        data: {
          id: itemId, requestId: id, position, kind: iam.kind, cluster: about.cluster, accountId: about.accountId, region: about.region,
          namespace: about.namespace, serviceAccount: about.serviceAccount, roleArn: iam.roleArn, iamPolicyName: iam.policyName, iamPolicyDocument: iam.document, iamBaseHash: iam.baseHash,
          clientRequestToken: clientRequestToken(itemId),
        },
      });
    }
    for (const [index, { item }] of located.entries()) {
      const position = index + offset;
      const itemId = randomUUID();
      // update/delete target the association the prechecks found when none was named.
      const associationId = item.associationId ?? (item.kind !== "create" ? checked[index]!.facts.association?.associationId : undefined);
      await tx.requestItem.create({
        data: {
          id: itemId,
          requestId: id,
          position,
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
          associationId: associationId ?? null,
          clientRequestToken: clientRequestToken(itemId),
        },
      });
    }
    if (extra) await extra(tx, id, offset + located.length, located.map((l) => l.item));
    if (restarts?.length) {
      const after = (await tx.requestItem.aggregate({ where: { requestId: id }, _max: { position: true } }))._max.position ?? -1;
      const whereOf = (p: { cluster: string; namespace: string; serviceAccount: string }) =>
        located.find((l) => l.item.kind === "delete" && l.item.cluster === p.cluster && l.item.namespace === p.namespace && l.item.serviceAccount === p.serviceAccount)!.item;
      restartPods = await addRevocationRestartItems(tx, id, after + 1, restarts, whereOf, actor.login, "its association is revoked by this request; re-created without the revoked credentials");
    }
    const first = located[0]!.item;
    await auditRequest(tx, {
      actor: actor.login,
      event: "request.created",
      requestId: id,
      item: { ...first, roleArn: first.roleArn ?? null },
      toState: "pending",
      details: { kind: input.kind, items: located.length, iamItems: iamItems.map((i) => `${i.kind} ${i.roleArn}`), requiredApprovals: policy.requiredApprovals, ...(restarts?.length ? { restartItems: restarts.length, restartPods } : {}), failedPrechecks: prechecks.filter((p) => p.status === "fail").map((p) => p.id) },
    });
    await queueNotification(tx, "created", id, `${actor.login} requested ${input.kind} ${first.namespace}/${first.serviceAccount} on ${first.cluster}${first.roleArn ? ` -> ${first.roleArn}` : ""}`);
  });
  return { id, status: "pending", prechecks };
}
