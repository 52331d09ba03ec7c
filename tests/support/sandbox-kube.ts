// Kubernetes access to a test sandbox as the app has it: EKS tokens minted by
// lib/aws from the sandbox credentials, verified by the sandbox's Kubernetes API.
import { AwsClientPool, eksKubeAccess } from "@/lib/aws";
import type { AwsLocation } from "@/lib/aws";
import { CoreV1Api } from "@kubernetes/client-node";
import { kubeConfigFor } from "@/lib/kube/config";
import type { KubeAccess } from "@/lib/kube";

export const SANDBOX_TARGETS: AwsLocation[] = [{ accountId: "111122223333", region: "us-east-1" }];

/** `pool` signs the tokens (default: a new pool on the sandbox, which the caller may leave to the process). */
export function sandboxKubeAccess(sandbox: { awsEndpoint: string; kubeEndpoint: string }, targets: AwsLocation[] = SANDBOX_TARGETS, pool?: AwsClientPool) {
  return eksKubeAccess(pool ?? new AwsClientPool({ endpoint: sandbox.awsEndpoint }), { targets, sandboxKubeEndpoint: sandbox.kubeEndpoint });
}

/** A raw Kubernetes client for one sandbox cluster with RoleGate's access (tests create service accounts and pods with it). */
export async function kubeApi(access: KubeAccess, cluster: string): Promise<CoreV1Api> {
  return (await kubeConfigFor(access, cluster)).kc.makeApiClient(CoreV1Api);
}
