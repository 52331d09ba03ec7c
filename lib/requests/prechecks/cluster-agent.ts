import { agentCoverage, placementOf } from "@/lib/inventory/placement";
import type { Precheck } from "./types";

export const POD_IDENTITY_AGENT = "eks-pod-identity-agent";

/**
 * The cluster exists and runs the Pod Identity agent where the SA's pods run: built in on EKS Auto
 * Mode (DescribeCluster computeConfig.enabled), the add-on, or a self-managed DaemonSet (Helm) whose
 * pod is ready on each of those nodes.
 */
export const clusterAgentPrecheck: Precheck = {
  id: "cluster-pod-identity-agent",
  run({ item, facts }) {
    if (facts.cluster === null) {
      return { status: "fail", message: `Cluster ${item.cluster} does not exist in ${item.accountId}/${item.region}.` };
    }
    if (facts.cluster === undefined) return { status: "warn", message: `Could not read cluster ${item.cluster}: ${facts.errors[0] ?? "unknown error"}` };
    if (item.kind === "delete") return { status: "pass", message: `Cluster ${item.cluster} exists.` };
    if (!facts.addons && !facts.cluster.autoMode) return { status: "warn", message: `Could not list the add-ons of ${item.cluster}.` };
    const placement = facts.placement;
    const coverage = placement
      ? agentCoverage(placement, placementOf(placement, item.namespace, item.serviceAccount))
      : facts.addons?.includes(POD_IDENTITY_AGENT)
        ? { status: "pass" as const, via: "add-on", message: `${item.cluster} runs the ${POD_IDENTITY_AGENT} add-on.` }
        : { status: "fail" as const, via: "none", message: `${item.cluster} has no ${POD_IDENTITY_AGENT} add-on: the association would deliver no credentials. Install the add-on first.` };
    if (coverage.status === "fail" && (coverage.via === "none" || coverage.via === "unknown")) {
      return {
        status: "fail",
        message: `Cluster ${item.cluster}: ${coverage.message}`,
        fix: { kind: "addon", json: { operation: "CreateAddon", input: { clusterName: item.cluster, addonName: POD_IDENTITY_AGENT } } },
      };
    }
    return { status: coverage.status, message: coverage.status === "pass" ? `Cluster ${item.cluster} exists; ${coverage.message}` : `Cluster ${item.cluster}: ${coverage.message}` };
  },
};
