export { textDiff } from "./diff";
export { readPolicy, formatPolicy, type RawPolicy, type RawStatement } from "./policy-json";
export { podIdentityTrustStatement, podIdentityTrustPolicy, correctPodIdentityTrust, type PodIdentityTrustOptions, type CorrectionOptions } from "./pod-identity-trust";
export { nodeRolePodIdentityPolicy, correctNodeRolePolicy, exhaustiveResources, POD_IDENTITY_NODE_ACTION, type NodePolicyCorrection } from "./node-role-policy";
export { abacPermissionPolicyExample, type AbacExampleOptions } from "./abac";
export { addIrsaSubject, exactSubjects, removeProviders, irsaTrustStatement, subjectOf } from "./irsa-trust";
