// Test/bench helper: turns a sandbox world into the InventorySnapshot the
// scanner would produce from it (trust policies decoded, credential env of
// pods, add-on flag, node roles' inline policies). Not for app code paths.
import type { SandboxCluster, SandboxWorld } from "@/sandbox/model";
import type { InventorySnapshot, SnapshotCluster, SnapshotRole } from "@/lib/inventory/snapshot-types";

export const POD_IDENTITY_AGENT_ADDON = "eks-pod-identity-agent";

/** Env vars the webhooks inject that tell which credentials a pod got. */
const CREDENTIAL_ENV = new Set([
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
]);

function toCluster(c: SandboxCluster): SnapshotCluster {
  return {
    accountId: c.accountId,
    region: c.region,
    name: c.name,
    arn: c.arn,
    status: c.status,
    version: c.version,
    oidcIssuer: c.oidcIssuer,
    createdAt: c.createdAt,
    podIdentityAgentInstalled: POD_IDENTITY_AGENT_ADDON in c.addons,
    autoMode: c.autoMode?.enabled === true,
    fargateProfiles: Object.values(c.fargateProfiles ?? {}).map((f) => ({ name: f.fargateProfileName, selectors: f.selectors.map((sel) => ({ ...sel })) })),
    nodes: Object.values(c.kube.nodes ?? {}).map((n) => ({ name: n.name, labels: { ...n.labels }, ready: n.ready })),
    agentDaemonSet: agentDaemonSetOf(c),
    nodegroups: Object.values(c.nodegroups).map((ng) => ({ name: ng.nodegroupName, nodeRoleArn: ng.nodeRole, ...(ng.amiType ? { amiType: ng.amiType } : {}) })),
    associations: Object.values(c.associations).map((a) => ({
      associationId: a.associationId,
      associationArn: a.associationArn,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: a.roleArn,
      ...(a.targetRoleArn !== undefined ? { targetRoleArn: a.targetRoleArn } : {}),
      ...(a.externalId !== undefined ? { externalId: a.externalId } : {}),
      disableSessionTags: a.disableSessionTags,
      ...(a.policy !== undefined ? { policy: a.policy } : {}),
      ...(a.ownerArn !== undefined ? { ownerArn: a.ownerArn } : {}),
      tags: { ...a.tags },
      createdAt: a.createdAt,
      modifiedAt: a.modifiedAt,
    })),
    serviceAccounts: Object.values(c.kube.serviceAccounts).map((sa) => ({
      namespace: sa.namespace,
      name: sa.name,
      creationTimestamp: sa.creationTimestamp,
      annotations: { ...sa.annotations },
    })),
    pods: Object.values(c.kube.pods).map((p) => ({
      namespace: p.namespace,
      name: p.name,
      uid: p.uid,
      serviceAccountName: p.serviceAccountName,
      creationTimestamp: p.creationTimestamp,
      phase: p.phase,
      credentialEnv: Object.fromEntries(p.env.filter((e) => CREDENTIAL_ENV.has(e.name)).map((e) => [e.name, e.value])),
      ...(p.ownerKind !== undefined ? { ownerKind: p.ownerKind } : {}),
      ...(p.ownerName !== undefined ? { ownerName: p.ownerName } : {}),
      nodeName: p.nodeName,
      labels: { ...p.labels },
      ready: p.ready ?? p.phase === "Running",
    })),
  };
}

function agentDaemonSetOf(c: SandboxCluster): SnapshotCluster["agentDaemonSet"] {
  const ds = c.kube.daemonSets?.[`kube-system/${POD_IDENTITY_AGENT_ADDON}`];
  if (!ds) return null;
  const pods = Object.values(c.kube.pods).filter((p) => p.ownerKind === "DaemonSet" && p.ownerName === ds.name);
  return { name: ds.name, nodeSelector: { ...ds.nodeSelector }, desired: pods.length, ready: pods.filter((p) => p.ready ?? p.phase === "Running").length, labels: { ...ds.labels } };
}

export function worldToSnapshot(world: SandboxWorld, scannedAt = new Date().toISOString()): InventorySnapshot {
  const accounts = Object.values(world.accounts);
  const roles: SnapshotRole[] = accounts.flatMap((acct) =>
    Object.values(acct.roles).map((r) => ({
      accountId: acct.accountId,
      roleName: r.roleName,
      arn: r.arn,
      path: r.path,
      createDate: r.createDate,
      trustPolicy: r.assumeRolePolicyDocument,
      inlinePolicies: { ...r.inlinePolicies },
      attachedPolicyArns: r.attachedPolicies.map((p) => p.policyArn),
      tags: Object.fromEntries(r.tags.map((t) => [t.Key, t.Value])),
    })),
  );
  return {
    scannedAt,
    accounts: accounts.map((a) => ({ accountId: a.accountId, regions: Object.keys(a.regions) })),
    clusters: accounts.flatMap((a) => Object.values(a.regions).flatMap((r) => Object.values(r.clusters).map(toCluster))),
    roles,
    oidcProviders: accounts.flatMap((a) =>
      Object.values(a.oidcProviders).map((p) => ({ accountId: a.accountId, arn: p.arn, url: p.url, clientIds: [...p.clientIdList] })),
    ),
    errors: [],
  };
}
