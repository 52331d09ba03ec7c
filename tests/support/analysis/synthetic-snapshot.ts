// Seeded synthetic snapshots for the equivalence test and the benchmark:
// realistic mixes of exact subjects (one or both issuers), wildcards, aud-only
// trusts, Denies, policies the index cannot express, retired issuers, Pod
// Identity roles (plain, conditioned, without TagSession) and associations.
import { mulberry32 } from "@/sandbox/context";
import type { InventorySnapshot, SnapshotCluster, SnapshotRole } from "@/lib/inventory/snapshot-types";

export interface SyntheticOptions {
  roles: number;
  clusters: number;
  serviceAccountsPerCluster: number;
  associationsPerCluster?: number;
  seed?: number;
  /** Extra share of roles with trust shapes the grant index cannot express (default 0; the base mix has 0.6%). */
  extraInexactRate?: number;
  /**
   * Accounts the clusters are spread over (default 1). With more than one, each
   * role lives in the account of the cluster it was made for (its IRSA
   * providers too), and some Pod Identity associations chain into a role of
   * another account that trusts the source role with an external id.
   */
  accounts?: number;
}

const ACCOUNT = "111122223333";
const accountId = (i: number) => (i === 0 ? ACCOUNT : String(111122223333 + i * 111111111).padStart(12, "0"));
const NAMESPACES = ["domino-compute", "domino-compute", "domino-compute", "team-a", "team-b", "kube-system"];


const hex = (n: number) => (n.toString(16).toUpperCase().padStart(8, "0")).repeat(4);
const issuerHost = (i: number) => `oidc.eks.us-east-1.amazonaws.com/id/${hex(0x1000 + i * 7919)}`;

const sub = (ns: string, sa: string) => `system:serviceaccount:${ns}:${sa}`;

export function syntheticSnapshot(opts: SyntheticOptions): InventorySnapshot {
  const rand = mulberry32(opts.seed ?? 42);
  const accounts = Array.from({ length: Math.max(1, opts.accounts ?? 1) }, (_, i) => accountId(i));
  const multi = accounts.length > 1;
  const clusterAccount = (ci: number) => accounts[ci % accounts.length]!;
  /** The account of the role being generated (its IRSA providers are there). */
  let account = ACCOUNT;
  const provider = (host: string) => `arn:aws:iam::${account}:oidc-provider/${host}`;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const clusters: SnapshotCluster[] = Array.from({ length: opts.clusters }, (_, ci) => {
    const name = `syn-${String(ci).padStart(2, "0")}`;
    return {
      accountId: clusterAccount(ci), region: "us-east-1", name, arn: `arn:aws:eks:us-east-1:${clusterAccount(ci)}:cluster/${name}`, status: "ACTIVE",
      oidcIssuer: `https://${issuerHost(ci)}`, podIdentityAgentInstalled: true, nodegroups: [], associations: [], pods: [],
      serviceAccounts: Array.from({ length: opts.serviceAccountsPerCluster }, (_, si) => ({
        namespace: pick(NAMESPACES), name: `${si % 3 === 0 ? "dmuser" : "svc"}-${String(si).padStart(5, "0")}`, creationTimestamp: "2026-01-01T00:00:00Z", annotations: {},
      })),
    };
  });
  const retired = issuerHost(9999);
  const someSa = () => {
    const c = pick(clusters);
    return { ci: clusters.indexOf(c), sa: pick(c.serviceAccounts) };
  };
  const irsa = (host: string, cond: Record<string, Record<string, unknown>>, effect = "Allow") => ({
    Effect: effect, Principal: { Federated: provider(host) }, Action: "sts:AssumeRoleWithWebIdentity", Condition: cond,
  });
  const aud = (host: string, value = "sts.amazonaws.com") => ({ [`${host}:aud`]: value });
  const hosts = (ci: number) => (rand() < 0.5 ? [issuerHost(ci)] : [issuerHost(ci), issuerHost((ci + 1) % opts.clusters)]);
  const pi = (extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"], ...extra });

  const roles: SnapshotRole[] = [];
  const piRoles: string[] = [];
  const chainTargets: { arn: string; source: string; externalId: string }[] = [];
  for (let i = 0; i < opts.roles; i++) {
    const { ci, sa } = someSa();
    account = clusterAccount(ci);
    // extraInexactRate forces roles into the band of shapes the index cannot express (tests).
    const x = rand() < (opts.extraInexactRate ?? 0) ? 0.543 : rand();
    const st: unknown[] = [];
    let isPi = false;
    if (x < 0.4) {
      const subs = [sub(sa.namespace, sa.name), ...Array.from({ length: Math.floor(rand() * 3) }, () => { const o = pick(clusters[ci]!.serviceAccounts); return sub(o.namespace, o.name); })];
      for (const h of hosts(ci)) st.push(irsa(h, { StringEquals: { ...aud(h), [`${h}:sub`]: subs.length === 1 ? subs[0] : subs } }));
    } else if (x < 0.44) {
      const h = issuerHost(ci);
      st.push(irsa(h, { StringLike: { [`${h}:sub`]: sub(sa.namespace, sa.name) }, StringEquals: aud(h) }));
    } else if (x < 0.46) {
      const h = issuerHost(ci);
      st.push(irsa(h, { StringEqualsIgnoreCase: { [`${h}:sub`]: sub(sa.namespace, sa.name).toUpperCase() } }));
    } else if (x < 0.51) {
      const pattern = pick([sub(sa.namespace, "*"), sub(sa.namespace, `${sa.name.slice(0, 8)}*`), sub(sa.namespace, `${sa.name.slice(0, 10)}?`), sub("*", `${sa.name.slice(0, 9)}*`)]);
      for (const h of hosts(ci)) st.push(irsa(h, { StringLike: { [`${h}:sub`]: pattern }, StringEquals: aud(h) }));
    } else if (x < 0.52) {
      const h = issuerHost(ci);
      st.push(irsa(h, { StringEquals: aud(h) }));
    } else if (x < 0.54) {
      const h = issuerHost(ci);
      st.push(irsa(h, { StringLike: { [`${h}:sub`]: sub(sa.namespace, "*") } }), irsa(h, { StringEquals: { [`${h}:sub`]: sub(sa.namespace, sa.name) } }, "Deny"));
    } else if (x < 0.546) {
      // Shapes the grant index cannot express (rare in real accounts): full evaluation.
      const h = issuerHost(ci);
      st.push(pick([
        irsa(h, { StringNotEquals: { [`${h}:sub`]: sub(sa.namespace, sa.name) }, StringEquals: aud(h) }),
        irsa(h, { StringNotEquals: { [`${h}:sub`]: sub(sa.namespace, sa.name) }, StringEquals: aud(h) }),
        irsa(h, { "ForAnyValue:StringLike": { [`${h}:sub`]: [sub(sa.namespace, "svc-*")] } }),
        irsa(h, { "ForAnyValue:StringLike": { [`${h}:sub`]: [sub(sa.namespace, "svc-*")] } }),
        irsa(h, { StringNotLike: { [`${h}:sub`]: sub(sa.namespace, "dmuser-*") } }),
        { Effect: "Allow", NotPrincipal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${h}:sub`]: sub(sa.namespace, sa.name) } } },
      ]));
    } else if (x < 0.57) {
      st.push(irsa(retired, { StringEquals: { [`${retired}:sub`]: sub(sa.namespace, sa.name) } }));
    } else if (x < 0.58) {
      const h = issuerHost(ci);
      st.push(irsa(h, { StringEquals: { ...aud(h, "other-audience"), [`${h}:sub`]: sub(sa.namespace, sa.name) } }));
    } else if (x < 0.85) {
      isPi = true;
      const y = rand();
      if (y < 0.6) st.push(pi(y < 0.3 ? { Condition: { StringEquals: { "aws:SourceAccount": account } } } : {}));
      else if (y < 0.75) st.push(pi({ Condition: { StringEquals: { "aws:RequestTag/kubernetes-namespace": pick(NAMESPACES) } } }));
      else if (y < 0.85) st.push({ ...pi(), Action: "sts:AssumeRole" });
      else st.push(pi(), { ...pi(), Effect: "Deny", Condition: { StringNotEquals: { "aws:RequestTag/eks-cluster-name": pick(clusters).name } } });
    } else if (multi && x < 0.9 && piRoles.length) {
      // A cross-account chain target: trusts one Pod Identity role of another account with an external id.
      const source = pick(piRoles);
      const externalId = `ext-${i}`;
      account = pick(accounts.filter((a) => a !== source.split(":")[4]));
      chainTargets.push({ arn: `arn:aws:iam::${account}:role/syn-role-${String(i).padStart(5, "0")}`, source, externalId });
      st.push({ Effect: "Allow", Principal: { AWS: source }, Action: ["sts:AssumeRole", "sts:TagSession"], Condition: { StringEquals: { "sts:ExternalId": externalId } } });
    } else {
      st.push({ Effect: "Allow", Principal: { Service: pick(["ec2.amazonaws.com", "lambda.amazonaws.com", "glue.amazonaws.com"]) }, Action: "sts:AssumeRole" });
    }
    const roleName = `syn-role-${String(i).padStart(5, "0")}`;
    const arn = `arn:aws:iam::${account}:role/${roleName}`;
    if (isPi) piRoles.push(arn);
    roles.push({ accountId: account, roleName, arn, path: "/", trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: st.length === 1 ? st[0] : st }), inlinePolicies: {}, attachedPolicyArns: [], tags: {} });
  }
  for (const c of clusters) {
    const used = new Set<string>();
    for (let a = 0; a < (opts.associationsPerCluster ?? Math.floor(opts.serviceAccountsPerCluster / 4)); a++) {
      const sa = pick(c.serviceAccounts);
      const key = `${sa.namespace}/${sa.name}`;
      if (used.has(key)) continue;
      used.add(key);
      const chain = multi && chainTargets.length && rand() < 0.1 ? pick(chainTargets) : undefined;
      const roleArn = chain ? chain.source : rand() < 0.9 && piRoles.length ? pick(piRoles) : rand() < 0.5 ? pick(roles).arn : `arn:aws:iam::${c.accountId}:role/syn-deleted-${a}`;
      c.associations.push({
        ...(chain ? { targetRoleArn: chain.arn, externalId: rand() < 0.9 ? chain.externalId : "ext-mismatch" } : {}),
        associationId: `a-${c.name}-${a}`, associationArn: `${c.arn.replace(":cluster/", ":podidentityassociation/")}/a-${a}`, namespace: sa.namespace, serviceAccount: sa.name,
        roleArn, disableSessionTags: rand() < 0.1, tags: {}, createdAt: "2026-02-01T00:00:00Z", modifiedAt: "2026-02-01T00:00:00Z",
      });
    }
  }
  return { scannedAt: "2026-03-01T00:00:00Z", accounts: accounts.map((accountId) => ({ accountId, regions: ["us-east-1"] })), clusters, roles, oidcProviders: [], errors: [] };
}
