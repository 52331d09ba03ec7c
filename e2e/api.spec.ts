// The REST API over real HTTP through the built app (Next's routing included):
// start a scan, follow it, and read a role by its URL-encoded ARN (one path
// segment although the ARN holds "/" and ":").
import { expect, test } from "@playwright/test";

const auth = (login: string) => ({ Authorization: `Bearer sandbox-${login}` });

test("POST /api/v1/scans answers 202 with the scan id; GET /api/v1/roles/{arn} takes the URL-encoded ARN", async ({ request }) => {
  const started = await request.post("/api/v1/scans", { headers: auth("alice"), data: {} });
  expect(started.status()).toBe(202);
  const { scanId } = await started.json();
  await expect.poll(async () => (await (await request.get(`/api/v1/scans/${scanId}`, { headers: auth("audrey") })).json()).status, { timeout: 60_000 }).not.toBe("running");
  const roles = await (await request.get("/api/v1/roles?sort=assumers&dir=desc", { headers: auth("audrey") })).json();
  const arn = roles.rows[0].arn as string;
  expect(arn).toContain("/");
  const one = await request.get(`/api/v1/roles/${encodeURIComponent(arn)}`, { headers: auth("audrey") });
  expect(one.status()).toBe(200);
  const body = await one.json();
  expect(body.arn).toBe(arn);
  expect(body.statements.some((s: { matchedBy: string[] }) => s.matchedBy.length > 0)).toBe(true);
  expect((await request.get("/api/v1/roles/not-an-arn", { headers: auth("audrey") })).status()).toBe(400);
  expect((await request.get("/api/v1/roles", {})).status()).toBe(401);
});

test("GET /api/v1/openapi.json is generated and lists the new routes", async ({ request }) => {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  for (const p of ["/api/v1/service-accounts", "/api/v1/roles/{arn}", "/api/v1/tokens/{id}", "/api/v1/approval-policies", "/api/v1/drift/resolutions"]) expect(doc.paths, p).toHaveProperty([p]);
  expect(doc.paths["/api/v1/scans"].post.responses).toHaveProperty("202");
});
