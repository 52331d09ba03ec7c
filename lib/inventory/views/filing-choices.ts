// What the new-request form offers to pick (pure): the watched clusters, their
// service accounts, and every role with what a requester needs to choose one —
// does its trust let Pod Identity in (with sts:TagSession), and on which
// clusters the node role would not let the agent fetch its credentials.
// Also checks the form's pre-fill (query parameters) against that inventory.
import { extractGrants, namespaceError, safeParseTrustPolicy } from "@/lib/trust";
import { allows, readGrant } from "../analysis/findings/node-role";
import type { InventorySnapshot } from "../snapshot-types";
import type { ServiceAccountRow } from "./service-accounts";

/**
 * allows: pods.eks.amazonaws.com may AssumeRole and TagSession for every SA; conditional: it may, under
 * conditions the prechecks evaluate for the chosen SA; no-tagsession: AssumeRole without sts:TagSession;
 * not-trusted: no Pod Identity statement; unreadable: the trust policy does not parse.
 */
export type TrustBadge = "allows" | "conditional" | "no-tagsession" | "not-trusted" | "unreadable";

export interface RoleChoice {
  arn: string;
  name: string;
  path: string;
  accountId: string;
  trust: TrustBadge;
  /** Clusters whose node role restricts eks-auth:AssumeRoleForPodIdentity and leaves this role out. */
  nodeRoleMissingOn: string[];
}

export interface FilingChoices {
  clusters: { name: string; accountId: string; region: string }[];
  serviceAccounts: { cluster: string; namespace: string; name: string; podIdentity: string }[];
  roles: RoleChoice[];
}

function trustBadge(trustPolicy: string): TrustBadge {
  const parsed = safeParseTrustPolicy(trustPolicy);
  if (!parsed.ok) return "unreadable";
  const pi = extractGrants(parsed.policy).podIdentity;
  if (!pi.trusted) return "not-trusted";
  if (!pi.tagSession) return "no-tagsession";
  return pi.unconditional ? "allows" : "conditional";
}

export function buildFilingChoices(snapshot: InventorySnapshot, serviceAccounts: readonly ServiceAccountRow[]): FilingChoices {
  const byArn = new Map(snapshot.roles.map((r) => [r.arn, r]));
  // Per cluster, the node roles the snapshot can read (an unread node role decides nothing here; the precheck reads it live).
  const nodeGrants = snapshot.clusters.map((c) => ({
    cluster: c.name,
    grants: [...new Set(c.nodegroups.map((n) => n.nodeRoleArn))].flatMap((arn) => {
      const role = byArn.get(arn);
      return role ? [readGrant(role)] : [];
    }),
  }));
  const roles = snapshot.roles
    .map((r) => ({
      arn: r.arn,
      name: r.roleName,
      path: r.path,
      accountId: r.accountId,
      trust: trustBadge(r.trustPolicy),
      nodeRoleMissingOn: nodeGrants.filter((n) => n.grants.some((g) => !allows(g, r.arn))).map((n) => n.cluster),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn));
  return {
    clusters: snapshot.clusters.map((c) => ({ name: c.name, accountId: c.accountId, region: c.region })).sort((a, b) => a.name.localeCompare(b.name)),
    serviceAccounts: serviceAccounts
      .map((s) => ({ cluster: s.cluster, namespace: s.namespace, name: s.name, podIdentity: s.placement.podIdentity }))
      .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
    roles,
  };
}

/** Roles whose trust already lets Pod Identity in come first. */
const TRUST_RANK: Record<TrustBadge, number> = { allows: 0, conditional: 1, "no-tagsession": 2, "not-trusted": 3, unreadable: 4 };
export const ROLE_SEARCH_DEFAULT = 20;
export const ROLE_SEARCH_MAX = 50;

/**
 * The role picker's server search: roles whose name, path, account or ARN contains every word of `q`
 * (case-insensitive), those whose trust lets Pod Identity in first, then by name; at most `limit`, with the total.
 */
export function searchRoleChoices(roles: readonly RoleChoice[], input: { q?: string | undefined; limit?: number | undefined }): { roles: RoleChoice[]; total: number } {
  const words = (input.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const hits = roles
    .filter((r) => {
      const text = `${r.name} ${r.path} ${r.accountId} ${r.arn}`.toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => TRUST_RANK[a.trust] - TRUST_RANK[b.trust] || a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn));
  return { roles: hits.slice(0, input.limit ?? ROLE_SEARCH_DEFAULT), total: hits.length };
}

/** What the form is rendered with: not every role (5,000+ at scale), only a first page of suggestions, the total and the pre-filled role. */
export interface FormChoices extends Omit<FilingChoices, "roles"> {
  roleSuggestions: RoleChoice[];
  roleTotal: number;
  prefilledRole?: RoleChoice;
}

export function formChoices(choices: FilingChoices, prefilledRoleArn?: string): FormChoices {
  const { roles, ...rest } = choices;
  const prefilledRole = prefilledRoleArn ? roles.find((r) => r.arn === prefilledRoleArn) : undefined;
  return { ...rest, roleSuggestions: searchRoleChoices(roles, {}).roles, roleTotal: roles.length, ...(prefilledRole ? { prefilledRole } : {}) };
}

const computed = new WeakMap<object, FilingChoices>();

/** The filing choices of one analysed scan, computed once per scan (the view object is the scan's). */
export function filingChoicesOf(view: { snapshot: InventorySnapshot; serviceAccounts: readonly ServiceAccountRow[] }): FilingChoices {
  const cached = computed.get(view);
  if (cached) return cached;
  const choices = buildFilingChoices(view.snapshot, view.serviceAccounts);
  computed.set(view, choices);
  return choices;
}

export interface Prefill {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
}

/**
 * The form's pre-fill from /requests/new?cluster=&namespace=&serviceAccount=&roleArn=: each value is kept only
 * when the inventory knows it (a namespace may be new if it is a valid name); the others are dropped with a note.
 */
export function checkPrefill(choices: FilingChoices, params: Record<string, string | string[] | undefined>): { prefill: Partial<Prefill>; notes: string[] } {
  const one = (k: keyof Prefill) => (typeof params[k] === "string" ? (params[k] as string).trim().slice(0, 2048) : "");
  const raw: Prefill = { cluster: one("cluster"), namespace: one("namespace"), serviceAccount: one("serviceAccount"), roleArn: one("roleArn") };
  const prefill: Partial<Prefill> = {};
  const notes: string[] = [];
  const ignore = (what: string, value: string, why: string) => notes.push(`Ignored ${what} "${value.slice(0, 120)}": ${why}.`);
  if (raw.cluster) {
    if (choices.clusters.some((c) => c.name === raw.cluster)) prefill.cluster = raw.cluster;
    else ignore("cluster", raw.cluster, "it is not a watched cluster");
  }
  if (raw.namespace) {
    const err = namespaceError(raw.namespace);
    if (err) ignore("namespace", raw.namespace, err);
    else if (!prefill.cluster) ignore("namespace", raw.namespace, "it needs a known cluster");
    else prefill.namespace = raw.namespace;
  }
  if (raw.serviceAccount) {
    const known = choices.serviceAccounts.some((s) => s.cluster === prefill.cluster && s.namespace === prefill.namespace && s.name === raw.serviceAccount);
    if (known) prefill.serviceAccount = raw.serviceAccount;
    else ignore("service account", raw.serviceAccount, `no such service account in ${prefill.cluster && prefill.namespace ? `${prefill.cluster}/${prefill.namespace}` : "a known cluster and namespace"}`);
  }
  if (raw.roleArn) {
    if (choices.roles.some((r) => r.arn === raw.roleArn)) prefill.roleArn = raw.roleArn;
    else ignore("role", raw.roleArn, "no role with this ARN in the watched accounts");
  }
  return { prefill, notes };
}
