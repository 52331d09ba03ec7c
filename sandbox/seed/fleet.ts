// The deterministic demo fleet: a Domino deployment mid Blue/Green upgrade,
// with every problem listed in situations.ts seeded on purpose.
import type { SandboxWorld } from "../model";
import { ASSOCIATION_SPECS, buildAssociation } from "./associations";
import { CLUSTER_SPECS, addonArn, buildCluster, buildOidcProviders } from "./clusters";
import { LAKE_ACCOUNT, PROD_ACCOUNT, REGION } from "./constants";
import { DEFAULT_NOW } from "./ids";
import { populateKube } from "./kube";
import { WEST_REGION, buildPlacementClusters, buildPlacementIam } from "./placement";
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
  // Placement (Auto Mode, self-managed agent, Fargate, Windows) lives in us-west-2, apart from the Blue/Green pair.
  const west = buildPlacementIam(now);
  const oidcProviders = buildOidcProviders(now);
  oidcProviders[west.provider.arn] = {
    arn: west.provider.arn,
    url: west.provider.url,
    clientIdList: ["sts.amazonaws.com"],
    thumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
    createDate: west.provider.createDate,
    tags: [{ Key: "alpha.eksctl.io/cluster-name", Value: "domino-mixed" }],
  };
  return {
    accounts: {
      [PROD_ACCOUNT]: {
        accountId: PROD_ACCOUNT,
        alias: "domino-prod",
        roles: { ...(roles[PROD_ACCOUNT] ?? {}), [west.role.roleName]: west.role },
        oidcProviders,
        regions: { [REGION]: { clusters }, [WEST_REGION]: { clusters: buildPlacementClusters(now) } },
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
