// Builds the KubeConfig for one cluster.
// - sandbox: server <kubeEndpoint>/clusters/<name>, the sandbox bearer token, and
//   insecure-skip-tls-verify (client-node refuses plain http otherwise).
// - kubeconfig: the file named by the path, else KUBECONFIG, else ~/.kube/config;
//   the context named like the cluster, or like its ARN (as `aws eks
//   update-kubeconfig` names them).
// Limitation (future work): RoleGate does not mint EKS tokens itself (STS
// GetCallerIdentity presigned URL, "k8s-aws-v1." prefix). In aws mode the
// kubeconfig's user must supply credentials, e.g. the `aws eks get-token` exec
// plugin that `aws eks update-kubeconfig` writes, which client-node runs.
import { KubeConfig } from "@kubernetes/client-node";
import type { KubeAccess } from "./types";

export const SANDBOX_KUBE_TOKEN = "sandbox-token";

export function sandboxKubeConfig(kubeEndpoint: string, clusterName: string, token = SANDBOX_KUBE_TOKEN): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: clusterName, server: `${kubeEndpoint.replace(/\/+$/, "")}/clusters/${encodeURIComponent(clusterName)}`, skipTLSVerify: true }],
    users: [{ name: "rolegate", token }],
    contexts: [{ name: clusterName, cluster: clusterName, user: "rolegate" }],
    currentContext: clusterName,
  });
  return kc;
}

export function fileKubeConfig(clusterName: string, clusterArn: string | undefined, file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  const contexts = kc.getContexts();
  const match =
    contexts.find((c) => c.name === clusterName) ??
    (clusterArn ? contexts.find((c) => c.name === clusterArn || c.cluster === clusterArn) : undefined) ??
    contexts.find((c) => c.cluster === clusterName);
  if (!match) {
    throw new Error(
      `no kubeconfig context for cluster ${clusterName}${clusterArn ? ` (${clusterArn})` : ""}: run "aws eks update-kubeconfig --name ${clusterName}" or set KUBECONFIG`,
    );
  }
  kc.setCurrentContext(match.name);
  return kc;
}

export function kubeConfigFor(access: KubeAccess, clusterName: string, clusterArn?: string): KubeConfig {
  return access.kind === "sandbox"
    ? sandboxKubeConfig(access.kubeEndpoint, clusterName, access.token)
    : fileKubeConfig(clusterName, clusterArn, access.path);
}
