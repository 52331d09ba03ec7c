// What a request item can be, declared once per kind: how it is applied, whether
// the association prechecks run on it, who may approve a request carrying it, and
// what mapping an applied item leaves in force (read by drift, reviews and expiry).
// The registry is built where the process is wired (lib/runtime.ts) from the
// kinds of lib/requests (associations, adopt, IAM changes) and those other
// modules define (lib/stale-pods "restart-pods", lib/expiry "extend-expiry"),
// and passed to the request services in their deps: nothing registers itself.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { AwsLocation } from "@/lib/aws/types";
import type { Role } from "@/lib/auth/permissions";
import type { KubePod } from "@/lib/kube/types";
import type { PrismaClient, RequestItem } from "@/lib/db/generated/client";
import type { Actor, Tx } from "./deps";
import { choiceFrom, requirementsOf, unionRequirements, withIamTeam, type PolicyChoice } from "./policies";

export interface ItemOutcome {
  ok: boolean;
  outcome?: "created" | "adopted" | "updated" | "deleted" | "iam-updated" | "restarted";
  associationId?: string;
  associationArn?: string;
  externalId?: string;
  awsRequestId?: string;
  errorCode?: string;
  errorMessage?: string;
  attempts: number;
}

/** What an applier may use: the process's gateways, passed at apply time. */
export interface ApplyContext {
  prisma: PrismaClient;
  aws: RequestsGateway;
  now?: () => Date;
}

export type ItemApplier = (ctx: ApplyContext, location: AwsLocation, item: RequestItem) => Promise<Omit<ItemOutcome, "attempts">>;

/**
 * Who may approve a request carrying the kind:
 * - "policy": the pinned approval policy's role and count;
 * - "at-least-one": the policy's role, never fewer than one approval;
 * - "iam-team": IAM changes, the approver role only (not even an admin), never fewer than one approval.
 */
export type ItemApproval = "policy" | "at-least-one" | "iam-team";

export interface ItemKind {
  kind: string;
  apply: ItemApplier;
  /** "association": the association prechecks run on it (at filing, on review, before apply); "none": it writes no association. */
  prechecks: "association" | "none";
  approval: ItemApproval;
  /** Applied before every other item (the association items' prechecks depend on IAM changes). */
  appliedFirst?: boolean;
  /**
   * The mapping an applied item of the kind leaves in force for its service account, which is how
   * drift (the approved association), access reviews (who approved a mapping) and the expiry sweep
   * find the items that matter to them: "association" a Pod Identity association (create, update,
   * adopt), "trust" an IRSA trust (iam-trust-update). Absent: it puts no mapping in force.
   */
  establishesMapping?: "association" | "trust";
  /** An applied item of the kind removes the service account's association (delete). */
  removesMapping?: "association";
  /**
   * The mapping it establishes may be time-bound (mappingExpiresAt): the expiry sweep notices and
   * revokes it, and its requester may ask to extend it (create, update).
   */
  timeBound?: boolean;
  /**
   * The kind's own prechecks (e.g. "restart-pods": may RoleGate delete pods there?), run
   * wherever the association prechecks run (review, refresh, before apply); a failing
   * read is a failed check, not a failed refresh.
   */
  check?: ItemPrecheck;
  /**
   * Refuses an approval before the review is recorded (409 with the reason), inside the
   * approval's transaction; e.g. a "template" broader than the approver's approval policy.
   */
  approvalRefusal?: (tx: Tx, actor: Actor, item: RequestItem) => Promise<string | null>;
}

export type ItemPrecheck = (location: AwsLocation, item: RequestItem) => Promise<{ id: string; status: "pass" | "fail" | "warn"; message: string }[]>;

/** What revocations need of a running pod (the Kubernetes gateway's pod, without its credentials and owner). */
export type RunningPod = Pick<KubePod, "namespace" | "name" | "uid" | "serviceAccountName" | "creationTimestamp" | "phase"> & Partial<Pick<KubePod, "credentialEnv">>;
/** Lists a namespace's pods: with one, revocations also restart the revoked SA's running pods. */
export type PodLister = (cluster: string, namespace: string) => Promise<RunningPod[]>;

export interface ItemKinds {
  get(kind: string): ItemKind | undefined;
  /** The names of the kinds whose declaration passes `test` (e.g. `(k) => !!k.timeBound`), for queries over stored items. */
  select(test: (kind: ItemKind) => boolean): string[];
  runsAssociationPrechecks(kind: string): boolean;
  appliedFirst(kind: string): boolean;
  /** The kind's own prechecks, if it declares any. */
  checkOf(kind: string): ItemPrecheck | undefined;
  approvalOf(kind: string): ItemApproval;
  /** The first refusal any item's kind gives `actor` for approving (see ItemKind.approvalRefusal), or null. */
  approvalRefusal(tx: Tx, actor: Actor, items: RequestItem[]): Promise<string | null>;
  /** The policy chosen for the items, raised to what their kinds need. */
  raise(policy: PolicyChoice, kinds: string[]): PolicyChoice;
  /** May `role` review a request carrying these kinds (beyond the pinned requirements' roles, `required`)? Returns the refusal, or null. */
  reviewRefusal(role: Role, kinds: string[], required?: Role[]): string | null;
  /** Set when the process can reach Kubernetes (the "restart-pods" kind is wired). */
  podLister?: PodLister;
}

export function createItemKinds(kinds: ItemKind[], options: { podLister?: PodLister } = {}): ItemKinds {
  const byKind = new Map<string, ItemKind>();
  for (const k of kinds) {
    if (byKind.has(k.kind)) throw new Error(`item kind ${k.kind} declared twice`);
    byKind.set(k.kind, k);
  }
  // Unknown kinds (a request filed by a process with more kinds wired) write no association and need the policy only.
  const approvalOf = (kind: string): ItemApproval => byKind.get(kind)?.approval ?? "policy";
  return {
    get: (kind) => byKind.get(kind),
    select: (test) => [...byKind.values()].filter(test).map((k) => k.kind),
    runsAssociationPrechecks: (kind) => byKind.get(kind)?.prechecks === "association",
    appliedFirst: (kind) => !!byKind.get(kind)?.appliedFirst,
    checkOf: (kind) => byKind.get(kind)?.check,
    approvalOf,
    async approvalRefusal(tx, actor, items) {
      for (const item of items) {
        const refusal = await byKind.get(item.kind)?.approvalRefusal?.(tx, actor, item);
        if (refusal) return refusal;
      }
      return null;
    },
    raise(policy, list) {
      const needs = new Set(list.map(approvalOf));
      // Raised by union (lib/requests/policies.ts): what the items' policies need is kept, never replaced.
      if (needs.has("iam-team")) return withIamTeam(policy);
      if (needs.has("at-least-one")) return choiceFrom(unionRequirements(requirementsOf(policy), [{ role: policy.approverRole, count: 1, policyVersionIds: [policy.policyVersionId] }]), policy);
      return policy;
    },
    reviewRefusal(role, list, required = []) {
      // An admin reviews an IAM change only toward an admin requirement of its own (never in the IAM team's place).
      if (list.some((k) => approvalOf(k) === "iam-team") && role !== "approver" && !(role === "admin" && required.includes("admin"))) {
        return "This request changes IAM policies: only the IAM team (approver role) can approve or reject it.";
      }
      return null;
    },
    ...(options.podLister ? { podLister: options.podLister } : {}),
  };
}
