import type { AppConfig } from "@/lib/config/schema";
import { AwsClientPool } from "./clients";
import { EksGateway } from "./eks";
import { IdentityGateway } from "./identity";

export { AwsCallError } from "./types";
export type { AssociationDetail, AssociationSummary, AwsLocation, ClusterInfo } from "./types";
export { EksGateway } from "./eks";
export { IdentityGateway } from "./identity";
export { AwsClientPool } from "./clients";
export { IamGateway, decodePolicyDocument } from "./iam";
export { EksInventoryGateway, POD_IDENTITY_AGENT_ADDON } from "./eks-inventory";
export { observeThrottling, isThrottlingError, type ThrottleEvent, type ThrottleListener } from "./throttle-observer";
export type { AddonInfo, IamRoleInfo, NodegroupInfo, OidcProviderInfo } from "./inventory-types";

const KEY = Symbol.for("rolegate.aws");

/** One client pool per process, configured from AppConfig (sandbox endpoint or real AWS). */
export function getAwsGateway(config: AppConfig): { eks: EksGateway; identity: IdentityGateway } {
  const holder = globalThis as { [KEY]?: { eks: EksGateway; identity: IdentityGateway } };
  if (!holder[KEY]) {
    const pool = new AwsClientPool({ endpoint: config.sandbox?.awsEndpoint });
    holder[KEY] = { eks: new EksGateway(pool), identity: new IdentityGateway(pool) };
  }
  return holder[KEY];
}
