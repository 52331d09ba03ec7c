// A template can never grant more than the approval policy of the person who
// approves it allowed: one active policy of the approver's role must cover every
// cluster entry, the namespace and the role (and target role) of the template,
// pattern within pattern, and, when the policy names an account or region, the
// account and region of every cluster the template names. Without any active
// policy for that role the built-in policy (everything, one approver) covers it.
import type { ApprovalPolicy, Cluster } from "@/lib/db/generated/client";
import { hasWildcard, matchWildcard } from "@/lib/trust";

/**
 * Is every name `inner` matches also matched by `outer`? (`*` any run, `?` one character.)
 * A sufficient test in O(|inner| x |outer|), never exponential: `outer`'s `*` may
 * absorb any run of `inner` (wildcards included), its `?` one character of `inner`
 * that is not a `*`, and its literals only the same literal. So "domino-*" covers
 * "domino-g*" and "domino-green", and "domino-green" never covers "domino-*".
 */
export function patternWithin(inner: string, outer: string): boolean {
  const n = inner.length;
  // row[j]: outer[0..i) covers inner[0..j)
  let row = new Array<boolean>(n + 1).fill(false);
  row[0] = true;
  for (const o of outer) {
    const next = new Array<boolean>(n + 1).fill(false);
    if (o === "*") {
      let seen = false;
      for (let j = 0; j <= n; j++) next[j] = seen = seen || row[j]!;
    } else {
      for (let j = 1; j <= n; j++) {
        const c = inner[j - 1]!;
        next[j] = row[j - 1]! && (o === "?" ? c !== "*" : c === o);
      }
    }
    row = next;
  }
  return row[n]!;
}

export interface TemplateScope {
  name: string;
  version: number;
  clusters: string[];
  namespace: string;
  roleArn: string;
  targetRoleArn: string | null;
}

/** The cluster names or globs a template's entries stand for (a pair "blue+green" is both names). */
export const clusterPatterns = (entries: string[]) => entries.flatMap((e) => e.split("+"));

/** A watched cluster the template's entries name, with where it lives. */
export type NamedCluster = Pick<Cluster, "name" | "accountId" | "region">;

type Scope = Pick<ApprovalPolicy, "accountPattern" | "regionPattern" | "clusterPattern" | "namespacePattern" | "rolePattern">;

/**
 * The account/region part: a template names clusters, not accounts, so a policy
 * limited to some accounts or regions covers it only when every entry is an exact
 * name and every cluster of that name lives inside them. A glob is a gap: it can
 * name a cluster of another account once that one is watched.
 */
function placeGaps(t: TemplateScope, p: Scope, named: NamedCluster[]): string[] {
  if (p.accountPattern === "*" && p.regionPattern === "*") return [];
  const within = `account "${p.accountPattern}" / region "${p.regionPattern}"`;
  const out: string[] = [];
  for (const c of clusterPatterns(t.clusters)) if (hasWildcard(c)) out.push(`cluster "${c}" is a glob, which may name clusters outside ${within}`);
  for (const c of named) if (!matchWildcard(p.accountPattern, c.accountId) || !matchWildcard(p.regionPattern, c.region)) out.push(`cluster "${c.name}" is in ${c.accountId}/${c.region}, not within ${within}`);
  return out;
}

/** What of the template the policy does not cover, as sentences; empty when it covers it all. */
function gaps(t: TemplateScope, p: Scope, named: NamedCluster[]): string[] {
  const out: string[] = placeGaps(t, p, named);
  for (const c of clusterPatterns(t.clusters)) if (!patternWithin(c, p.clusterPattern)) out.push(`cluster "${c}" is not within "${p.clusterPattern}"`);
  if (!patternWithin(t.namespace, p.namespacePattern)) out.push(`namespace "${t.namespace}" is not within "${p.namespacePattern}"`);
  for (const r of [t.roleArn, t.targetRoleArn]) if (r && !patternWithin(r, p.rolePattern)) out.push(`role "${r}" is not within "${p.rolePattern}"`);
  return out;
}

/** Why `role` may not approve the template under the active policies, or null when one of them covers it. `named`: the watched clusters its entries name. */
export function policyRefusal(t: TemplateScope, role: string, active: ApprovalPolicy[], named: NamedCluster[]): string | null {
  const own = active.filter((p) => p.approverRole === role);
  if (!own.length) return null;
  const checked = own.map((p) => ({ p, gaps: gaps(t, p, named) }));
  if (checked.some((c) => c.gaps.length === 0)) return null;
  const closest = checked.sort((a, b) => a.gaps.length - b.gaps.length)[0]!;
  return (
    `Template "${t.name}" v${t.version} grants more than any approval policy of the ${role} role allows, so it cannot be approved: ` +
    `under the closest, "${closest.p.name}" v${closest.p.version}, ${closest.gaps.join("; ")}. ` +
    `Narrow the template (a new version) or have an admin widen the policy.`
  );
}
