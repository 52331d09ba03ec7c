// The stable order of a snapshot's lists: the scan sorts them so, and a snapshot
// composed from its stored segments (lib/inventory/scan/segments.ts) is sorted the
// same way, so both are the same value.
import type { SnapshotCluster } from "./snapshot-types";

export const clusterOrder = (a: SnapshotCluster, b: SnapshotCluster) => `${a.accountId}/${a.region}/${a.name}`.localeCompare(`${b.accountId}/${b.region}/${b.name}`);

export const arnOrder = (a: { arn: string }, b: { arn: string }) => a.arn.localeCompare(b.arn);
