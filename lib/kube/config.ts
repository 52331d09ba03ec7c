// Builds the KubeConfig for one cluster.
// - eks: the connection the connector gives (DescribeCluster's endpoint and CA,
//   or the sandbox's endpoint) with the EKS token RoleGate minted itself.
// - kubeconfig: the file named by the path, else KUBECONFIG, else ~/.kube/config;
//   the context named like the cluster, or like its ARN (as `aws eks
//   update-kubeconfig` names them).
import { KubeConfig } from "@kubernetes/client-node";
import type { KubeAccess, KubeConnection } from "./types";

export function connectionKubeConfig(clusterName: string, c: KubeConnection): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: clusterName, server: c.server, ...(c.caData ? { caData: c.caData } : {}), skipTLSVerify: c.skipTLSVerify ?? false }],
    users: [{ name: "rolegate", token: c.token }],
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

export async function kubeConfigFor(access: KubeAccess, clusterName: string, clusterArn?: string): Promise<{ kc: KubeConfig; token?: string }> {
  if (access.kind === "kubeconfig") return { kc: fileKubeConfig(clusterName, clusterArn, access.path) };
  const c = await access.connector.connect(clusterName, clusterArn);
  return { kc: connectionKubeConfig(clusterName, c), token: c.token };
}
