import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiException, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { CallLog, FaultInjector, type SandboxContext } from "@/sandbox/context";
import { createKubeRequestHandler } from "@/sandbox/kube/server";
import type { SandboxCluster } from "@/sandbox/model";
import { buildDemoFleet } from "@/sandbox/seed/fleet";
import { mintEksToken } from "@/lib/aws";

const NOW = new Date("2026-11-01T12:00:00Z");
const ROLE_ARN = "arn:aws:iam::111122223333:role/domino-irsa-ds-team";
let ctx: SandboxContext;
let server: http.Server;
let base: string;
let changes = 0;

/** EKS tokens RoleGate would mint with the sandbox credentials at NOW, per cluster (the sandbox verifies them). */
const tokens: Record<string, string> = {};
const SANDBOX_CREDENTIALS = { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" };

/** A real client for one emulated cluster; token "" means no credentials at all. */
function api(cluster = "domino-green", token = tokens[cluster] ?? ""): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromString(
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      // client-node refuses plain http unless TLS verification is explicitly skipped.
      clusters: [{ name: cluster, cluster: { server: `${base}/clusters/${cluster}`, "insecure-skip-tls-verify": true } }],
      users: [{ name: "u", user: token ? { token } : {} }],
      contexts: [{ name: "c", context: { cluster, user: "u" } }],
      "current-context": "c",
    }),
  );
  return kc.makeApiClient(CoreV1Api);
}

const green = (): SandboxCluster => ctx.world.accounts["111122223333"]!.regions["us-east-1"]!.clusters["domino-green"]!;

async function expectApiError(p: Promise<unknown>, code: number): Promise<ApiException<string>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  expect((err as ApiException<string>).code).toBe(code);
  return err as ApiException<string>;
}

beforeAll(async () => {
  for (const clusterName of ["domino-green", "domino-blue", "domino-purple"]) {
    tokens[clusterName] = (await mintEksToken({ clusterName, region: "us-east-1", credentials: SANDBOX_CREDENTIALS, signingDate: NOW })).token;
  }
  server = http.createServer((req, res) => createKubeRequestHandler(ctx)(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  changes = 0;
  ctx = { world: buildDemoFleet(), faults: new FaultInjector(), calls: new CallLog(), now: () => NOW, changed: () => void changes++ };
});

describe("kube emulator with @kubernetes/client-node", () => {
  it("lists service accounts with their IRSA annotations", async () => {
    const list = await api().listNamespacedServiceAccount({ namespace: "domino-compute" });
    expect(list.kind).toBe("ServiceAccountList");
    const jsmith = list.items.find((s) => s.metadata?.name === "dmuser-jsmith");
    expect(jsmith?.metadata?.annotations?.["eks.amazonaws.com/role-arn"]).toBe(ROLE_ARN);
    expect(list.items.length).toBe(Object.values(green().kube.serviceAccounts).filter((s) => s.namespace === "domino-compute").length);
    const all = await api().listServiceAccountForAllNamespaces({ fieldSelector: "metadata.namespace=kube-system" });
    expect(all.items.map((s) => s.metadata?.name)).toContain("eks-pod-identity-agent");
  });

  it("filters pods by service account and pages with limit/continue", async () => {
    const one = await api().listNamespacedPod({ namespace: "domino-compute", fieldSelector: "spec.serviceAccountName=svc-report-builder" });
    expect(one.items).toHaveLength(2);
    expect(one.items.every((p) => p.spec?.serviceAccountName === "svc-report-builder")).toBe(true);

    const total = Object.values(green().kube.pods).filter((p) => p.namespace === "domino-compute").length;
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await api().listNamespacedPod({ namespace: "domino-compute", limit: 10, _continue: token });
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((p) => p.metadata!.name!));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil(total / 10));
    expect(new Set(seen).size).toBe(total);

    const byLabel = await api().listPodForAllNamespaces({ labelSelector: "app.kubernetes.io/name in (coredns,eks-pod-identity-agent)" });
    expect(byLabel.items.length).toBeGreaterThan(2);
    await expectApiError(api().listNamespacedPod({ namespace: "domino-compute", fieldSelector: "spec.bogus=x" }), 400);
  });

  it("reads one pod in Kubernetes shape", async () => {
    const name = Object.values(green().kube.pods).find((p) => p.serviceAccountName === "svc-etl-nightly")!.name;
    const pod = await api().readNamespacedPod({ namespace: "domino-compute", name });
    expect(pod.metadata?.uid).toBeTruthy();
    expect(pod.metadata?.ownerReferences?.[0]?.kind).toBe("Job");
    expect(pod.status?.phase).toBe("Running");
    const env = pod.spec?.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === "AWS_CONTAINER_CREDENTIALS_FULL_URI")?.value).toBe("http://169.254.170.23/v1/credentials");
  });

  it("sets and removes the IRSA annotation with merge and strategic-merge patches", async () => {
    const patch = (body: object, type: string) =>
      api().patchNamespacedServiceAccount({ namespace: "domino-compute", name: "dmuser-gclark", body }, setHeaderOptions("Content-Type", type));
    const set = await patch({ metadata: { annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN } } }, PatchStrategy.MergePatch);
    expect(set.metadata?.annotations?.["eks.amazonaws.com/role-arn"]).toBe(ROLE_ARN);
    expect(green().kube.serviceAccounts["domino-compute/dmuser-gclark"]!.annotations["eks.amazonaws.com/role-arn"]).toBe(ROLE_ARN);
    const removed = await patch({ metadata: { annotations: { "eks.amazonaws.com/role-arn": null } } }, PatchStrategy.StrategicMergePatch);
    expect(removed.metadata?.annotations?.["eks.amazonaws.com/role-arn"]).toBeUndefined();
    expect(changes).toBe(2);
    // The client's default content type is JSON patch; it works too.
    const jp = await api().patchNamespacedServiceAccount({
      namespace: "domino-compute",
      name: "dmuser-gclark",
      body: [{ op: "add", path: "/metadata/annotations", value: { "eks.amazonaws.com/role-arn": ROLE_ARN } }],
    });
    expect(jp.metadata?.annotations?.["eks.amazonaws.com/role-arn"]).toBe(ROLE_ARN);
    await expectApiError(patch({ metadata: {} }, "application/apply-patch+yaml"), 415);
  });

  it("recreates a deleted owned pod with env reflecting the current association and annotation", async () => {
    const c = green();
    const stale = Object.values(c.kube.pods).find((p) => p.serviceAccountName === "svc-report-builder" && !p.env.some((e) => e.name.startsWith("AWS_CONTAINER")))!;
    // Annotate the SA too, so the replacement must carry both webhooks' env.
    c.kube.serviceAccounts["domino-compute/svc-report-builder"]!.annotations["eks.amazonaws.com/role-arn"] = ROLE_ARN;
    const deleted = await api().deleteNamespacedPod({ namespace: "domino-compute", name: stale.name });
    expect(deleted.metadata?.name).toBe(stale.name);
    expect(deleted.metadata?.deletionTimestamp).toBeTruthy();
    await expectApiError(api().readNamespacedPod({ namespace: "domino-compute", name: stale.name }), 404);

    const pods = await api().listNamespacedPod({ namespace: "domino-compute", fieldSelector: "spec.serviceAccountName=svc-report-builder" });
    const fresh = pods.items.find((p) => p.metadata?.ownerReferences?.[0]?.name === stale.ownerName)!;
    expect(fresh.metadata?.name).not.toBe(stale.name);
    expect(fresh.metadata?.uid).not.toBe(stale.uid);
    expect(new Date(fresh.metadata!.creationTimestamp!).toISOString()).toBe(NOW.toISOString());
    const env = Object.fromEntries((fresh.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe("http://169.254.170.23/v1/credentials");
    expect(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).toBe("/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token");
    expect(env.AWS_ROLE_ARN).toBe(ROLE_ARN);
    expect(env.DOMINO_RUN_ID).toBe(stale.env.find((e) => e.name === "DOMINO_RUN_ID")!.value);
    expect(changes).toBe(1);
  });

  it("gives a replacement no Pod Identity env once the association is gone", async () => {
    const c = green();
    const assoc = Object.values(c.associations).find((a) => a.serviceAccount === "svc-etl-nightly")!;
    delete c.associations[assoc.associationId];
    const old = Object.values(c.kube.pods).find((p) => p.serviceAccountName === "svc-etl-nightly")!;
    await api().deleteNamespacedPod({ namespace: "domino-compute", name: old.name });
    const fresh = Object.values(c.kube.pods).find((p) => p.serviceAccountName === "svc-etl-nightly" && p.creationTimestamp === "2026-11-01T12:00:00Z")!;
    expect(fresh.env.some((e) => e.name.startsWith("AWS_"))).toBe(false);
  });

  it("answers 404 Status for unknown pods, namespaces, clusters and paths", async () => {
    const err = await expectApiError(api().readNamespacedPod({ namespace: "domino-compute", name: "nope" }), 404);
    const status = JSON.parse(err.body);
    expect(status).toMatchObject({ kind: "Status", status: "Failure", reason: "NotFound", code: 404, details: { name: "nope", kind: "pods" } });
    await expectApiError(api().readNamespace({ name: "no-such-ns" }), 404);
    await expectApiError(api("domino-purple").listNamespace(), 404);
    const raw = await fetch(`${base}/clusters/domino-green/api/v1/configmaps`, { headers: { Authorization: `Bearer ${tokens["domino-green"]}` } });
    expect(raw.status).toBe(404);
    expect((await raw.json()).kind).toBe("Status");
  });

  it("creates a service account (201), refuses a duplicate (409 AlreadyExists), a bad name (422 Invalid) and an unknown namespace (404), and deletes it (200, then 404)", async () => {
    const sa = await api().createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "dmjob-new", labels: { "dominodatalab.com/project": "churn" } } } });
    expect(sa).toMatchObject({ kind: "ServiceAccount", metadata: { name: "dmjob-new", namespace: "domino-compute", labels: { "dominodatalab.com/project": "churn" } } });
    expect(sa.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(green().kube.serviceAccounts["domino-compute/dmjob-new"]).toBeDefined();
    expect(ctx.calls.list({ operation: "kube:createServiceAccount" })[0]).toMatchObject({ status: 201, cluster: "domino-green" });
    expect(changes).toBe(1);

    const dup = JSON.parse((await expectApiError(api().createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "dmjob-new" } } }), 409)).body);
    expect(dup).toMatchObject({ kind: "Status", reason: "AlreadyExists", message: 'serviceaccounts "dmjob-new" already exists', details: { name: "dmjob-new", kind: "serviceaccounts" } });
    const bad = JSON.parse((await expectApiError(api().createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "Bad_Name" } } }), 422)).body);
    expect(bad).toMatchObject({ reason: "Invalid", details: { kind: "ServiceAccount", causes: [{ field: "metadata.name", reason: "FieldValueInvalid" }] } });
    expect(bad.message).toMatch(/^ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    await expectApiError(api().createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: {} } }), 422);
    await expectApiError(api().createNamespacedServiceAccount({ namespace: "no-such-ns", body: { metadata: { name: "x" } } }), 404);
    await expectApiError(api().createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "x", namespace: "kube-system" } } }), 400);
    // A dry run answers the object and stores nothing.
    await api().createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "dmjob-dry" } }, dryRun: "All" });
    expect(green().kube.serviceAccounts["domino-compute/dmjob-dry"]).toBeUndefined();

    const gone = await api().deleteNamespacedServiceAccount({ namespace: "domino-compute", name: "dmjob-new" });
    expect(gone.metadata?.name).toBe("dmjob-new");
    await expectApiError(api().readNamespacedServiceAccount({ namespace: "domino-compute", name: "dmjob-new" }), 404);
    await expectApiError(api().deleteNamespacedServiceAccount({ namespace: "domino-compute", name: "dmjob-new" }), 404);
    expect(changes).toBe(2);
  });

  it("creates pods as admission and the webhooks would: 403 without the service account, Pod Identity env only with an association", async () => {
    const forbidden = JSON.parse((await expectApiError(api().createNamespacedPod({ namespace: "domino-compute", body: { metadata: { name: "run-1" }, spec: { serviceAccountName: "dmjob-none", containers: [{ name: "run", image: "x" }] } } }), 403)).body);
    expect(forbidden.message).toBe('pods "run-1" is forbidden: error looking up service account domino-compute/dmjob-none: serviceaccount "dmjob-none" not found');
    await expectApiError(api().createNamespacedPod({ namespace: "domino-compute", body: { metadata: { name: "run-1" }, spec: { serviceAccountName: "svc-etl-nightly", containers: [] } } }), 422);

    await api().createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "dmjob-fresh" } } });
    const pod = await api().createNamespacedPod({ namespace: "domino-compute", body: { metadata: { generateName: "run-" }, spec: { serviceAccountName: "dmjob-fresh", containers: [{ name: "run", image: "x", env: [{ name: "DOMINO_RUN_ID", value: "r1" }] }] } } });
    expect(pod.metadata?.name).toMatch(/^run-[a-z0-9]{5}$/);
    expect(pod.status?.phase).toBe("Running");
    expect((pod.spec?.containers[0]?.env ?? []).map((e) => e.name)).toEqual(["DOMINO_RUN_ID"]);
    await expectApiError(api().createNamespacedPod({ namespace: "domino-compute", body: { metadata: { name: pod.metadata!.name! }, spec: { serviceAccountName: "dmjob-fresh", containers: [{ name: "run" }] } } }), 409);

    const mapped = await api().createNamespacedPod({ namespace: "domino-compute", body: { metadata: { name: "etl-extra" }, spec: { serviceAccountName: "svc-etl-nightly", containers: [{ name: "run" }] } } });
    expect((mapped.spec?.containers[0]?.env ?? []).some((e) => e.name === "AWS_CONTAINER_CREDENTIALS_FULL_URI")).toBe(true);
    expect(ctx.calls.list({ operation: "kube:createPod" }).map((c) => c.status)).toEqual([403, 422, 201, 409, 201]);
  });

  it("requires a bearer token", async () => {
    await expectApiError(api("domino-green", "").listNamespace(), 401);
    // client-node drops the body of a 401, so read the Status raw.
    const raw = await fetch(`${base}/clusters/domino-green/api/v1/namespaces`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    expect(ctx.calls.list({ operation: "kube:listNamespaces" })[0]).toMatchObject({ status: 401, errorCode: "Unauthorized" });
  });

  it("throttles with 429 and Retry-After, and injects 5xx, logging each call", async () => {
    ctx.faults.configure({ throttle: { "kube:listPods": { ratePerSecond: 0.001, burst: 1 } }, failNext: { "kube:getNamespace": 1 } });
    await api().listNamespacedPod({ namespace: "domino-compute" });
    const err = await expectApiError(api().listNamespacedPod({ namespace: "domino-compute" }), 429);
    expect(err.headers["retry-after"]).toBe("1");
    expect(JSON.parse(err.body).reason).toBe("TooManyRequests");
    const fivexx = await api().readNamespace({ name: "domino-compute" }).catch((e: ApiException<string>) => e);
    expect(fivexx).toBeInstanceOf(ApiException);
    expect([500, 503]).toContain((fivexx as ApiException<string>).code);
    const calls = ctx.calls.list({ service: "kube" });
    expect(calls.map((c) => [c.operation, c.status, c.injected])).toEqual([
      ["kube:listPods", 200, undefined],
      ["kube:listPods", 429, "throttle"],
      ["kube:getNamespace", (fivexx as ApiException<string>).code, "5xx"],
    ]);
    expect(calls[0]).toMatchObject({ cluster: "domino-green", accountId: "111122223333", region: "us-east-1" });
  });

  it("serves kubectl-style discovery", async () => {
    const get = (p: string) => fetch(`${base}/clusters/domino-blue${p}`, { headers: { Authorization: `Bearer ${tokens["domino-blue"]}` } }).then((r) => r.json());
    expect(await get("/api")).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    expect(await get("/version")).toMatchObject({ major: "1", minor: "29+" });
    const resources = (await get("/api/v1")).resources.map((r: { name: string }) => r.name);
    expect(resources).toEqual(expect.arrayContaining(["pods", "serviceaccounts", "namespaces"]));
    expect(ctx.calls.list({ operation: "kube:discovery" })).toHaveLength(3);
  });
});


const hasKubectl = await promisify(execFile)("kubectl", ["version", "--client"]).then(() => true, () => false);

describe.skipIf(!hasKubectl)("kube emulator with kubectl", () => {
  it("lists, annotates and deletes like against EKS (anonymous mode, since kubectl sends no token over http)", async () => {
    const anon = http.createServer((req, res) => createKubeRequestHandler(ctx, { allowAnonymous: true })(req, res));
    await new Promise<void>((r) => anon.listen(0, "127.0.0.1", r));
    const dir = mkdtempSync(path.join(tmpdir(), "kubectl-"));
    const kubeconfig = path.join(dir, "config");
    const server = `http://127.0.0.1:${(anon.address() as AddressInfo).port}/clusters/domino-green`;
    writeFileSync(kubeconfig, JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: "g", cluster: { server } }], users: [{ name: "u", user: {} }], contexts: [{ name: "c", context: { cluster: "g", user: "u" } }], "current-context": "c" }));
    const kubectl = async (...args: string[]) => (await promisify(execFile)("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", dir, ...args])).stdout;
    try {
      expect(await kubectl("-n", "domino-compute", "get", "sa", "dmuser-jsmith", "-o", "jsonpath={.metadata.annotations}")).toContain(ROLE_ARN);
      await kubectl("-n", "domino-compute", "annotate", "sa", "dmuser-gclark", `eks.amazonaws.com/role-arn=${ROLE_ARN}`);
      expect(green().kube.serviceAccounts["domino-compute/dmuser-gclark"]!.annotations["eks.amazonaws.com/role-arn"]).toBe(ROLE_ARN);
      const names = (await kubectl("-n", "domino-compute", "get", "pods", "--field-selector", "spec.serviceAccountName=svc-etl-nightly", "-o", "name")).trim().split("\n");
      expect(names.length).toBeGreaterThan(0);
      await kubectl("-n", "domino-compute", "delete", names[0]!, "--wait=false");
      const after = await kubectl("get", "pods", "-A", "--chunk-size=15", "-o", "name");
      expect(after).not.toContain(names[0]!);
      expect(after.trim().split("\n")).toHaveLength(Object.keys(green().kube.pods).length);
    } finally {
      await new Promise<void>((r) => anon.close(() => r()));
    }
  });
});
