export { KubeGateway, type KubeGatewayOptions } from "./gateway";
export { connectionKubeConfig, fileKubeConfig } from "./config";
export { KubeCallError, type KubeAccess, type KubeConnection, type KubeConnector, type KubePod, type KubeServiceAccount } from "./types";
