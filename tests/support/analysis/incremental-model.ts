// Random inventory models and deltas for the incremental-analysis tests: a few
// clusters in two accounts (one retired issuer, one cluster without issuer),
// roles with IRSA (StringEquals / StringLike / no :sub / Deny / inexact),
// Pod Identity and cross-account chain trusts, node roles, annotated SAs,
// associations with cross-account targets, pods and OIDC providers.
import fc from "fast-check";
import type { AnalysisDelta, SnapshotServiceAccount } from "@/lib/inventory/analysis/incremental";
import type { InventorySnapshot, SnapshotAssociation, SnapshotCluster, SnapshotOidcProvider, SnapshotRole } from "@/lib/inventory/snapshot-types";

export const ACCOUNTS = ["111122223333", "444455556666"] as const;
const HOSTS = ["oidc.eks.us-east-1.amazonaws.com/id/AAAA1111", "oidc.eks.us-east-1.amazonaws.com/id/BBBB2222", "oidc.eks.us-east-1.amazonaws.com/id/CCCC3333", "oidc.eks.us-east-1.amazonaws.com/id/DEAD0000"];
const NAMESPACES = ["ns", "team-a", "ns", "team-a", "kube-system"];
const NAMES = ["app", "app1", "svc-1", "worker"];
const ROLE_NAMES = ["r0", "r1", "r2", "r3", "node"];
const CLUSTERS = ["c0", "c1", "c2"];

export const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
/** Each cluster name lives in one account (c1 in the second), so association ids stay unique. */
const clusterAccount = (name: string) => ACCOUNTS[CLUSTERS.indexOf(name) % 2]!;
const clusterArn = (name: string) => `arn:aws:eks:us-east-1:${clusterAccount(name)}:cluster/${name}`;
/** Mostly the first account, so trusts and associations meet often. */
const ACCOUNT = fc.constantFrom(ACCOUNTS[0], ACCOUNTS[0], ACCOUNTS[0], ACCOUNTS[1]);
const ANY_ROLE = fc.tuple(ACCOUNT, fc.constantFrom(...ROLE_NAMES, "gone")).map(([a, n]) => roleArn(a, n));
const sub = (ns: string, n: string) => `system:serviceaccount:${ns}:${n}`;

const subjectValue = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom(...NAMES)).map(([ns, n]) => sub(ns, n)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom("*", "app*", "svc-?", "svc-1*")).map(([ns, n]) => sub(ns, n)) },
  { weight: 1, arbitrary: fc.constantFrom(sub("*", "app"), "system:serviceaccount:*", "*") },
);

const irsaStatement = fc
  .record({
    effect: fc.constantFrom("Allow", "Allow", "Allow", "Deny"),
    host: fc.nat(HOSTS.length - 1),
    providerAccount: ACCOUNT,
    op: fc.constantFrom("StringEquals", "StringLike", "StringLike", "StringEqualsIgnoreCase", "StringNotEquals", null),
    values: fc.array(subjectValue, { minLength: 1, maxLength: 2 }),
    aud: fc.constantFrom(undefined, "sts.amazonaws.com", undefined, "sts.amazonaws.com", "other"),
  })
  .map((s) => {
    const h = HOSTS[s.host]!;
    const cond: Record<string, Record<string, unknown>> = {};
    if (s.op) cond[s.op] = { [`${h}:sub`]: s.values.length === 1 ? s.values[0] : s.values };
    if (s.aud) cond.StringEquals = { ...(cond.StringEquals ?? {}), [`${h}:aud`]: s.aud };
    return { Effect: s.effect, Principal: { Federated: `arn:aws:iam::${s.providerAccount}:oidc-provider/${h}` }, Action: "sts:AssumeRoleWithWebIdentity", ...(s.op || s.aud ? { Condition: cond } : {}) };
  });

const podIdentityStatement = fc.record({ tag: fc.boolean(), ns: fc.option(fc.constantFrom(...NAMESPACES)), deny: fc.boolean() }).map((s) => ({
  Effect: s.deny && s.ns ? "Deny" : "Allow",
  Principal: { Service: "pods.eks.amazonaws.com" },
  Action: s.tag ? ["sts:AssumeRole", "sts:TagSession"] : "sts:AssumeRole",
  ...(s.ns ? { Condition: { StringEquals: { "aws:RequestTag/kubernetes-namespace": s.ns } } } : {}),
}));

const chainStatement = fc.record({ source: ANY_ROLE, externalId: fc.option(fc.constantFrom("x1", "x2")) }).map((s) => ({
  Effect: "Allow",
  Principal: { AWS: s.source },
  Action: ["sts:AssumeRole", "sts:TagSession"],
  ...(s.externalId ? { Condition: { StringEquals: { "sts:ExternalId": s.externalId } } } : {}),
}));

const trustPolicy = fc.oneof(
  { weight: 12, arbitrary: fc.array(fc.oneof({ weight: 3, arbitrary: irsaStatement }, podIdentityStatement, chainStatement), { minLength: 1, maxLength: 3 }).map((st) => JSON.stringify({ Version: "2012-10-17", Statement: st })) },
  { weight: 1, arbitrary: fc.constant("{not json") },
);

const nodeInline = fc.option(fc.array(ANY_ROLE, { maxLength: 3 }).map((resources) => ({
  "pod-identity": JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "eks-auth:AssumeRoleForPodIdentity", Resource: resources.length ? resources : "*" }] }),
})));

export const role = fc.record({ account: ACCOUNT, name: fc.constantFrom(...ROLE_NAMES), trust: trustPolicy, inline: nodeInline }).map(
  (r): SnapshotRole => ({ accountId: r.account, roleName: r.name, arn: roleArn(r.account, r.name), path: "/", trustPolicy: r.trust, inlinePolicies: r.inline ?? {}, attachedPolicyArns: [], tags: {} }),
);

export const serviceAccount = fc.record({ namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom(...NAMES), annotated: fc.option(ANY_ROLE, { freq: 3 }) }).map((s): SnapshotServiceAccount => ({
  namespace: s.namespace, name: s.name, creationTimestamp: "2026-01-01T00:00:00Z", annotations: s.annotated ? { "eks.amazonaws.com/role-arn": s.annotated } : {},
}));

const association = (cluster: string) =>
  fc.record({ id: fc.nat(5), namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom(...NAMES), role: ANY_ROLE, target: fc.option(ANY_ROLE, { freq: 3 }), externalId: fc.option(fc.constantFrom("x1", "x2")), noTags: fc.boolean(), modified: fc.constantFrom("2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z") }).map(
    (a): SnapshotAssociation => ({
      associationId: `a-${cluster}-${a.id}`, associationArn: `arn:assoc/${cluster}/${a.id}`, namespace: a.namespace, serviceAccount: a.name, roleArn: a.role,
      ...(a.target ? { targetRoleArn: a.target, ...(a.externalId ? { externalId: a.externalId } : {}) } : {}),
      disableSessionTags: a.noTags, tags: {}, createdAt: "2026-02-01T00:00:00Z", modifiedAt: a.modified,
    }),
  );

const uniqueBy = <T>(xs: T[], key: (t: T) => string) => [...new Map(xs.map((x) => [key(x), x])).values()];

export const cluster = (name: string) =>
  fc.record({
    host: fc.option(fc.nat(2), { freq: 6 }),
    agent: fc.boolean(),
    nodeRole: fc.option(fc.constantFrom(...ACCOUNTS).map((a) => roleArn(a, "node"))),
    sas: fc.array(serviceAccount, { maxLength: 6 }),
    assocs: fc.array(association(name), { maxLength: 4 }),
    pods: fc.array(fc.record({ sa: fc.nat(5), env: fc.constantFrom("none", "pi", "irsa"), created: fc.constantFrom("2026-01-15T00:00:00Z", "2026-03-15T00:00:00Z") }), { maxLength: 4 }),
  }).map((c): SnapshotCluster => {
    const serviceAccounts = uniqueBy(c.sas, (s) => `${s.namespace}/${s.name}`);
    const associations = uniqueBy(uniqueBy(c.assocs, (a) => a.associationId), (a) => `${a.namespace}/${a.serviceAccount}`);
    return {
      accountId: clusterAccount(name), region: "us-east-1", name, arn: clusterArn(name), status: "ACTIVE",
      ...(c.host !== null ? { oidcIssuer: `https://${HOSTS[c.host]}` } : {}),
      podIdentityAgentInstalled: c.agent, nodegroups: c.nodeRole ? [{ name: "ng", nodeRoleArn: c.nodeRole }] : [],
      associations, serviceAccounts,
      pods: serviceAccounts.length === 0 ? [] : uniqueBy(c.pods, (p) => String(p.sa % serviceAccounts.length)).map((p, i) => {
        const sa = serviceAccounts[p.sa % serviceAccounts.length]!;
        const credentialEnv: Record<string, string> = p.env === "pi" ? { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials" } : p.env === "irsa" ? { AWS_ROLE_ARN: sa.annotations["eks.amazonaws.com/role-arn"] ?? "x" } : {};
        return { namespace: sa.namespace, name: `${sa.name}-${i}`, uid: `u${i}`, serviceAccountName: sa.name, creationTimestamp: p.created, phase: "Running", credentialEnv };
      }),
    };
  });

const provider = fc.tuple(ACCOUNT, fc.nat(HOSTS.length - 1)).map(([a, h]): SnapshotOidcProvider => ({ accountId: a, arn: `arn:aws:iam::${a}:oidc-provider/${HOSTS[h]}`, url: HOSTS[h]!, clientIds: ["sts.amazonaws.com"] }));

export const model = fc
  .tuple(fc.array(role, { minLength: 2, maxLength: 12 }), fc.subarray(CLUSTERS, { minLength: 1 }), fc.array(provider, { maxLength: 3 }), fc.boolean())
  .chain(([roles, names, providers, scannedOther]) =>
    fc.tuple(...names.map(cluster)).map((clusters): InventorySnapshot => ({
      scannedAt: "2026-05-01T00:00:00Z",
      // The second account is scanned or not: a missing role there "does not exist" or is unknown.
      accounts: [{ accountId: ACCOUNTS[0], regions: ["us-east-1"] }, ...(scannedOther ? [{ accountId: ACCOUNTS[1], regions: ["us-east-1"] }] : [])],
      clusters: uniqueBy(clusters, (c) => c.arn),
      roles: uniqueBy(roles, (r) => r.arn),
      oidcProviders: uniqueBy(providers, (p) => p.arn),
      errors: [],
    })),
  );

const someClusterArn = fc.constantFrom(...CLUSTERS).map(clusterArn);

export const delta: fc.Arbitrary<AnalysisDelta> = fc.oneof(
  { weight: 4, arbitrary: role.map((r): AnalysisDelta => ({ kind: "role-upsert", role: r })) },
  { weight: 2, arbitrary: ANY_ROLE.map((roleArn): AnalysisDelta => ({ kind: "role-remove", roleArn })) },
  { weight: 3, arbitrary: fc.tuple(someClusterArn, serviceAccount).map(([c, s]): AnalysisDelta => ({ kind: "service-account-upsert", clusterArn: c, serviceAccount: s })) },
  { weight: 2, arbitrary: fc.tuple(someClusterArn, serviceAccount).map(([c, s]): AnalysisDelta => ({ kind: "service-account-remove", clusterArn: c, namespace: s.namespace, name: s.name })) },
  { weight: 3, arbitrary: fc.constantFrom(...CLUSTERS).chain((n) => association(n).map((x): AnalysisDelta => ({ kind: "association-upsert", clusterArn: clusterArn(n), association: x }))) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...CLUSTERS), fc.nat(5)).map(([n, i]): AnalysisDelta => ({ kind: "association-remove", clusterArn: clusterArn(n), associationId: `a-${n}-${i}` })) },
  { weight: 1, arbitrary: provider.map((p): AnalysisDelta => ({ kind: "oidc-provider-upsert", provider: p })) },
  { weight: 1, arbitrary: provider.map((p): AnalysisDelta => ({ kind: "oidc-provider-remove", arn: p.arn })) },
  { weight: 1, arbitrary: fc.constantFrom(...CLUSTERS).chain(cluster).map((c): AnalysisDelta => ({ kind: "cluster-upsert", cluster: c })) },
  { weight: 1, arbitrary: someClusterArn.map((c): AnalysisDelta => ({ kind: "cluster-remove", clusterArn: c })) },
);

/**
 * The reference: a delta applied to a plain model, written independently of the
 * index (replace in place or append; remove). A delta for a cluster the model
 * does not have changes nothing, and an association or SA keeps one entry
 * per key (an upsert that would clash with another entry's key is dropped).
 */
export function applyToModel(s: InventorySnapshot, d: AnalysisDelta): InventorySnapshot {
  const put = <T>(xs: T[], x: T, same: (t: T) => boolean) => (xs.some(same) ? xs.map((t) => (same(t) ? x : t)) : [...xs, x]);
  const inCluster = (arn: string, f: (c: SnapshotCluster) => SnapshotCluster) => ({ ...s, clusters: s.clusters.map((c) => (c.arn === arn ? f(c) : c)) });
  switch (d.kind) {
    case "role-upsert":
      return { ...s, roles: put(s.roles, d.role, (r) => r.arn === d.role.arn) };
    case "role-remove":
      return { ...s, roles: s.roles.filter((r) => r.arn !== d.roleArn) };
    case "service-account-upsert":
      return inCluster(d.clusterArn, (c) => ({ ...c, serviceAccounts: put(c.serviceAccounts, d.serviceAccount, (x) => x.namespace === d.serviceAccount.namespace && x.name === d.serviceAccount.name) }));
    case "service-account-remove":
      return inCluster(d.clusterArn, (c) => ({ ...c, serviceAccounts: c.serviceAccounts.filter((x) => !(x.namespace === d.namespace && x.name === d.name)) }));
    case "association-upsert":
      return inCluster(d.clusterArn, (c) => ({ ...c, associations: put(c.associations, d.association, (x) => x.associationId === d.association.associationId) }));
    case "association-remove":
      return inCluster(d.clusterArn, (c) => ({ ...c, associations: c.associations.filter((x) => x.associationId !== d.associationId) }));
    case "oidc-provider-upsert":
      return { ...s, oidcProviders: put(s.oidcProviders, d.provider, (p) => p.arn === d.provider.arn) };
    case "oidc-provider-remove":
      return { ...s, oidcProviders: s.oidcProviders.filter((p) => p.arn !== d.arn) };
    case "cluster-upsert":
      return { ...s, clusters: put(s.clusters, d.cluster, (c) => c.arn === d.cluster.arn) };
    case "cluster-remove":
      return { ...s, clusters: s.clusters.filter((c) => c.arn !== d.clusterArn) };
  }
}

/** Deltas a real source could send: an association upsert that would give its SA a second association is not one. */
export function plausible(s: InventorySnapshot, d: AnalysisDelta): boolean {
  if (d.kind !== "association-upsert") return true;
  const c = s.clusters.find((x) => x.arn === d.clusterArn);
  return !c || !c.associations.some((a) => a.associationId !== d.association.associationId && a.namespace === d.association.namespace && a.serviceAccount === d.association.serviceAccount);
}
