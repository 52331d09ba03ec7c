// Runs every precheck on every item. Add a check by adding it to PRECHECKS.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { AwsLocation } from "@/lib/aws/types";
import { associationStatePrecheck } from "./association-state";
import { clusterAgentPrecheck } from "./cluster-agent";
import { gatherFacts } from "./facts";
import { nodeRolePrecheck } from "./node-role";
import { placementPrecheck } from "./placement";
import { roleExistsPrecheck } from "./role-exists";
import { sessionPolicyPrecheck } from "./session-policy";
import { targetRolePrecheck } from "./target-role";
import { trustPodIdentityPrecheck } from "./trust-pod-identity";
import type { PlacementKube, Precheck, PrecheckContext, PrecheckFacts, PrecheckResult } from "./types";

export type { PlacementKube, Precheck, PrecheckResult, PrecheckFacts } from "./types";

export const PRECHECKS: Precheck[] = [
  clusterAgentPrecheck,
  placementPrecheck,
  roleExistsPrecheck,
  trustPodIdentityPrecheck,
  associationStatePrecheck,
  sessionPolicyPrecheck,
  targetRolePrecheck,
  nodeRolePrecheck,
];

export interface CheckedItem {
  facts: PrecheckFacts;
  results: PrecheckResult[];
}

export async function runPrechecks(
  aws: RequestsGateway,
  items: { item: PrecheckContext["item"]; location: AwsLocation; targetLocation?: AwsLocation }[],
  checks: Precheck[] = PRECHECKS,
  kube?: PlacementKube,
): Promise<CheckedItem[]> {
  return Promise.all(
    items.map(async ({ item, location, targetLocation }, index) => {
      const facts = await gatherFacts(aws, location, item, kube, targetLocation);
      const results: PrecheckResult[] = [];
      for (const check of checks) {
        try {
          const r = check.run({ item, facts });
          if (r) results.push({ id: check.id, item: index, ...r });
        } catch (e) {
          results.push({ id: check.id, item: index, status: "warn", message: `Check failed to run: ${(e as Error).message}` });
        }
      }
      return { facts, results };
    }),
  );
}
