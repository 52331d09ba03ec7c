// Add a failing precheck's suggested fix to a filed request as an IAM item
// (UpdateAssumeRolePolicy / PutRolePolicy): by its requester while it is open,
// or by a reviewer of it. The fix is computed again on the server from AWS as it
// is now (never taken from the client), the item is appended, the request's
// requirements are raised to the IAM team (item-kinds.ts), approvals given to
// the request without it are dismissed, all in one CAS transaction with its audit row.
import { randomUUID } from "node:crypto";
import { DomainError } from "@/lib/core/errors";
import type { Prisma } from "@/lib/db/generated/client";
import type { Role } from "@/lib/auth/permissions";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps, type Tx } from "./deps";
import { iamItemWithBase } from "./iam-items";
import { choiceFrom, requirementsOf, storedRequirements, totalApprovals } from "./policies";
import { runPrechecks } from "./prechecks";
import { locationOf, targetRoleLocation } from "./refresh-prechecks";
import { precheckItem } from "./item-fields";
import { withConflictRetry } from "./review-rules";
import { clientRequestToken } from "./tokens";
import { casTransition } from "./transition";

export interface AddFixInput {
  id: string;
  /** The precheck whose fix to add (e.g. trust-allows-pod-identity). */
  check: string;
  /** The position of the association item it failed on. */
  item: number;
}

const OPEN = ["pending", "changes_requested"] as const;

async function loadForAmend(tx: Tx, deps: RequestsDeps, actor: Actor, id: string) {
  const request = await tx.request.findUnique({ where: { id }, include: { items: { orderBy: { position: "asc" } } } });
  if (!request) throw new DomainError("not_found", `There is no request ${id}.`);
  const own = request.requesterId === actor.id;
  const reviewer = !own && (actor.role === "admin" || storedRequirements(request).some((r) => r.role === actor.role));
  if (!own && !reviewer) throw new DomainError("forbidden", "Only the requester or a reviewer of this request can add a fix to it.");
  // Changing someone else's request is a reviewer's act: people only, as reviews are (service tokens file and read).
  const source = own ? null : (await tx.user.findUnique({ where: { id: actor.id }, select: { source: true } }))?.source;
  if (source === "service" || source === "system") {
    throw new DomainError("forbidden", "Only people change someone else's request: service accounts may file and read, never amend another's request.");
  }
  if (!(OPEN as readonly string[]).includes(request.status)) throw new DomainError("conflict", `The request is ${request.status}: fixes can be added only while it is pending or sent back for changes.`);
  if (request.expiresAt <= now(deps)) throw new DomainError("conflict", "The request has expired; file it again.");
  return request;
}

export async function addFixItem(deps: RequestsDeps, actor: Actor, input: AddFixInput) {
  const before = await loadForAmend(deps.prisma, deps, actor, input.id);
  const about = before.items.find((i) => i.position === input.item);
  if (!about || !deps.kinds.runsAssociationPrechecks(about.kind)) {
    throw new DomainError("invalid", "Invalid input", { item: [`item ${input.item} is not an association item of this request`] });
  }
  // The check runs now: the fix and the hash that guards its apply come from the same reads.
  const [checked] = await runPrechecks(deps.aws, [{ item: precheckItem(about), location: locationOf(deps.targets, about), targetLocation: targetRoleLocation(deps.targets, about) }], undefined, deps.kube);
  const result = checked!.results.find((r) => r.id === input.check);
  if (!result || result.status !== "fail") {
    throw new DomainError("conflict", `The check ${input.check} does not fail on item ${input.item} now: there is no fix to add.`);
  }
  const iam = iamItemWithBase(result.fix, { roleArn: about.roleArn, trustPolicy: checked!.facts.role?.trustPolicy ?? null, nodeRoles: checked!.facts.nodeRoles });
  if (!iam) throw new DomainError("invalid", "Invalid input", { check: [`the fix of ${input.check} is not an IAM change RoleGate can apply`] });
  return withConflictRetry(() =>
    deps.prisma.$transaction(async (tx) => {
      const request = await loadForAmend(tx, deps, actor, input.id);
      if (request.items.some((i) => i.kind === iam.kind && i.roleArn === iam.roleArn && i.iamPolicyName === iam.policyName)) {
        throw new DomainError("conflict", `The request already carries a ${iam.kind} item for ${iam.roleArn}.`);
      }
      const requirements = requirementsOf(deps.kinds.raise(choiceFrom(storedRequirements(request)), [...request.items.map((i) => i.kind), iam.kind]));
      const position = Math.max(...request.items.map((i) => i.position)) + 1;
      const id = randomUUID();
      await tx.requestItem.create({
        data: {
          id, requestId: request.id, position, clientRequestToken: clientRequestToken(id), kind: iam.kind,
          cluster: about.cluster, accountId: about.accountId, region: about.region, namespace: about.namespace, serviceAccount: about.serviceAccount,
          roleArn: iam.roleArn, iamPolicyName: iam.policyName, iamPolicyDocument: iam.document, iamBaseHash: iam.baseHash,
        },
      });
      const dismissed = await tx.review.deleteMany({ where: { requestId: request.id, decision: "approve" } });
      await casTransition(tx, request, request.status, {
        approvalRequirements: requirements as unknown as Prisma.InputJsonValue,
        requiredApprovals: totalApprovals(requirements),
      });
      await auditRequest(tx, {
        actor: actor.login, event: "request.item_added", requestId: request.id, item: { ...about, roleArn: iam.roleArn },
        details: { kind: iam.kind, roleArn: iam.roleArn, policyName: iam.policyName, fromCheck: input.check, forItem: input.item, position, dismissedApprovals: dismissed.count, requirements: requirements.map((r) => ({ role: r.role as Role, count: r.count })) },
      });
      return { id: request.id, status: request.status, itemId: id, kind: iam.kind, position };
    }),
  );
}
