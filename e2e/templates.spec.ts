import { expect, test, type APIRequestContext } from "@playwright/test";
import { mintEksToken } from "../lib/aws/eks-token";
import { signInAs } from "./helpers";

// /templates against the seeded sandbox: a requester files a standing approval,
// the dry run shows a new Domino service account (created through the sandbox's
// Kubernetes API) before approval, the IAM team approves it, one refresh maps
// the service account, and an approver revokes the template. Names used here
// (e2e-jobs, e2ejob-*) are touched by no other spec.
const base = Number(process.env.E2E_PORT_BASE ?? 3100);
const KUBE = `http://127.0.0.1:${base + 11467}`;
const ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped";
const SANDBOX = { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" };
const auth = (login: string) => ({ Authorization: `Bearer sandbox-${login}` });

/** Creates a service account through the sandbox's Kubernetes API with an EKS token, as kubectl against EKS would. */
async function createServiceAccount(request: APIRequestContext, name: string) {
  const { token } = await mintEksToken({ clusterName: "domino-green", region: "us-east-1", credentials: SANDBOX });
  const res = await request.post(`${KUBE}/clusters/domino-green/api/v1/namespaces/domino-compute/serviceaccounts`, { headers: { Authorization: `Bearer ${token}` }, data: { metadata: { name } } });
  expect(res.status()).toBe(201);
}

test.describe("standing approvals", () => {
  test("file a template, see its dry run before approval, approve it, one refresh maps the new SA, revoke it", async ({ page, request }, info) => {
    // A retry gets names of its own: the first try's template and service account stay behind.
    const tag = info.retry ? `r${info.retry}` : "";
    const name = `e2e-jobs${tag}`;
    const sa = `e2ejob${tag}-one`;
    // A refresh of the whole demo fleet, then the apply job: slower than one page.
    test.setTimeout(150_000);
    await signInAs(page, "alice");
    await page.goto("/requests");
    await page.locator("#main").getByRole("link", { name: "Standing approvals" }).click();
    await expect(page).toHaveURL(/\/templates$/);
    await page.getByTestId("new-template").click();
    await page.getByLabel("Template name", { exact: true }).fill(name);
    await page.getByLabel("Clusters", { exact: true }).fill("domino-green");
    await page.getByLabel("Namespace", { exact: true }).fill("domino-compute");
    await page.getByLabel("Service-account pattern", { exact: true }).fill(`e2ejob${tag}-*`);
    await page.getByLabel("Role ARN", { exact: true }).fill(ROLE);
    await page.getByLabel("Maximum mappings", { exact: true }).fill("5");
    await page.getByTestId("template-submit").click();
    const filed = page.getByTestId("template-filed");
    await expect(filed).toHaveText("Request filed: awaiting approval");
    const requestId = (await filed.getAttribute("href"))!.split("/").pop()!;

    await createServiceAccount(request, sa);
    await page.goto("/templates");
    const card = page.getByTestId(`template-${name}`);
    await expect(card.getByTestId("template-status")).toHaveText("pending");
    await expect(card.getByTestId("template-dry-run")).toContainText(`domino-green: domino-compute/${sa} would be mapped`);
    // The requester cannot revoke (approvers and admins only).
    await expect(card.getByTestId("revoke-template")).toHaveCount(0);

    // The IAM team approves on the request page; applying it activates the template.
    await page.context().clearCookies();
    await signInAs(page, "ivy");
    await page.goto(`/requests/${requestId}`);
    await expect(page.getByTestId("aws-call")).toContainText("RoleGate ActivateTemplate");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("applied", { timeout: 30_000 });

    // One refresh maps the new service account (the job runner applies the auto-approved request).
    const refresh = await request.post("/api/v1/mappings/refreshes", { headers: auth("ivy"), data: {} });
    expect(refresh.status()).toBe(202);
    await expect(async () => {
      await page.goto("/templates");
      await expect(card.getByTestId("template-mappings")).toContainText("applied", { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(card.getByTestId("template-status")).toHaveText("active");
    await expect(card.getByTestId("template-mappings")).toContainText(`domino-compute/${sa}`);
    await expect(card.getByTestId("template-dry-run")).toContainText(`${sa} mapped by this template`);

    await card.getByLabel("Reason to revoke").fill("The e2e job project is retired.");
    await card.getByTestId("revoke-template").click();
    await expect(page.getByTestId("template-revocation")).toHaveText("Revoked: the removal of its mappings awaits approval");
    await page.goto("/templates");
    await expect(card.getByTestId("template-status")).toHaveText("revoked");
  });
});
