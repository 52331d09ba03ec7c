// The drift page's actions, each filing an ordinary, approval-gated request:
// adopt (record as managed, no AWS write), revoke (delete), re-apply (create
// with the approved parameters), restore (update back to the approved role).
// The finding is looked up again on the server from its key: nothing about the
// association is taken from the client.
import "server-only";
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { createRequest, type Actor, type RequestsDeps } from "@/lib/requests";
import { createAdoptRequest } from "./adopt";
import { computeDrift, type DriftFinding, type DriftKind } from "./compute";

const DRIFT_ACTIONS = ["adopt", "revoke", "reapply", "restore"] as const;
type DriftAction = (typeof DRIFT_ACTIONS)[number];

/** Which actions each kind of finding offers. */
export const ACTIONS_FOR: Record<DriftKind, DriftAction[]> = {
  "out-of-band": ["adopt", "revoke"],
  missing: ["reapply"],
  changed: ["restore", "adopt", "revoke"],
};

/** The actions one finding offers: an association an add-on owns (ownerArn) may only be adopted, never changed here. */
export function actionsOf(f: Pick<DriftFinding, "kind" | "actual">): DriftAction[] {
  return f.actual?.ownerArn ? ["adopt"] : ACTIONS_FOR[f.kind];
}

export const resolveDriftSchema = z.object({
  action: z.enum(DRIFT_ACTIONS),
  key: z.string().min(3).max(600),
  justification: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().min(10, "explain why in at least 10 characters").max(2000).optional()),
});
type ResolveDriftInput = z.infer<typeof resolveDriftSchema>;

const DEFAULT_WHY: Record<DriftAction, (f: DriftFinding) => string> = {
  adopt: (f) => `Adopt association ${f.actual?.associationId} created outside RoleGate: record it as managed.`,
  revoke: (f) => `Revoke association ${f.actual?.associationId} that RoleGate did not approve as it is.`,
  reapply: (f) => `Re-apply the association approved by request ${f.approved?.requestId}: it is missing in AWS.`,
  restore: (f) => `Restore the association approved by request ${f.approved?.requestId}: changed outside RoleGate (${f.differences.join("; ")}).`,
};

export async function resolveDrift(deps: RequestsDeps, actor: Actor, input: ResolveDriftInput): Promise<{ id: string; status: string; action: DriftAction }> {
  const report = await computeDrift(deps.prisma, deps.kinds);
  const f = report.findings.find((x) => x.key === input.key);
  if (!f) throw new DomainError("not_found", `No drift for ${input.key} any more: refresh the mappings and reload the page.`);
  if (!ACTIONS_FOR[f.kind].includes(input.action)) {
    throw new DomainError("invalid", `"${input.action}" does not apply to a ${f.kind} finding; choose one of ${ACTIONS_FOR[f.kind].join(", ")}.`);
  }
  if (f.actual?.ownerArn && input.action !== "adopt") {
    throw new DomainError("invalid", `Association ${f.actual.associationId} is owned by ${f.actual.ownerArn}; change it through that add-on.`);
  }
  const justification = `[drift:${input.action}] ${input.justification ?? DEFAULT_WHY[input.action](f)}`;
  const where = { cluster: f.cluster, accountId: f.accountId, region: f.region, namespace: f.namespace, serviceAccount: f.serviceAccount };
  if (input.action === "adopt") return { ...(await createAdoptRequest(deps, actor, [f], justification)), action: "adopt" };
  if (input.action === "revoke") {
    const r = await createRequest(deps, actor, { kind: "delete", ...where, associationId: f.actual!.associationId, disableSessionTags: false, tags: {}, justification });
    return { id: r.id, status: r.status, action: "revoke" };
  }
  const a = f.approved!;
  const params = {
    ...where,
    roleArn: a.roleArn,
    ...(a.targetRoleArn ? { targetRoleArn: a.targetRoleArn } : {}),
    disableSessionTags: a.disableSessionTags,
    ...(a.sessionPolicy ? { sessionPolicy: a.sessionPolicy } : {}),
    tags: {},
    justification,
  };
  if (input.action === "reapply") {
    const r = await createRequest(deps, actor, { kind: "create", ...params });
    return { id: r.id, status: r.status, action: "reapply" };
  }
  const r = await createRequest(deps, actor, { kind: "update", ...params, associationId: f.actual!.associationId });
  return { id: r.id, status: r.status, action: "restore" };
}
