// Standing approvals through /api/v1 on the app's runtime (real database and
// sandbox): a template filed as an item of POST /api/v1/requests, its dry run,
// approval, the mapping a refresh makes (the runtime wires the matching after
// every refresh), the list, and the revocation with its permission.
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as approve from "@/app/api/v1/requests/[id]/approve/route";
import * as requests from "@/app/api/v1/requests/route";
import * as refresh from "@/app/api/v1/mappings/refreshes/[id]/route";
import * as refreshes from "@/app/api/v1/mappings/refreshes/route";
import * as templates from "@/app/api/v1/templates/route";
import * as template from "@/app/api/v1/templates/[id]/route";
import * as mappings from "@/app/api/v1/templates/[id]/mappings/route";
import * as revocations from "@/app/api/v1/templates/[id]/revocations/route";
import { PI_ROLE } from "../support/constants";
import { runner, sandboxAssociations } from "../support/requests";
import { kubeApi } from "../support/sandbox-kube";
import { call, useApiWorld, until } from "./support";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("../support/app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("../support/app-harness")).dbMock);
vi.mock("@/lib/config", async (orig) => (await import("../support/app-harness")).configMock(await orig()));

const w = useApiWorld();
const body = { kind: "template", name: "api-jobs", clusters: ["domino-green"], namespace: "domino-compute", serviceAccountPattern: "apijob-*", roleArn: PI_ROLE, maxMappings: 5, mappingTtlDays: 30 };

async function refreshNow() {
  const r = await call(refreshes.POST, "admin", { body: {} });
  expect(r.status).toBe(202);
  await until(() => call(refresh.GET, "admin", { params: { id: r.body.refreshId } }), (x) => x.body.status !== "running");
}

beforeAll(async () => {
  await refreshNow();
  const k8s = await kubeApi(w.kubeAccess, "domino-green");
  await k8s.createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "apijob-1" } } });
}, 120_000);

describe("templates over /api/v1", () => {
  let requestId = "";
  let templateId = "";

  it("POST /api/v1/requests with kind template files version 1 (201); a bad one is a 400 naming the fields; an auditor gets 403", async () => {
    const bad = await call(requests.POST, "requester", { body: { ...body, clusters: [], roleArn: "nope" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["clusters", "roleArn"]);
    expect((await call(requests.POST, "auditor", { body })).status).toBe(403);
    expect(await w.prisma.associationTemplate.count()).toBe(0);

    const res = await call(requests.POST, "requester", { body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: "pending", version: 1, prechecks: [] });
    ({ id: requestId, templateId } = res.body);
    const items = await w.prisma.requestItem.findMany({ where: { requestId } });
    expect(items.map((i) => [i.kind, i.templateId])).toEqual([["template", templateId]]);
  });

  it("GET /api/v1/templates/{id} answers the dry run before approval: the SAs it would match now", async () => {
    const res = await call(template.GET, "auditor", { params: { id: templateId } });
    expect(res.status).toBe(200);
    expect(res.body.template).toMatchObject({ name: "api-jobs", status: "pending" });
    expect(res.body).toMatchObject({ versionsTotal: 1, versionsTruncated: false, mappingsTotal: 0, mappingsTruncated: false });
    expect(res.body.dryRun.candidates).toEqual([{ cluster: "domino-green", namespace: "domino-compute", serviceAccount: "apijob-1", state: "would-map", requestId: null }]);
    expect((await call(template.GET, "requester", { params: { id: "00000000-0000-4000-8000-00000000dead" } })).status).toBe(404);
  });

  it("approved and applied, the next refresh maps the SA; GET /api/v1/templates lists the mapping", async () => {
    const ok = await call(approve.POST, "approver", { params: { id: requestId }, body: {} });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    await runner(w).drain();
    await refreshNow();
    await runner(w).drain();
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "apijob-1")).toHaveLength(1);
    const list = await call(templates.GET, "requester");
    expect(list.status).toBe(200);
    const [t] = list.body.templates;
    expect(t).toMatchObject({ name: "api-jobs", current: { status: "active", version: 1 } });
    expect(t.mappings.map((m: { serviceAccount: string; requestStatus: string }) => [m.serviceAccount, m.requestStatus])).toEqual([["apijob-1", "applied"]]);
    // Capped lists say how many there are (lib/templates/queries.ts).
    expect(list.body).toMatchObject({ total: 1, truncated: false });
    expect(t).toMatchObject({ mappingsTotal: 1, mappingsTruncated: false, versionsTotal: 1, versionsTruncated: false });
    const again = await call(mappings.POST, "requester", { params: { id: templateId }, body: { cluster: "domino-green", serviceAccount: "apijob-1" } });
    expect(again.status).toBe(409);
  }, 120_000);

  it("POST /api/v1/templates/{id}/revocations: 403 for a requester; an approver files the revocation (201)", async () => {
    const denied = await call(revocations.POST, "requester", { params: { id: templateId }, body: { justification: "No more API jobs." } });
    expect(denied.status).toBe(403);
    const short = await call(revocations.POST, "approver", { params: { id: templateId }, body: { justification: "no" } });
    expect(short.status).toBe(400);
    const res = await call(revocations.POST, "approver", { params: { id: templateId }, body: { justification: "No more API jobs." } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: "pending", mappings: 1 });
    expect((await w.prisma.associationTemplate.findUniqueOrThrow({ where: { id: templateId } })).status).toBe("revoked");
  });
});
