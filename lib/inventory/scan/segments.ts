// A snapshot stored in segments: one per cluster (its SnapshotCluster) and one per
// account (its roles and OIDC providers), plus the small header on ScanSnapshot.
// A segment's content is a SegmentBlob named by the sha256 of its JSON: a cluster
// or account unchanged since an earlier scan points at the blob stored then (no
// new bytes), and a reader that needs one cluster reads one blob through the
// (scanId, key) index instead of the whole snapshot. Scans saved before segments
// keep one document (ScanSnapshot.data); every reader here still reads it.
import { promisify } from "node:util";
import { gunzipSync, gzip } from "node:zlib";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { parseInterned, stringInterner, type Intern } from "@/lib/util/intern";
import { arnOrder, clusterOrder } from "../snapshot-order";
import type { InventorySnapshot, SnapshotCluster, SnapshotOidcProvider, SnapshotRole } from "../snapshot-types";
import { contentHash, encodeCluster, type SavedCluster } from "./cluster-digest";

export { contentHash };

type Tx = Prisma.TransactionClient;
const gzipAsync = promisify(gzip);
type Db = Pick<PrismaClient, "scanSnapshot" | "scanSegment">;

/** What a snapshot has besides its clusters, roles and OIDC providers (ScanSnapshot.header). */
export type SnapshotHeader = Omit<InventorySnapshot, "clusters" | "roles" | "oidcProviders">;

/** An account's IAM as its segment holds it. */
export interface AccountSegment {
  roles: SnapshotRole[];
  oidcProviders: SnapshotOidcProvider[];
}

export interface ClusterRef {
  accountId: string;
  region: string;
  name: string;
}

/** Segment keys, the same as the scan parts that read them (lib/inventory/scan/parts.ts). */
export const clusterKey = (c: ClusterRef) => `cluster:${c.accountId}/${c.region}/${c.name}`;
export const accountKey = (accountId: string) => `account:${accountId}`;

/** A segment's content already serialized and hashed (a cluster as its part encoded it). */
export interface StoredContent {
  /** sha256 of the JSON. */
  hash: string;
  /** The JSON, gzipped; absent when the blob is stored already (its part stored it and points at it). */
  data?: Uint8Array;
}

interface Segment {
  key: string;
  kind: "cluster" | "account";
  accountId: string;
  region: string | null;
  cluster: string | null;
  /** The content: its JSON, or (a cluster as its part encoded it) its hash and compressed bytes. */
  content: { json: string } | StoredContent;
}

/** What a finished scan saves: its header, the accounts' IAM, and each cluster as its part encoded it. */
export interface ScanToSave {
  header: SnapshotHeader;
  roles: SnapshotRole[];
  oidcProviders: SnapshotOidcProvider[];
  clusters: SavedCluster[];
}

/** A whole snapshot (a scan run in one process, or a test's) as a scan saves it: every cluster encoded here. */
export function scanToSave(snapshot: InventorySnapshot): ScanToSave {
  const { clusters, roles, oidcProviders, ...header } = snapshot;
  return { header, roles, oidcProviders, clusters: clusters.map(encodeCluster) };
}

/** The segments of a scan: every cluster; every account with roles or providers. */
export function segmentsOf(scan: ScanToSave): Segment[] {
  const accounts = new Map<string, AccountSegment>();
  const of = (accountId: string) => accounts.get(accountId) ?? accounts.set(accountId, { roles: [], oidcProviders: [] }).get(accountId)!;
  for (const r of scan.roles) of(r.accountId).roles.push(r);
  for (const p of scan.oidcProviders) of(p.accountId).oidcProviders.push(p);
  return [
    ...scan.clusters.map(({ digest: d, data }) => ({
      key: clusterKey(d),
      kind: "cluster" as const,
      accountId: d.accountId,
      region: d.region,
      cluster: d.name,
      content: data ? { hash: d.hash, data } : { hash: d.hash },
    })),
    ...[...accounts].map(([accountId, a]) => ({ key: accountKey(accountId), kind: "account" as const, accountId, region: null, cluster: null, content: { json: JSON.stringify(a) } })),
  ];
}

/** The snapshot the segments were split from: the scan's orders restored. */
export function composeSnapshot(header: SnapshotHeader, clusters: SnapshotCluster[], accounts: AccountSegment[]): InventorySnapshot {
  return {
    scannedAt: header.scannedAt,
    accounts: header.accounts,
    clusters: clusters.sort(clusterOrder),
    roles: accounts.flatMap((a) => a.roles).sort(arnOrder),
    oidcProviders: accounts.flatMap((a) => a.oidcProviders).sort(arnOrder),
    errors: header.errors,
  };
}

const BLOB_ROWS_PER_INSERT = 50;

/**
 * Writes a scan's segments (in the transaction that saves the scan, after its
 * ScanSnapshot row): a blob is compressed and inserted only when no scan stored
 * that content yet. Returns the segments' compressed size and the bytes new here.
 */
export async function writeSegments(tx: Tx, scanId: string, segments: Segment[]): Promise<{ sizeBytes: number; newBytes: number }> {
  const hashed = segments.map(({ content, ...s }) => ({ ...s, content, hash: "hash" in content ? content.hash : contentHash(content.json) }));
  // FOR KEY SHARE: the retention job deletes unreferenced blobs FOR UPDATE SKIP LOCKED,
  // so it leaves the ones this scan reuses alone until its segments point at them.
  const existing = await tx.$queryRawUnsafe<{ hash: string; sizeBytes: number }[]>(
    `SELECT "hash", "sizeBytes" FROM "SegmentBlob" WHERE "hash" IN (SELECT jsonb_array_elements_text($1::jsonb)) FOR KEY SHARE`,
    JSON.stringify([...new Set(hashed.map((s) => s.hash))]),
  );
  const size = new Map(existing.map((b) => [b.hash, b.sizeBytes]));
  const unstored = new Map<string, Segment["content"]>();
  for (const s of hashed) {
    if (size.has(s.hash)) continue;
    // Pinned by its scan part, a blob stays until no part or segment points at it (retention.ts).
    if ("hash" in s.content && !s.content.data) throw new Error(`segment ${s.key}: its blob ${s.hash} is not stored`);
    unstored.set(s.hash, s.content);
  }
  // Compressed on libuv's thread pool, side by side: at 100 clusters x 1,000 associations, one after
  // another on the event loop, this was seconds of a scan's finalize. Content already compressed is kept.
  const fresh = await Promise.all(
    [...unstored].map(async ([hash, content]) => {
      const data = "hash" in content ? new Uint8Array(content.data!) : new Uint8Array(await gzipAsync(Buffer.from(content.json, "utf8")));
      return { hash, data, sizeBytes: data.length };
    }),
  );
  for (const b of fresh) size.set(b.hash, b.sizeBytes);
  for (let i = 0; i < fresh.length; i += BLOB_ROWS_PER_INSERT) {
    await tx.segmentBlob.createMany({ data: fresh.slice(i, i + BLOB_ROWS_PER_INSERT), skipDuplicates: true });
  }
  const rows = hashed.map(({ content: _content, hash, ...s }) => ({ scanId, ...s, contentHash: hash, sizeBytes: size.get(hash)! }));
  await tx.scanSegment.createMany({ data: rows });
  return { sizeBytes: rows.reduce((n, r) => n + r.sizeBytes, 0), newBytes: fresh.reduce((n, b) => n + b.sizeBytes, 0) };
}

// The string maps a snapshot repeats on every object (one credential env per pod, tags per association,
// annotations per service account, labels per node): equal ones share one object in a kept snapshot.
const SHARED_MAPS: ReadonlySet<string> = new Set(["credentialEnv", "tags", "annotations", "labels", "nodeSelector"]);

const decode = <T>(data: Uint8Array, intern?: Intern): T => {
  const text = gunzipSync(data).toString("utf8");
  return intern ? parseInterned<T>(text, intern, SHARED_MAPS) : (JSON.parse(text) as T);
};

/**
 * A scan's snapshot: composed from its segments, or its one document (scans saved before segments).
 * Its strings are interned across every segment: a process keeps the latest snapshot for its views, and
 * one copy of each repeated value (namespaces, role ARNs named by associations and roles, node names) is
 * about a fifth of it at 100,000 associations; equal string maps (SHARED_MAPS) are one object too.
 */
export async function loadSnapshot(prisma: Db, scanId: string): Promise<InventorySnapshot | null> {
  const row = await prisma.scanSnapshot.findUnique({ where: { scanId }, select: { header: true, data: true } });
  if (!row) return null;
  const intern = stringInterner();
  if (row.header === null) return row.data ? decode<InventorySnapshot>(row.data, intern) : null;
  const segments = await prisma.scanSegment.findMany({ where: { scanId }, select: { kind: true, blob: { select: { data: true } } } });
  const clusters: SnapshotCluster[] = [];
  const accounts: AccountSegment[] = [];
  for (const s of segments) {
    if (s.kind === "cluster") clusters.push(decode<SnapshotCluster>(s.blob.data, intern));
    else accounts.push(decode<AccountSegment>(s.blob.data, intern));
  }
  return composeSnapshot(row.header as unknown as SnapshotHeader, clusters, accounts);
}

/** One segment's content; for a scan stored as one document, `pick` finds it there (null: the scan has no such segment). */
async function loadSegment<T>(prisma: Db, scanId: string, key: string, pick: (snapshot: InventorySnapshot) => T | null): Promise<T | null> {
  const segment = await prisma.scanSegment.findUnique({ where: { scanId_key: { scanId, key } }, select: { blob: { select: { data: true } } } });
  if (segment) return decode<T>(segment.blob.data);
  const legacy = await prisma.scanSnapshot.findUnique({ where: { scanId }, select: { header: true, data: true } });
  return legacy && legacy.header === null && legacy.data ? pick(decode<InventorySnapshot>(legacy.data)) : null;
}

/** One cluster as a scan read it (null: not in that scan). */
export function loadClusterSegment(prisma: Db, scanId: string, cluster: ClusterRef): Promise<SnapshotCluster | null> {
  return loadSegment(prisma, scanId, clusterKey(cluster), (s) => s.clusters.find((c) => clusterKey(c) === clusterKey(cluster)) ?? null);
}

/** One account's roles and OIDC providers as a scan read them (null: none read). */
export function loadAccountSegment(prisma: Db, scanId: string, accountId: string): Promise<AccountSegment | null> {
  return loadSegment(prisma, scanId, accountKey(accountId), (s) => {
    const segment = { roles: s.roles.filter((r) => r.accountId === accountId), oidcProviders: s.oidcProviders.filter((p) => p.accountId === accountId) };
    return segment.roles.length || segment.oidcProviders.length ? segment : null;
  });
}

/** The clusters a scan read, from the segment index alone (nothing decoded); null for a scan stored as one document. */
export async function clusterRefsOfScan(prisma: Db, scanId: string): Promise<(ClusterRef & { contentHash: string })[] | null> {
  const row = await prisma.scanSnapshot.findUnique({ where: { scanId }, select: { header: true } });
  if (!row || row.header === null) return null;
  const segments = await prisma.scanSegment.findMany({ where: { scanId, kind: "cluster" }, select: { accountId: true, region: true, cluster: true, contentHash: true }, orderBy: { key: "asc" } });
  return segments.map((s) => ({ accountId: s.accountId, region: s.region!, name: s.cluster!, contentHash: s.contentHash }));
}
