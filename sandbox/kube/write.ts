// Mutating handlers: annotation/label patches on service accounts, and pod
// deletion followed by the owner controller's replacement pod, which the
// webhooks mutate according to the mappings that exist NOW.
import type { SandboxCluster, SandboxPod, SandboxServiceAccount } from "../model";
import { isoSeconds, kubeSuffix, uuidFrom } from "../seed/ids";
import { podJson } from "./objects";
import { getPod, getServiceAccount } from "./read";
import { KubeError, badRequest } from "./status";
import { IRSA_ANNOTATION, webhookEnv, withoutWebhookEnv } from "./webhook";

type StringMap = Record<string, string>;

const invalid = (message: string) => new KubeError(422, "Invalid", message);

function mergeMap(current: StringMap, patch: unknown, field: string): StringMap {
  if (patch === null) return {};
  if (patch === undefined) return current;
  if (typeof patch !== "object" || Array.isArray(patch)) throw badRequest(`metadata.${field}: must be an object`);
  const next = { ...current };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete next[k];
    else if (typeof v === "string") next[k] = v;
    else throw badRequest(`metadata.${field}.${k}: must be a string`);
  }
  return next;
}

/** RFC 6902 ops on /metadata/annotations and /metadata/labels, the only fields the sandbox lets clients change. */
function applyJsonPatch(sa: { annotations: StringMap; labels: StringMap }, ops: unknown) {
  if (!Array.isArray(ops)) throw badRequest("json patch must be an array of operations");
  for (const raw of ops as { op?: string; path?: string; value?: unknown }[]) {
    const m = raw.path?.match(/^\/metadata\/(annotations|labels)(?:\/(.+))?$/);
    if (!m) throw invalid(`the sandbox only patches metadata.annotations and metadata.labels, not ${raw.path}`);
    const field = m[1] as "annotations" | "labels";
    const key = m[2]?.replace(/~1/g, "/").replace(/~0/g, "~");
    if (raw.op === "remove") {
      if (key === undefined) sa[field] = {};
      else if (!(key in sa[field])) throw invalid(`jsonpatch remove operation does not apply: doc is missing key: ${raw.path}`);
      else delete sa[field][key];
    } else if (raw.op === "add" || raw.op === "replace") {
      if (key === undefined) sa[field] = mergeMap({}, raw.value, field);
      else if (typeof raw.value !== "string") throw badRequest(`${raw.path}: value must be a string`);
      else if (raw.op === "replace" && !(key in sa[field])) throw invalid(`jsonpatch replace operation does not apply: doc is missing key: ${raw.path}`);
      else sa[field][key] = raw.value;
    } else throw invalid(`unsupported json patch operation ${raw.op}`);
  }
}

export function patchServiceAccount(
  cluster: SandboxCluster,
  namespace: string,
  name: string,
  contentType: string,
  body: string,
  dryRun: boolean,
): SandboxServiceAccount {
  const sa = getServiceAccount(cluster, namespace, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badRequest("error decoding patch: invalid JSON");
  }
  const next = { annotations: { ...sa.annotations }, labels: { ...sa.labels } };
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/merge-patch+json" || type === "application/strategic-merge-patch+json") {
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest("merge patch must be a JSON object");
    const meta = (parsed as { metadata?: { annotations?: unknown; labels?: unknown } }).metadata;
    if (meta === null) throw invalid("metadata: Required value");
    next.annotations = mergeMap(next.annotations, meta?.annotations, "annotations");
    next.labels = mergeMap(next.labels, meta?.labels, "labels");
  } else if (type === "application/json-patch+json") {
    applyJsonPatch(next, parsed);
  } else {
    throw new KubeError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
  }
  if (dryRun) return { ...sa, ...next };
  sa.annotations = next.annotations;
  sa.labels = next.labels;
  return sa;
}

/** What the owning controller creates after a pod is deleted (or nothing, for finished Job pods). */
function replacementPod(cluster: SandboxCluster, old: SandboxPod, now: Date): SandboxPod | undefined {
  if (!old.ownerKind || !old.ownerName) return undefined;
  if (old.ownerKind === "Job" && (old.phase === "Succeeded" || old.phase === "Failed")) return undefined;
  // Admission refuses pods whose service account does not exist, so the controller cannot recreate it.
  const sa = cluster.kube.serviceAccounts[`${old.namespace}/${old.serviceAccountName}`];
  if (!sa) return undefined;
  let name = old.name;
  for (let i = 0; old.ownerKind !== "StatefulSet" && (name === old.name || cluster.kube.pods[`${old.namespace}/${name}`]); i++) {
    name = `${old.ownerName}-${kubeSuffix(cluster.name, old.namespace, old.ownerName, now.toISOString(), old.uid, String(i))}`;
  }
  const hasAssociation = Object.values(cluster.associations).some(
    (a) => a.namespace === old.namespace && a.serviceAccount === old.serviceAccountName,
  );
  const created = isoSeconds(now);
  return {
    ...old,
    name,
    uid: uuidFrom("pod", cluster.name, old.namespace, name, created, old.uid),
    creationTimestamp: created,
    labels: { ...old.labels },
    phase: "Running",
    env: [
      ...withoutWebhookEnv(old.env),
      ...webhookEnv({ podIdentity: hasAssociation, irsaRoleArn: sa.annotations[IRSA_ANNOTATION], region: cluster.region }),
    ],
  };
}

/** Deletes the pod and returns it as the API server does (with deletionTimestamp set). */
export function deletePod(cluster: SandboxCluster, namespace: string, name: string, now: Date, gracePeriodSeconds = 30) {
  const pod = getPod(cluster, namespace, name);
  // Terminating pods vanish at once: the sandbox has no kubelet to wait for.
  delete cluster.kube.pods[`${namespace}/${name}`];
  const replacement = replacementPod(cluster, pod, now);
  if (replacement) cluster.kube.pods[`${namespace}/${replacement.name}`] = replacement;
  return podJson(pod, cluster.name, { deletionTimestamp: isoSeconds(now), deletionGracePeriodSeconds: gracePeriodSeconds });
}
