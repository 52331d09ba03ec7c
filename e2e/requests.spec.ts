import { DescribePodIdentityAssociationCommand, EKSClient, ListPodIdentityAssociationsCommand } from "@aws-sdk/client-eks";
import { expect, test, type Page } from "@playwright/test";
import { pickFilingFields, signInAs } from "./helpers";

const base = Number(process.env.E2E_PORT_BASE ?? 3100);
const AWS = `http://127.0.0.1:${base + 11466}`;
// Every precheck passes for it on domino-green (trust with TagSession, covered by the node role): plain Approve.
const ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality";
const eks = new EKSClient({ region: "us-east-1", endpoint: AWS, credentials: { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" }, maxAttempts: 1 });

async function fileRequest(page: Page, serviceAccount: string): Promise<string> {
  await signInAs(page, "alice");
  await page.goto("/requests/new");
  await pickFilingFields(page, { cluster: "domino-green", namespace: "domino-compute", serviceAccount, role: ROLE.split("/").pop()! });
  // The prechecks run once cluster, service account and role are known.
  await expect(page.locator('[data-testid="filing-prechecks"] li[data-status="pass"]').first()).toBeVisible();
  await page.getByLabel("Justification").fill("Nightly scoring job needs the sales bucket");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("request-status")).toHaveText("pending");
  await expect(page.getByTestId("aws-call")).toContainText("CreatePodIdentityAssociation");
  return page.url().split("/").pop()!;
}

async function signOutAndIn(page: Page, login: string, id: string) {
  await page.context().clearCookies();
  await signInAs(page, login);
  await page.goto(`/requests/${id}`);
}

async function sandboxAssociation(serviceAccount: string) {
  const list = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: "domino-green", namespace: "domino-compute", serviceAccount }));
  const id = list.associations?.[0]?.associationId;
  if (!id) return undefined;
  return (await eks.send(new DescribePodIdentityAssociationCommand({ clusterName: "domino-green", associationId: id }))).association;
}

test.describe("requests", () => {
  test("requester files, approver approves, the association appears in the sandbox and on /mappings", async ({ page }) => {
    const id = await fileRequest(page, "svc-e2e-approve");
    await signOutAndIn(page, "ivy", id);
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("applied", { timeout: 30_000 });
    const a = await sandboxAssociation("svc-e2e-approve");
    expect(a?.roleArn).toBe(ROLE);
    await expect(page.getByTestId("association-id")).toHaveText(a!.associationId!);
    await expect(page.getByTestId("timeline")).toContainText("request.applied");
    await page.goto("/mappings?view=associations&q=svc-e2e-approve");
    await page.getByRole("button", { name: /Refresh/ }).click();
    await expect(page.getByTestId("mappings-table")).toContainText("svc-e2e-approve", { timeout: 30_000 });
  });

  test("opening a request writes nothing; a reviewer's page re-runs the prechecks after it loads (an explicit POST)", async ({ page, request }) => {
    const id = await fileRequest(page, "svc-e2e-recheck");
    const storedAt = async () => (await (await request.get(`/api/v1/requests/${id}`, { headers: { Authorization: "Bearer sandbox-ivy" } })).json()).prechecksAt as string;
    const filedAt = await storedAt();
    // The requester (not a reviewer) and an auditor only read.
    await page.reload();
    await signOutAndIn(page, "audrey", id);
    await expect(page.getByTestId("prechecks-at")).toContainText(filedAt.slice(0, 19).replace("T", " "));
    expect(await storedAt()).toBe(filedAt);
    await signOutAndIn(page, "ivy", id);
    await expect.poll(storedAt).not.toBe(filedAt);
    const rerunAt = await storedAt();
    expect(new Date(rerunAt).getTime()).toBeGreaterThan(new Date(filedAt).getTime());
    await expect(page.getByTestId("prechecks-at")).toContainText(rerunAt.slice(0, 19).replace("T", " "));
  });

  test("approver rejects with a reason", async ({ page }) => {
    const id = await fileRequest(page, "svc-e2e-reject");
    await signOutAndIn(page, "ian", id);
    await page.getByRole("button", { name: "Reject" }).click();
    await page.getByRole("dialog").getByLabel("Reason").fill("Use the read-only role instead");
    await page.getByRole("dialog").getByRole("button", { name: "Reject" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("rejected");
    await expect(page.getByText("Use the read-only role instead")).toBeVisible();
    expect(await sandboxAssociation("svc-e2e-reject")).toBeUndefined();
  });

  test("self approval is refused, in the page and through the API", async ({ page, request }) => {
    const id = await fileRequest(page, "svc-e2e-self");
    await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await expect(page.getByText("someone else must review it")).toBeVisible();
    const res = await request.post(`/api/v1/requests/${id}/approve`, { headers: { Authorization: "Bearer sandbox-alice" }, data: {} });
    expect(res.status()).toBe(403);
    const root = await request.post("/api/v1/requests", { headers: { Authorization: "Bearer sandbox-root" }, data: { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-e2e-root", roleArn: ROLE, justification: "Admin files and tries to self-approve" } });
    expect(root.status()).toBe(201);
    const rootId = (await root.json()).id;
    expect((await request.post(`/api/v1/requests/${rootId}/approve`, { headers: { Authorization: "Bearer sandbox-root" }, data: {} })).status()).toBe(403);
  });

  test("retry after an injected failure applies the request", async ({ page, request }) => {
    const id = await fileRequest(page, "svc-e2e-retry");
    await request.put(`${AWS}/_sandbox/faults`, { data: { failNext: { CreatePodIdentityAssociation: 10 } } });
    await signOutAndIn(page, "ivy", id);
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("failed", { timeout: 30_000 });
    await expect(page.getByRole("alert").filter({ hasText: "AWS error" })).toBeVisible();
    await request.put(`${AWS}/_sandbox/faults`, { data: {} });
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("applied", { timeout: 30_000 });
    expect((await sandboxAssociation("svc-e2e-retry"))?.roleArn).toBe(ROLE);
  });
});
