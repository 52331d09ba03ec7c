// The request form and API: resolve where each cluster lives, run the prechecks,
// add the IAM changes their fixes describe (includeIamFixes) and the revoked SAs'
// pod restarts, then file it all through fileRequest (file-request.ts).
import { targetRoleLocation } from "./refresh-prechecks";
import { DomainError } from "@/lib/core/errors";
import type { NodeRolePolicies } from "@/lib/aws/requests-gateway";
import { now, type Actor, type RequestsDeps, type Tx } from "./deps";
import { fileRequest, type FiledItem } from "./file-request";
import { roleItemsOf, type CreateRequestInput, type ItemInput, type PrecheckInput } from "./input";
import { withBornRoles } from "./create-role/born-roles";
import { planRoles } from "./create-role/plan";
import { storedFields } from "./item-fields";
import { iamItemWithBase, type IamItemKind } from "./iam-items";
import { requirementsOf, totalApprovals, type PolicyItem } from "./policies";
import { runPrechecks, type PrecheckResult } from "./prechecks";
import { resolveLocation } from "./location";
import { addRevocationRestartItems, planRevocationRestarts } from "./revoke-restart";
import { resolveSubject, type Subject } from "./subject";
import { requireTarget } from "./targets";

/** mappingExpiresAt: in the future and at most a year ahead. */
export const MAX_MAPPING_LIFETIME_MS = 366 * 24 * 3600_000;

function checkExpiry(at: Date, expires: Date | undefined, field: string): void {
  if (!expires) return;
  if (expires.getTime() <= at.getTime()) throw new DomainError("invalid", "Invalid input", { [field]: [`must be in the future (it is ${expires.toISOString()})`] });
  if (expires.getTime() > at.getTime() + MAX_MAPPING_LIFETIME_MS) throw new DomainError("invalid", "Invalid input", { [field]: ["must be within a year from now"] });
}

/**
 * The half of checking a request's items that needs no AWS call: each mapping expiry,
 * where each cluster lives and whether it is a configured target. A refusal here costs
 * nothing (the precheck rate limit counts only calls that get past it).
 */
export async function locateItems(deps: RequestsDeps, input: PrecheckInput) {
  const located = await locateAssociationItems(deps, input);
  // The create-role items' own refusals (no create item, the mandatory boundary, a name twice) need no AWS call either.
  planRoles(roleItemsOf(input), located, deps.requiredPermissionsBoundary);
  return located;
}

function locateAssociationItems(deps: RequestsDeps, input: PrecheckInput) {
  const at = now(deps);
  const all = input.kind === "batch" && "items" in input ? input.items : [input as ItemInput];
  const association = all.flatMap((item, i) => (item.kind === "create-role" ? [] : [{ item: item as ItemInput, i }]));
  return Promise.all(
    association.map(async ({ item, i }) => {
      const prefix = input.kind === "batch" ? `items.${i}.` : "";
      checkExpiry(at, item.mappingExpiresAt, `${prefix}mappingExpiresAt`);
      const location = await resolveLocation(deps.prisma, deps.targets, item, `${prefix}cluster`);
      requireTarget(deps.targets, { ...location, cluster: item.cluster }, `${prefix}cluster`);
      return { item, location, prefix };
    }),
  );
}

/**
 * Each item located (locateItems) and, for update/delete, given its real subject from
 * AWS (lib/requests/subject.ts) before the prechecks run.
 */
export async function checkItems(deps: RequestsDeps, input: PrecheckInput, locatedItems?: Awaited<ReturnType<typeof locateItems>>) {
  const located = await Promise.all(
    (locatedItems ?? (await locateItems(deps, input))).map(async ({ item, location, prefix }) => {
      const subject = await resolveSubject(deps.aws, location, item, `${prefix}associationId`);
      if (subject && item.kind === "delete" && item.roleArn && item.roleArn !== subject.roleArn) {
        throw new DomainError("invalid", "Invalid input", { [`${prefix}roleArn`]: [`association ${subject.associationId} maps ${subject.roleArn}, not the stated ${item.roleArn}`] });
      }
      const resolved = {
        ...item,
        accountId: location.accountId,
        region: location.region,
        ...(subject ? { associationId: subject.associationId, namespace: subject.namespace, serviceAccount: subject.serviceAccount } : {}),
        // A delete removes the role the association maps now, whatever the requester typed.
        ...(subject && item.kind === "delete" ? { roleArn: subject.roleArn } : {}),
      };
      return { item: resolved, location, subject };
    }),
  );
  // Roles created by the same request count as existing, with the trust they will be born with.
  const roles = planRoles(roleItemsOf(input), located, deps.requiredPermissionsBoundary);
  const checked = await runPrechecks(withBornRoles(deps.aws, roles.born), located.map(({ item, location }) => ({ item, location, targetLocation: targetRoleLocation(deps.targets, item) })), undefined, deps.kube);
  return { located, checked, roles, prechecks: checked.flatMap((c) => c.results) };
}

/** What each item is matched against the approval policies as (where it lives, and its role) and, for an update, also as the role it replaces. */
export function policySubjects(located: { item: PolicyItem & { kind: string }; subject: Subject | null }[]): PolicyItem[] {
  return located.flatMap(({ item, subject }) => [item, ...(item.kind === "update" && subject ? [{ ...item, roleArn: subject.roleArn, targetRoleArn: null }] : [])]);
}

/** One IAM item per distinct change the failing prechecks' fixes describe. */
function iamItemsFor(prechecks: PrecheckResult[], items: { roleArn?: string | null }[], trusts: (string | null)[], nodeRoles: (NodeRolePolicies[] | undefined)[]) {
  const out: { kind: IamItemKind; roleArn: string; policyName: string | null; document: string; forItem: number; baseHash: string | null }[] = [];
  for (const p of prechecks) {
    if (p.status !== "fail") continue;
    const iam = iamItemWithBase(p.fix, { roleArn: items[p.item]?.roleArn, trustPolicy: trusts[p.item] ?? null, nodeRoles: nodeRoles[p.item] });
    if (iam && !out.some((o) => o.kind === iam.kind && o.roleArn === iam.roleArn && o.policyName === iam.policyName)) out.push({ ...iam, forItem: p.item });
  }
  return out;
}

/** `extra` adds items of other modules (e.g. a migration's restart-pods item) after the association items, in the same request. */
export type ExtraItems = (located: { cluster: string; accountId: string; region: string }[]) => FiledItem[];

/**
 * `inTransaction` runs in the filing's transaction once the request and its items are
 * written, and throws to file nothing (e.g. an access review item's compare-and-swap
 * and audit row, which point at the request: decision and request commit together).
 */
export async function createRequest(deps: RequestsDeps, actor: Actor, input: CreateRequestInput, extra?: ExtraItems, inTransaction?: (tx: Tx, requestId: string) => Promise<void>): Promise<{ id: string; status: string; prechecks: PrecheckResult[] }> {
  const { located, checked, roles, prechecks: raw } = await checkItems(deps, input);
  const iamItems = input.includeIamFixes
    ? iamItemsFor(raw, located.map((l) => l.item), checked.map((c) => c.facts.role?.trustPolicy ?? null), checked.map((c) => c.facts.nodeRoles))
    : [];
  // Roles to create, then IAM items come first (positions 0..k-1); precheck results point at item positions.
  const offset = roles.items.length + iamItems.length;
  const prechecks = raw.map((p) => ({ ...p, item: p.item + offset }));
  // Revocation: the deleted associations' pods running now, restarted after the delete (input restartPods, default true).
  const restarts = input.restartPods === false ? null : await planRevocationRestarts(deps.kinds, located.filter((l) => l.item.kind === "delete").map((l) => l.item));
  const first = located[0]!.item;
  const filed = await fileRequest(deps, {
    kind: input.kind,
    requester: actor,
    justification: input.justification,
    prechecks,
    // Every association item matched on its own, the request needs the union (policies.ts); IAM items add the IAM team (item-kinds.ts).
    policyFor: policySubjects(located),
    items: [
      ...roles.items,
      ...iamItems.map((iam) => {
        const about = located[iam.forItem]!.item;
        return {
          kind: iam.kind, cluster: about.cluster, accountId: about.accountId, region: about.region, namespace: about.namespace, serviceAccount: about.serviceAccount,
          roleArn: iam.roleArn, iamPolicyName: iam.policyName, iamPolicyDocument: iam.document, iamBaseHash: iam.baseHash,
        };
      }),
      ...located.map(({ item, subject }): FiledItem => ({
        ...storedFields(item),
        // update/delete: the association AWS described at filing (./subject.ts), never an unchecked client id.
        associationId: item.kind === "create" ? null : subject?.associationId ?? null,
        subjectRoleArn: subject?.roleArn ?? null,
      })),
      ...(extra?.(located.map((l) => l.item)) ?? []),
    ],
    async more(tx, id) {
      await inTransaction?.(tx, id);
      if (!restarts?.length) return;
      const after = (await tx.requestItem.aggregate({ where: { requestId: id }, _max: { position: true } }))._max.position ?? -1;
      const whereOf = (p: { cluster: string; namespace: string; serviceAccount: string }) =>
        located.find((l) => l.item.kind === "delete" && l.item.cluster === p.cluster && l.item.namespace === p.namespace && l.item.serviceAccount === p.serviceAccount)!.item;
      const restartPods = await addRevocationRestartItems(tx, id, after + 1, restarts, whereOf, actor.login, "its association is revoked by this request; re-created without the revoked credentials");
      return { restartItems: restarts.length, restartPods };
    },
    audit: {
      item: { ...first, roleArn: first.roleArn ?? null },
      details: ({ policy, more }) => ({ kind: input.kind, items: located.length, ...(roles.items.length ? { createRoles: roles.items.map((r) => r.roleArn) } : {}), iamItems: iamItems.map((i) => `${i.kind} ${i.roleArn}`), requiredApprovals: totalApprovals(requirementsOf(policy)), requirements: requirementsOf(policy), ...more, failedPrechecks: prechecks.filter((p) => p.status === "fail").map((p) => p.id) }),
    },
    notification: `${actor.login} requested ${input.kind} ${first.namespace}/${first.serviceAccount} on ${first.cluster}${first.roleArn ? ` -> ${first.roleArn}` : ""}`,
  });
  return { id: filed.id, status: "pending", prechecks };
}
