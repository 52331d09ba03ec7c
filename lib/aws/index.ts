// lib/aws: the only code that imports the AWS SDK, one file per service —
// clients.ts (the client pool, throttle observation), eks.ts, iam.ts, sts.ts,
// errors.ts, types.ts (plain data out), light-get.ts and sigv4-get.ts (the scanner's per-association Describe without the SDK's middleware stack, and its signature), eks-token.ts (the EKS bearer token, minted),
// kube-connector.ts (a cluster's endpoint and token for lib/kube), eks-access-entries.ts, events-queue.ts (SQS: the change-events queue) — plus requests-gateway.ts, the request
// workflow's reads and writes as one object. The process's pool is built in lib/runtime.ts.
export { AwsCallError } from "./types";
export type { AddonInfo, AssociationDetail, AssociationSummary, AwsLocation, ClusterInfo, FargateProfileInfo, IamRoleInfo, NodegroupInfo, OidcProviderInfo, RoleLastUsed } from "./types";
export { AwsClientPool, observeThrottling, isThrottlingError, type ThrottleEvent, type ThrottleListener } from "./clients";
export { EksGateway, EksInventoryGateway, POD_IDENTITY_AGENT_ADDON } from "./eks";
export { IamGateway, decodePolicyDocument } from "./iam";
export { IdentityGateway } from "./sts";
export { EksAccessGateway, type AccessEntryInfo } from "./eks-access-entries";
export { EksKubeConnector, eksKubeAccess, kubeAccessFromConfig, type ClusterConnection, type KubeConnectorOptions } from "./kube-connector";
export { EventsQueueGateway, queueRegion, type QueueMessage } from "./events-queue";
export { EKS_TOKEN_PREFIX, EksTokenCache, mintEksToken, type EksToken } from "./eks-token";
