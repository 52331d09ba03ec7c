// A cluster as a scan part hands it to the finalize: its JSON once, compressed
// (the part's result, which becomes the cluster's segment blob unchanged), and a
// digest of what the finalize needs of it. At 100 clusters x 1,000 associations
// the finalize inflated and parsed 128 MB of cluster JSON for these few fields,
// on the scan's critical path; each part now works them out while it has the
// cluster in hand, side by side on every replica.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { SnapshotCluster } from "../snapshot-types";

/** A segment's name: the sha256 of its JSON. */
export const contentHash = (json: string) => createHash("sha256").update(json).digest("hex");

export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

/** One namespace of a cluster: its service accounts, those annotated for IRSA, and its Pod Identity associations. */
export interface NamespaceUsage {
  namespace: string;
  serviceAccounts: number;
  irsaServiceAccounts: number;
  podIdentityAssociations: number;
}

export interface ClusterDigest {
  accountId: string;
  region: string;
  name: string;
  /** sha256 of the cluster's JSON: its segment's blob. */
  hash: string;
  /** Its node groups' roles: the finalize reads their policies. */
  nodeRoleArns: string[];
  associations: number;
  serviceAccounts: number;
  pods: number;
  usage: NamespaceUsage[];
}

/** A cluster serialized once: the gzipped JSON and its digest. */
export interface EncodedCluster {
  data: Uint8Array<ArrayBuffer>;
  digest: ClusterDigest;
}

/** A cluster as a scan saves it: its digest, and its bytes unless its part stored its blob already. */
export interface SavedCluster {
  digest: ClusterDigest;
  data?: Uint8Array<ArrayBuffer>;
}

/** The roles of the clusters' node groups: the scan reads their policies. */
export function nodeRoleArnsOf(clusters: readonly SnapshotCluster[]): Set<string> {
  return new Set(clusters.flatMap((c) => c.nodegroups.map((n) => n.nodeRoleArn)));
}

/** A stored digest of this shape (a part's summary column; null for a part finished before digests). */
export function isClusterDigest(v: unknown): v is ClusterDigest {
  const d = v as Partial<ClusterDigest> | null;
  return !!d && typeof d.hash === "string" && typeof d.name === "string" && Array.isArray(d.nodeRoleArns) && Array.isArray(d.usage) && typeof d.pods === "number";
}

export function digestCluster(c: SnapshotCluster, json: string): ClusterDigest {
  const usage = new Map<string, NamespaceUsage>();
  const of = (namespace: string) =>
    usage.get(namespace) ?? usage.set(namespace, { namespace, serviceAccounts: 0, irsaServiceAccounts: 0, podIdentityAssociations: 0 }).get(namespace)!;
  for (const sa of c.serviceAccounts) {
    const u = of(sa.namespace);
    u.serviceAccounts++;
    if (sa.annotations[IRSA_ANNOTATION]) u.irsaServiceAccounts++;
  }
  for (const a of c.associations) of(a.namespace).podIdentityAssociations++;
  return {
    accountId: c.accountId,
    region: c.region,
    name: c.name,
    hash: contentHash(json),
    nodeRoleArns: [...nodeRoleArnsOf([c])].sort(),
    associations: c.associations.length,
    serviceAccounts: c.serviceAccounts.length,
    pods: c.pods.length,
    usage: [...usage.values()].sort((a, b) => a.namespace.localeCompare(b.namespace)),
  };
}

export function encodeCluster(c: SnapshotCluster): EncodedCluster {
  const json = JSON.stringify(c);
  return { data: new Uint8Array(gzipSync(Buffer.from(json, "utf8"), { level: 1 })), digest: digestCluster(c, json) };
}
