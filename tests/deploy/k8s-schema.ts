// Offline validation of rendered Kubernetes manifests, two ways that need no API server:
//  - JSON Schema (required fields, types, formats, enums) from kubernetes-models, generated
//    from Kubernetes' OpenAPI; ServiceMonitor from @kubernetes-models/prometheus-operator;
//  - unknown fields (what `kubectl apply --validate=strict` refuses) against the API model of
//    @kubernetes/client-node 1.4 (generated from the Kubernetes 1.33+ OpenAPI): every key must
//    be a field of its type there.
import * as k8s from "@kubernetes/client-node";

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  [key: string]: unknown;
}

type Model = { new (data: unknown): { validate(): void } };

async function schemaModel(apiVersion: string, kind: string): Promise<Model> {
  const path =
    apiVersion.startsWith("monitoring.coreos.com/")
      ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
      : `kubernetes-models/${apiVersion}/${kind}`;
  const mod = (await import(/* @vite-ignore */ path)) as Record<string, Model>;
  const model = mod[kind];
  if (!model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return model;
}

type AttributeMap = { name: string; baseName: string; type: string }[];
type ModelClass = { getAttributeTypeMap(): AttributeMap };
const models = k8s as unknown as Record<string, ModelClass | undefined>;

function unknownFields(value: unknown, type: string, at: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1]!, `${at}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value as object)) unknownFields(v, map[1]!, `${at}.${k}`, out);
    return;
  }
  const model = models[type];
  if (!model?.getAttributeTypeMap || typeof value !== "object" || Array.isArray(value)) return; // a primitive, IntOrString, Quantity
  const fields = model.getAttributeTypeMap();
  for (const [key, v] of Object.entries(value as object)) {
    const field = fields.find((f) => f.baseName === key);
    if (!field) out.push(`${at}.${key}`);
    else unknownFields(v, field.type, `${at}.${key}`, out);
  }
}

/** Problems with one manifest; empty when valid. */
export async function validateManifest(doc: Manifest): Promise<string[]> {
  const name = `${doc.kind}/${doc.metadata?.name ?? "?"}`;
  const problems: string[] = [];
  try {
    new (await schemaModel(doc.apiVersion, doc.kind))(doc).validate();
  } catch (e) {
    problems.push(`${name}: ${(e as Error).message}`);
  }
  const version = doc.apiVersion.split("/").pop()!;
  const typeName = `${version[0]!.toUpperCase()}${version.slice(1)}${doc.kind}`;
  if (models[typeName]) {
    const unknown: string[] = [];
    unknownFields(doc, typeName, doc.kind, unknown);
    for (const u of unknown) problems.push(`${name}: unknown field ${u}`);
  } else if (!doc.apiVersion.startsWith("monitoring.coreos.com/")) {
    problems.push(`${name}: ${doc.apiVersion} ${doc.kind} is not a Kubernetes API type`);
  }
  return problems;
}
