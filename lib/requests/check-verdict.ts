// The verdict of a request's prechecks as a reviewer reads it, shared by the
// server (approve: which failures need an override) and the request page (the
// verdict strip): which checks block an apply, which failures the request's own
// IAM item fixes, and what each failure means for the workload, in words.
// Plain data only: the page's client bundle imports it.

/** Checks whose failure at apply time stops the item before any AWS write. */
export const BLOCKING_AT_APPLY = new Set([
  "cluster-pod-identity-agent",
  "pod-identity-placement",
  "role-exists",
  "trust-allows-pod-identity",
  "session-policy",
  "target-role-trusts-source",
  "kube-delete-pods",
]);

type Check = { id: string; item: number; status: string; message: string; fix?: { kind: string; json: unknown } };
type Item = { position?: number; kind: string; roleArn: string | null };

/** What a failing check means for the workload, and its title: written for people, not check ids. */
export const CHECK_WORDS: Record<string, { title: string; consequence: string }> = {
  "cluster-pod-identity-agent": { title: "Pod Identity agent", consequence: "pods would get no credentials (no Pod Identity agent serves them)" },
  "pod-identity-placement": { title: "Where the pods run", consequence: "pods run where Pod Identity cannot work" },
  "role-exists": { title: "Role exists", consequence: "the role does not exist" },
  "trust-allows-pod-identity": { title: "Trust allows Pod Identity", consequence: "pods would get no credentials" },
  "service-account-association": { title: "One association per service account", consequence: "the service account already has an association" },
  "session-policy": { title: "Session policy", consequence: "the session policy would be refused" },
  "target-role-trusts-source": { title: "Target role trusts the source", consequence: "the chained role would refuse the session" },
  "node-role-allows-role": { title: "Node role covers the role", consequence: "the nodes may not fetch this role's credentials" },
  "kube-delete-pods": { title: "Pods can be restarted", consequence: "RoleGate cannot restart the pods" },
};

export function checkWords(id: string) {
  return CHECK_WORDS[id] ?? { title: id, consequence: "a check fails" };
}

/**
 * A failing check that the request's own IAM item fixes (apply writes IAM first): the trust check by an
 * iam-trust-update of the item's role, the node-role check by an iam-node-role-policy of the node role its fix names.
 */
export function fixedByOwnItem(check: Pick<Check, "id" | "item" | "fix">, items: Item[]): boolean {
  if (check.id === "node-role-allows-role") {
    const nodeRoleArn = (check.fix?.json as { nodeRoleArn?: unknown } | undefined)?.nodeRoleArn;
    return typeof nodeRoleArn === "string" && items.some((i) => i.kind === "iam-node-role-policy" && i.roleArn === nodeRoleArn);
  }
  if (check.id !== "trust-allows-pod-identity") return false;
  const about = items.find((i, k) => (i.position ?? k) === check.item);
  return !!about?.roleArn && items.some((i) => i.kind === "iam-trust-update" && i.roleArn === about.roleArn);
}

/** Failures the request does not fix itself (blocking or not): approving past any of them is an override. */
export function unresolvedFailures<C extends Check>(items: Item[], checks: C[]): C[] {
  return checks.filter((c) => c.status === "fail" && !fixedByOwnItem(c, items));
}

const RANK: Record<string, number> = { fail: 0, warn: 1, pass: 2 };
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export interface Verdict<C extends Check = Check> {
  /** Failing checks first (then warnings, then passes); fixed failures after the open ones. */
  checks: (C & { fixedByRequest: boolean })[];
  failing: C[];
  passing: number;
  warnings: number;
  fixed: number;
  /** "3 checks pass, 1 fails: pods would get no credentials" */
  headline: string;
  /** Approve is plain only when nothing fails that the request does not fix itself. */
  allPass: boolean;
}

export function verdictOf<C extends Check>(checks: C[], items: Item[]): Verdict<C> {
  const marked = checks.map((c) => ({ ...c, fixedByRequest: c.status === "fail" && fixedByOwnItem(c, items) }));
  const order = (c: (typeof marked)[number]) => (c.fixedByRequest ? 0.5 : RANK[c.status] ?? 1);
  const sorted = marked.map((c, k) => ({ c, k })).sort((a, b) => order(a.c) - order(b.c) || a.k - b.k).map(({ c }) => c);
  const failing = unresolvedFailures(items, checks);
  const passing = checks.filter((c) => c.status === "pass").length;
  const warnings = checks.filter((c) => c.status === "warn").length;
  const fixed = marked.filter((c) => c.fixedByRequest).length;
  const parts = [plural(passing, "check passes", "checks pass")];
  if (warnings) parts.push(plural(warnings, "warns", "warn"));
  if (fixed) parts.push(`${fixed} fixed by this request`);
  if (failing.length) parts.push(plural(failing.length, "fails", "fail"));
  const headline = !checks.length
    ? "No prechecks have run yet"
    : failing.length
      ? `${parts.join(", ")}: ${checkWords(failing[0]!.id).consequence}`
      : !warnings && !fixed ? `All ${plural(checks.length, "check passes", "checks pass")}` : parts.join(", ");
  return { checks: sorted, failing, passing, warnings, fixed, headline, allPass: failing.length === 0 };
}
