// Per-cluster rows for /clusters and the overview, with Blue/Green pairing (pure).
import "server-only";
import type { SnapshotAnalysis } from "../analysis";
import type { InventorySnapshot } from "../snapshot-types";

const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface ClusterPair {
  /** Shared name, e.g. "domino" for domino-blue + domino-green. */
  name: string;
  blue: string;
  green: string;
  /** How the pair was found. */
  source: "name" | "configured";
}

export interface ClusterSummary {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  status: string;
  version?: string;
  oidcIssuer?: string;
  /** An IAM OIDC provider exists for the issuer (IRSA can work). */
  issuerRegistered: boolean;
  addonInstalled: boolean;
  /** How the Pod Identity agent runs: the add-on, built in (Auto Mode), a self-managed DaemonSet, or not at all. */
  agent: { via: "add-on" | "auto-mode" | "self-managed" | "none"; detail: string };
  /** Fargate profiles and Windows node groups: workloads there cannot use Pod Identity. */
  fargateProfiles: string[];
  windowsNodegroups: string[];
  nodegroups: { name: string; nodeRoleArn: string }[];
  serviceAccounts: number;
  pods: number;
  associations: number;
  irsaServiceAccounts: number;
  irsaEdges: number;
  podIdentityEdges: number;
  findings: number;
  /** Scan errors about this cluster. */
  errors: string[];
  pair?: { color: "blue" | "green"; partner: string; name: string };
}

const COLOR = /^(.*?)[-_]?(blue|green)$/i;

/** Blue/Green pairs: configured "a:b" pairs first, then names that differ only by a -blue/-green suffix. */
export function pairClusters(names: readonly string[], configured: readonly [string, string][] = []): ClusterPair[] {
  const pairs: ClusterPair[] = [];
  const used = new Set<string>();
  for (const [blue, green] of configured) {
    if (!names.includes(blue) || !names.includes(green)) continue;
    pairs.push({ name: `${blue} / ${green}`, blue, green, source: "configured" });
    used.add(blue).add(green);
  }
  const byStem = new Map<string, { blue?: string; green?: string }>();
  for (const n of names) {
    const m = COLOR.exec(n);
    if (!m?.[1] || !m[2] || used.has(n)) continue;
    const slot = byStem.get(m[1]) ?? {};
    slot[m[2].toLowerCase() as "blue" | "green"] = n;
    byStem.set(m[1], slot);
  }
  for (const [stem, { blue, green }] of byStem) if (blue && green) pairs.push({ name: stem, blue, green, source: "name" });
  return pairs;
}

/** "a:b,c:d" (ROLEGATE_BLUE_GREEN_PAIRS) -> [[a, b], [c, d]]. */
export function parseConfiguredPairs(text: string | undefined): [string, string][] {
  return (text ?? "")
    .split(",")
    .map((p) => p.trim().split(":"))
    .filter((p): p is [string, string] => p.length === 2 && p.every((s) => s.trim() !== ""))
    .map(([a, b]) => [a.trim(), b.trim()]);
}

export function buildClusterSummaries(snapshot: InventorySnapshot, analysis: SnapshotAnalysis, pairs: ClusterPair[]): ClusterSummary[] {
  const providers = new Set(snapshot.oidcProviders.map((p) => p.url.replace(/^https:\/\//, "")));
  const count = <T extends { cluster?: string }>(xs: readonly T[], name: string) => xs.filter((x) => x.cluster === name).length;
  return snapshot.clusters.map((c) => {
    const pair = pairs.find((p) => p.blue === c.name || p.green === c.name);
    return {
      name: c.name,
      arn: c.arn,
      accountId: c.accountId,
      region: c.region,
      status: c.status,
      version: c.version,
      oidcIssuer: c.oidcIssuer,
      issuerRegistered: c.oidcIssuer ? providers.has(c.oidcIssuer.replace(/^https:\/\//, "")) : false,
      addonInstalled: c.podIdentityAgentInstalled,
      agent: c.autoMode
        ? { via: "auto-mode", detail: "built in (EKS Auto Mode)" }
        : c.podIdentityAgentInstalled
          ? { via: "add-on", detail: "add-on installed" }
          : c.agentDaemonSet
            ? { via: "self-managed", detail: `self-managed DaemonSet ${c.agentDaemonSet.name}, ready ${c.agentDaemonSet.ready}/${c.agentDaemonSet.desired}` }
            : { via: "none", detail: "not installed" },
      fargateProfiles: (c.fargateProfiles ?? []).map((f) => f.name),
      windowsNodegroups: c.nodegroups.filter((n) => n.amiType?.startsWith("WINDOWS")).map((n) => n.name),
      nodegroups: c.nodegroups,
      serviceAccounts: c.serviceAccounts.length,
      pods: c.pods.length,
      associations: c.associations.length,
      irsaServiceAccounts: c.serviceAccounts.filter((s) => s.annotations[IRSA_ANNOTATION]).length,
      irsaEdges: count(analysis.edges.irsa, c.name),
      podIdentityEdges: count(analysis.edges.podIdentity, c.name),
      findings: count(analysis.findings, c.name),
      errors: snapshot.errors.filter((e) => e.scope.endsWith(`/${c.name}`)).map((e) => `${e.scope}: ${e.message}`),
      pair: pair && { color: pair.blue === c.name ? "blue" : "green", partner: pair.blue === c.name ? pair.green : pair.blue, name: pair.name },
    };
  });
}
