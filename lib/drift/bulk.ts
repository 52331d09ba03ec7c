// Bulk adopt / revoke from /drift: the keys the client selected are resolved
// against the drift computed now from the association cache; any unknown key
// (or one whose finding does not offer the action) refuses the whole call with
// 400 and files nothing. Adopt files one request of adopt items; revoke one
// batch request of delete items.
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { createRequest, type Actor, type RequestsDeps } from "@/lib/requests";
import { createAdoptRequest } from "./adopt";
import { computeDrift, type DriftFinding } from "./compute";
import { ACTIONS_FOR } from "./resolve";

export const bulkDriftSchema = z.object({
  action: z.enum(["adopt", "revoke"], "action must be adopt or revoke"),
  keys: z.array(z.string().min(3).max(600)).min(1, "select at least one association").max(100, "at most 100 associations per request"),
  justification: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().min(10, "explain why in at least 10 characters").max(2000).optional()),
});
export type BulkDriftInput = z.infer<typeof bulkDriftSchema>;

export async function bulkResolveDrift(deps: RequestsDeps, actor: Actor, input: BulkDriftInput): Promise<{ id: string; status: string; action: string; items: number }> {
  const report = await computeDrift(deps.prisma, deps.kinds);
  const byKey = new Map(report.findings.map((f) => [f.key, f]));
  const keys = [...new Set(input.keys)];
  const unknown = keys.filter((k) => !byKey.has(k));
  if (unknown.length) throw new DomainError("invalid", "Invalid input", { keys: [`no current drift for ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}: refresh the mappings and reload`] });
  const chosen = keys.map((k) => byKey.get(k)!);
  const wrong = chosen.filter((f) => !ACTIONS_FOR[f.kind].includes(input.action) || (input.action === "revoke" && f.actual?.ownerArn));
  if (wrong.length) throw new DomainError("invalid", "Invalid input", { keys: [`"${input.action}" does not apply to ${wrong.slice(0, 5).map((f) => `${f.key} (${f.actual?.ownerArn ? `owned by ${f.actual.ownerArn}` : f.kind})`).join(", ")}`] });
  if (input.action === "adopt") {
    const why = (summary: string) => `[drift:adopt] ${input.justification ?? `Adopt associations created outside RoleGate: record them as managed.`} ${summary}`;
    const r = await createAdoptRequest(deps, actor, chosen, why);
    return { ...r, action: "adopt" };
  }
  const items = chosen.map((f: DriftFinding) => ({ kind: "delete" as const, cluster: f.cluster, accountId: f.accountId, region: f.region, namespace: f.namespace, serviceAccount: f.serviceAccount, associationId: f.actual!.associationId, disableSessionTags: false, tags: {} }));
  const justification = `[drift:revoke] ${input.justification ?? `Revoke ${items.length} association(s) that RoleGate did not approve as they are.`}`;
  const r = await createRequest(deps, actor, { kind: "batch", justification, includeIamFixes: false, restartPods: true, items });
  return { id: r.id, status: r.status, action: "revoke", items: items.length };
}
