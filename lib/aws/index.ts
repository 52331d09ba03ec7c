export { AwsCallError } from "./types";
export type { AssociationDetail, AssociationSummary, AwsLocation, ClusterInfo } from "./types";
export { EksGateway } from "./eks";
export { IdentityGateway } from "./identity";
export { AwsClientPool } from "./clients";
export { IamGateway, decodePolicyDocument } from "./iam";
export { EksInventoryGateway, POD_IDENTITY_AGENT_ADDON } from "./eks-inventory";
export { observeThrottling, isThrottlingError, type ThrottleEvent, type ThrottleListener } from "./throttle-observer";
export type { AddonInfo, IamRoleInfo, NodegroupInfo, OidcProviderInfo } from "./inventory-types";

