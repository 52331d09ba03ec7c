export { KubeGateway, type KubeGatewayOptions } from "./gateway";
export { SANDBOX_KUBE_TOKEN, fileKubeConfig, sandboxKubeConfig } from "./config";
export { KubeCallError, type KubeAccess, type KubePod, type KubeServiceAccount } from "./types";
