// Who reviews a mapping: exactly one person, by the first rule that yields
// someone allowed to review it:
//   1. owner-group - the namespace's owner group (ROLEGATE_REVIEW_OWNERS), least loaded first;
//   2. iam-team    - the approver-role users (the IAM team), least loaded first.
// Allowed means an enabled user who is neither the person the service account
// belongs to (Domino names user workloads' SAs dmuser-<login>) nor anyone who
// requested the mapping (any applied request on it, when RoleGate filed it):
// nobody recertifies their own access or their own request. The first
// rule, "the mapping's last requester reviews", is deliberately not used: it
// contradicts that second sentence. Ties break by login, so a campaign's
// assignment is reproducible.
import { DomainError } from "@/lib/core/errors";

export type ReviewerRule = "owner-group" | "iam-team";

export interface ReviewerContext {
  /** Owner groups per namespace. */
  owners: Map<string, string[]>;
  /** Enabled approver-role logins. */
  iamTeam: string[];
  /** Every enabled login (owner group members must exist). */
  users: Set<string>;
  /** Items assigned so far in this campaign, per login (load balancing). */
  load: Map<string, number>;
}

/** The person a service account belongs to: Domino names user workloads' SAs dmuser-<login>. */
export function saOwner(serviceAccount: string): string | null {
  const m = /^dmuser-(.+)$/.exec(serviceAccount);
  return m ? m[1]! : null;
}

function leastLoaded(candidates: string[], ctx: ReviewerContext): string | undefined {
  return [...candidates].sort((a, b) => (ctx.load.get(a) ?? 0) - (ctx.load.get(b) ?? 0) || a.localeCompare(b))[0];
}

/** Whether `login` may decide this mapping: not the SA's own person, not one of its requesters. */
export function mayReview(login: string, m: { serviceAccount: string }, requesters: string[]): boolean {
  return saOwner(m.serviceAccount) !== login && !requesters.includes(login);
}

export function chooseReviewer(m: { namespace: string; serviceAccount: string }, requesters: string[], ctx: ReviewerContext): { reviewer: string; rule: ReviewerRule } {
  const allowed = (login: string) => ctx.users.has(login) && mayReview(login, m, requesters);
  let pick: { reviewer: string; rule: ReviewerRule } | null = null;
  const owner = leastLoaded((ctx.owners.get(m.namespace) ?? []).filter(allowed), ctx);
  if (owner) pick = { reviewer: owner, rule: "owner-group" };
  if (!pick) {
    const who = leastLoaded(ctx.iamTeam.filter(allowed), ctx);
    if (who) pick = { reviewer: who, rule: "iam-team" };
  }
  if (!pick) {
    throw new DomainError("invalid", `No reviewer for ${m.namespace}/${m.serviceAccount} (its owner and requesters may not review it): add approver-role users (the IAM team) or an owner group in ROLEGATE_REVIEW_OWNERS.`);
  }
  ctx.load.set(pick.reviewer, (ctx.load.get(pick.reviewer) ?? 0) + 1);
  return pick;
}
