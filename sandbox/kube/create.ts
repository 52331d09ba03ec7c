// Creating service accounts and pods, and deleting service accounts, answered as
// the API server answers them: 201 with the object, 409 AlreadyExists, 404 for a
// missing namespace or object, 422 Invalid (with causes) for a bad name or a pod
// without containers, 400 for a body of another kind or namespace, and 403 from
// the ServiceAccount admission plugin for a pod whose service account is missing.
// A created pod is mutated by the webhooks as the mappings are NOW (webhook.ts).
import type { SandboxCluster, SandboxPod, SandboxServiceAccount } from "../model";
import { isoSeconds, kubeSuffix, uuidFrom } from "../seed/ids";
import { podJson, serviceAccountJson } from "./objects";
import { getServiceAccount } from "./read";
import { KubeError, badRequest, notFound } from "./status";
import { IRSA_ANNOTATION, webhookEnv, withoutWebhookEnv, type EnvVar } from "./webhook";

/** What a handler answers with 201 Created instead of 200. */
export class Created {
  constructor(readonly body: unknown) {}
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

interface Meta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind?: string; name?: string }[];
}
interface Body {
  kind?: string;
  metadata?: Meta;
  spec?: { serviceAccountName?: string; serviceAccount?: string; nodeName?: string; containers?: { name?: string; env?: EnvVar[] }[] };
}

function invalid(kind: string, name: string, field: string, detail: string): KubeError {
  const message = `${field}: ${detail}`;
  return new KubeError(422, "Invalid", `${kind} "${name}" is invalid: ${message}`, { name, kind, causes: [{ reason: detail.startsWith("Required") ? "FieldValueRequired" : "FieldValueInvalid", message: detail, field }] });
}

function parse(body: string, kind: string, namespace: string): Body & { metadata: Meta } {
  let parsed: Body;
  try {
    parsed = JSON.parse(body) as Body;
  } catch {
    throw badRequest(`error decoding ${kind}: invalid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest(`the body must be a ${kind} object`);
  if (parsed.kind !== undefined && parsed.kind !== kind) throw badRequest(`the API version in the data (v1) does not match the expected kind: got ${parsed.kind}, want ${kind}`);
  const meta = parsed.metadata ?? {};
  if (meta.namespace && meta.namespace !== namespace) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  return { ...parsed, metadata: meta };
}

/** The object's name: metadata.name, or generateName plus five characters; 422 unless a valid subdomain. */
function nameOf(meta: Meta, kind: string, seed: string[]): string {
  const name = meta.name || (meta.generateName ? `${meta.generateName}${kubeSuffix(...seed, meta.generateName)}` : "");
  if (!name) throw invalid(kind, "", "metadata.name", "Required value: name or generateName is required");
  if (name.length > 253 || !SUBDOMAIN.test(name)) throw invalid(kind, name, "metadata.name", `Invalid value: "${name}": ${SUBDOMAIN_MESSAGE}`);
  return name;
}

const stringMap = (m: unknown, field: string): Record<string, string> => {
  if (m === undefined || m === null) return {};
  if (typeof m !== "object" || Array.isArray(m) || Object.values(m).some((v) => typeof v !== "string")) throw badRequest(`${field}: must be a map of strings`);
  return { ...(m as Record<string, string>) };
};

function requireNamespace(cluster: SandboxCluster, namespace: string): void {
  if (!cluster.kube.namespaces[namespace]) throw notFound("namespaces", namespace);
}

export function createServiceAccount(cluster: SandboxCluster, namespace: string, body: string, now: Date, dryRun: boolean): Created {
  const parsed = parse(body, "ServiceAccount", namespace);
  requireNamespace(cluster, namespace);
  const name = nameOf(parsed.metadata, "ServiceAccount", [cluster.name, namespace, now.toISOString()]);
  const key = `${namespace}/${name}`;
  if (cluster.kube.serviceAccounts[key]) throw new KubeError(409, "AlreadyExists", `serviceaccounts "${name}" already exists`, { name, kind: "serviceaccounts" });
  const created = isoSeconds(now);
  const sa: SandboxServiceAccount = {
    namespace, name, uid: uuidFrom("sa", cluster.name, namespace, name, created), creationTimestamp: created,
    labels: stringMap(parsed.metadata.labels, "metadata.labels"), annotations: stringMap(parsed.metadata.annotations, "metadata.annotations"),
  };
  if (!dryRun) cluster.kube.serviceAccounts[key] = sa;
  return new Created(serviceAccountJson(sa));
}

/** Deletes the service account (its pods keep running, as on a real cluster) and answers the deleted object. */
export function deleteServiceAccount(cluster: SandboxCluster, namespace: string, name: string, dryRun: boolean) {
  const sa = getServiceAccount(cluster, namespace, name);
  if (!dryRun) delete cluster.kube.serviceAccounts[`${namespace}/${name}`];
  return serviceAccountJson(sa);
}

export function createPod(cluster: SandboxCluster, namespace: string, body: string, now: Date, dryRun: boolean): Created {
  const parsed = parse(body, "Pod", namespace);
  requireNamespace(cluster, namespace);
  const name = nameOf(parsed.metadata, "Pod", [cluster.name, namespace, now.toISOString()]);
  const containers = parsed.spec?.containers;
  if (!Array.isArray(containers) || !containers.length) throw invalid("Pod", name, "spec.containers", "Required value");
  if (cluster.kube.pods[`${namespace}/${name}`]) throw new KubeError(409, "AlreadyExists", `pods "${name}" already exists`, { name, kind: "pods" });
  const saName = parsed.spec?.serviceAccountName || parsed.spec?.serviceAccount || "default";
  // The ServiceAccount admission plugin refuses a pod whose service account does not exist.
  const sa = cluster.kube.serviceAccounts[`${namespace}/${saName}`];
  if (!sa) {
    throw new KubeError(403, "Forbidden", `pods "${name}" is forbidden: error looking up service account ${namespace}/${saName}: serviceaccount "${saName}" not found`, { name, kind: "pods" });
  }
  const podIdentity = Object.values(cluster.associations).some((a) => a.namespace === namespace && a.serviceAccount === saName);
  const owner = parsed.metadata.ownerReferences?.[0];
  const created = isoSeconds(now);
  const nodeName = parsed.spec?.nodeName ?? Object.keys(cluster.kube.nodes ?? {}).sort()[0] ?? "";
  const pod: SandboxPod = {
    namespace, name, uid: uuidFrom("pod", cluster.name, namespace, name, created), creationTimestamp: created, serviceAccountName: saName,
    labels: stringMap(parsed.metadata.labels, "metadata.labels"), ...(owner?.kind && owner.name ? { ownerKind: owner.kind, ownerName: owner.name } : {}),
    // No scheduler or kubelet to wait for: the pod runs at once.
    phase: "Running", nodeName,
    env: [...withoutWebhookEnv(containers[0]!.env ?? []), ...webhookEnv({ podIdentity, irsaRoleArn: sa.annotations[IRSA_ANNOTATION], region: cluster.region })],
  };
  if (!dryRun) cluster.kube.pods[`${namespace}/${name}`] = pod;
  return new Created(podJson(pod, cluster.name));
}
