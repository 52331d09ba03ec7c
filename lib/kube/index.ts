export { KubeGateway, type KubeGatewayOptions } from "./gateway";
export { connectionKubeConfig, fileKubeConfig } from "./config";
export { KubeCallError, type KubeAccess, type KubeConnection, type KubeConnector, type KubeDaemonSet, type KubeNode, type KubePod, type KubeServiceAccount } from "./types";
