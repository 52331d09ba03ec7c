// Deletes one pod through the Kubernetes API (its controller recreates it).
// A uid precondition keeps a same-named successor (StatefulSet) from being
// deleted in its place; 404 means the pod is already gone.
import { CoreV1Api } from "@kubernetes/client-node";
import { kubeConfigFor } from "./config";
import { toKubeCallError } from "./gateway";
import type { KubeAccess } from "./types";

interface DeletePodInput {
  cluster: string;
  clusterArn?: string;
  namespace: string;
  name: string;
  uid?: string;
  gracePeriodSeconds?: number;
}

export async function deletePod(access: KubeAccess, input: DeletePodInput): Promise<"deleted" | "gone"> {
  let api: CoreV1Api;
  try {
    api = (await kubeConfigFor(access, input.cluster, input.clusterArn)).kc.makeApiClient(CoreV1Api);
  } catch (e) {
    throw toKubeCallError(access.kind === "kubeconfig" ? "kubeconfig" : "connect", input.cluster, e);
  }
  try {
    await api.deleteNamespacedPod({
      name: input.name,
      namespace: input.namespace,
      ...(input.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: input.gracePeriodSeconds } : {}),
      ...(input.uid ? { body: { preconditions: { uid: input.uid } } } : {}),
    });
    return "deleted";
  } catch (e) {
    const err = toKubeCallError("deletePod", input.cluster, e);
    if (err.httpStatus === 404) return "gone";
    throw err;
  }
}
