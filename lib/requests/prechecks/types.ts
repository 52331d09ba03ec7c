// A precheck looks at one planned item and the facts read from AWS for it.
// New checks plug in by being added to the list in ./index.ts.
import type { AssociationDetail, ClusterInfo } from "@/lib/aws/types";
import type { NodeRolePolicies, RoleTrust } from "@/lib/aws/requests-gateway";
import type { ItemInput } from "../input";
import type { PlacementFacts } from "@/lib/inventory/placement";
import type { KubeGateway } from "@/lib/kube";

/** The Kubernetes reads the placement prechecks need (the KubeGateway in the app, the sandbox's in tests). */
export type PlacementKube = Pick<KubeGateway, "listNodes" | "listDaemonSets" | "listPods">;

export type PrecheckStatus = "pass" | "fail" | "warn";

export interface PrecheckFix {
  /** trust-policy | addon | request | node-role-policy | input */
  kind: string;
  json: unknown;
}

export interface PrecheckResult {
  id: string;
  /** Index of the item in the request. */
  item: number;
  status: PrecheckStatus;
  message: string;
  fix?: PrecheckFix;
}

export interface PrecheckFacts {
  /** null: cluster not found; undefined: could not be read (error). */
  cluster: ClusterInfo | null | undefined;
  addons: string[] | undefined;
  role: RoleTrust | null | undefined;
  association: AssociationDetail | null | undefined;
  targetRole: RoleTrust | null | undefined;
  /** The cluster's node roles with inline policies; undefined: not read (delete, no cluster, error). */
  nodeRoles?: NodeRolePolicies[] | undefined;
  /** Where the SA's pods run and which agent serves them; undefined for deletes or when the cluster could not be read. */
  placement?: PlacementFacts;
  errors: string[];
}

export interface PrecheckContext {
  item: ItemInput & { accountId: string; region: string };
  facts: PrecheckFacts;
}

export interface Precheck {
  id: string;
  run(ctx: PrecheckContext): Omit<PrecheckResult, "id" | "item"> | null;
}
