// The deterministic demo fleet: a Domino deployment mid Blue/Green upgrade,
// with every problem listed in situations.ts seeded on purpose.
import type { SandboxWorld } from "../model";
import { ASSOCIATION_SPECS, buildAssociation } from "./associations";
import { CLUSTER_SPECS, addonArn, buildCluster, buildOidcProviders } from "./clusters";
import { LAKE_ACCOUNT, PROD_ACCOUNT, REGION } from "./constants";
import { DEFAULT_NOW } from "./ids";
import { populateKube } from "./kube";
import { buildRoles } from "./roles";

export { buildScaledFleet, type ScaledFleetOptions } from "./scaled";

export function buildDemoFleet(opts: { now?: Date } = {}): SandboxWorld {
  const now = opts.now ?? DEFAULT_NOW;
  const roles = buildRoles(now);
  const clusters = Object.fromEntries(
    CLUSTER_SPECS.map((spec) => {
      const cluster = buildCluster(spec, now);
      populateKube(cluster, spec, now);
      for (const a of ASSOCIATION_SPECS.filter((s) => s.cluster === spec.name)) {
        const assoc = buildAssociation(a, now, addonArn);
        cluster.associations[assoc.associationId] = assoc;
      }
      return [spec.name, cluster];
    }),
  );
  return {
    accounts: {
      [PROD_ACCOUNT]: {
        accountId: PROD_ACCOUNT,
        alias: "domino-prod",
        roles: roles[PROD_ACCOUNT] ?? {},
        oidcProviders: buildOidcProviders(now),
        regions: { [REGION]: { clusters } },
      },
      [LAKE_ACCOUNT]: {
        accountId: LAKE_ACCOUNT,
        alias: "data-lake",
        roles: roles[LAKE_ACCOUNT] ?? {},
        oidcProviders: {},
        regions: {},
      },
    },
  };
}
