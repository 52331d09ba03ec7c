import type { Precheck } from "./types";

export const POD_IDENTITY_AGENT = "eks-pod-identity-agent";

/** The cluster exists and runs the Pod Identity agent add-on. */
export const clusterAgentPrecheck: Precheck = {
  id: "cluster-pod-identity-agent",
  run({ item, facts }) {
    if (facts.cluster === null) {
      return { status: "fail", message: `Cluster ${item.cluster} does not exist in ${item.accountId}/${item.region}.` };
    }
    if (facts.cluster === undefined) return { status: "warn", message: `Could not read cluster ${item.cluster}: ${facts.errors[0] ?? "unknown error"}` };
    if (item.kind === "delete") return { status: "pass", message: `Cluster ${item.cluster} exists.` };
    if (!facts.addons) return { status: "warn", message: `Could not list the add-ons of ${item.cluster}.` };
    if (!facts.addons.includes(POD_IDENTITY_AGENT)) {
      return {
        status: "fail",
        message: `Cluster ${item.cluster} has no ${POD_IDENTITY_AGENT} add-on: the association would deliver no credentials. Install the add-on first.`,
        fix: { kind: "addon", json: { operation: "CreateAddon", input: { clusterName: item.cluster, addonName: POD_IDENTITY_AGENT } } },
      };
    }
    return { status: "pass", message: `Cluster ${item.cluster} exists and runs ${POD_IDENTITY_AGENT}.` };
  },
};
