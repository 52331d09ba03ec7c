// Request-workflow helpers over a world (./world.ts): the job runner, the
// sandbox's view of associations, a valid create-request input.
import { createRequestRunner } from "@/lib/workers/request-handlers";
import { PI_ROLE, PROD, REGION } from "./constants";
import type { World } from "./world";

/** A request runner over the world's deps: fast back-off, no webhook. */
export function runner(w: World, leaseMs = 60_000) {
  return createRequestRunner({ ...w.deps, backoff: { tries: 4, baseMs: 1 } }, { leaseMs, log: () => {} }, async () => true);
}

export function successfulCreates(w: World) {
  return w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" }).filter((c) => c.status === 200);
}

export function sandboxAssociations(w: World, cluster: string, namespace: string, sa: string) {
  const c = w.sandbox.ctx.world.accounts[PROD]!.regions[REGION]!.clusters[cluster]!;
  return Object.values(c.associations).filter((a) => a.namespace === namespace && a.serviceAccount === sa);
}

export const createInput = (serviceAccount: string, roleArn = PI_ROLE) => ({
  kind: "create" as const,
  cluster: "domino-green",
  namespace: "domino-compute",
  serviceAccount,
  roleArn,
  disableSessionTags: false,
  tags: {},
  justification: "Nightly job needs to read the sales bucket",
});
