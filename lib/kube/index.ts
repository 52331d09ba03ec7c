export { KubeGateway, type KubeGatewayOptions } from "./gateway";
export { SANDBOX_KUBE_TOKEN, fileKubeConfig, sandboxKubeConfig } from "./config";
export { KubeCallError, type KubeAccess, type KubeDaemonSet, type KubeNode, type KubePod, type KubeServiceAccount } from "./types";
