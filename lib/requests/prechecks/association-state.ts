import type { Precheck } from "./types";

/** One role per SA: create needs no association yet; update / delete need one. */
export const associationStatePrecheck: Precheck = {
  id: "service-account-association",
  run({ item, facts }) {
    const a = facts.association;
    if (a === undefined) return facts.cluster ? { status: "warn", message: "Could not look up the service account's association." } : null;
    const sa = `${item.namespace}/${item.serviceAccount}`;
    if (item.kind === "create") {
      if (!a) return { status: "pass", message: `${sa} has no association on ${item.cluster} yet.` };
      if (a.roleArn === item.roleArn) {
        return { status: "warn", message: `${sa} is already mapped to this role (association ${a.associationId}); applying will adopt it.` };
      }
      return {
        status: "fail",
        message: `${sa} is already mapped to ${a.roleArn} (association ${a.associationId}). A service account has one role: file an update request instead.`,
        fix: { kind: "request", json: { kind: "update", cluster: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, associationId: a.associationId, roleArn: item.roleArn } },
      };
    }
    if (!a) return { status: "fail", message: `${sa} has no association on ${item.cluster} to ${item.kind}.` };
    if (a.ownerArn) return { status: "fail", message: `Association ${a.associationId} is owned by ${a.ownerArn}; change it through that add-on.` };
    return { status: "pass", message: `${sa} is mapped to ${a.roleArn} (association ${a.associationId}).` };
  },
};
