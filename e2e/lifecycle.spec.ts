import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

// Lifecycle pages against the seeded sandbox fleet (sandbox/seed). The e2e app is shared by every spec of a run:
// each test files requests only for service accounts no other spec touches, and never approves Blue/Green or drift changes.
const base = Number(process.env.E2E_PORT_BASE ?? 3100);
const AWS = `http://127.0.0.1:${base + 11466}`;
const ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped";

/** Follows a row's "Request filed" link to the new request, which is pending. */
async function openFiledRequest(page: Page, row: Locator): Promise<void> {
  const link = row.getByRole("link", { name: "Request filed: awaiting approval" });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("request-status")).toHaveText("pending");
}

async function lastCallSeq(request: APIRequestContext): Promise<number> {
  const res = await request.get(`${AWS}/_sandbox/health`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()).lastCallSeq;
}

async function sandboxCalls(request: APIRequestContext, operation: string, sinceSeq: number): Promise<unknown[]> {
  const res = await request.get(`${AWS}/_sandbox/calls?operation=${encodeURIComponent(operation)}&sinceSeq=${sinceSeq}`);
  expect(res.ok()).toBeTruthy();
  return res.json();
}

test.describe("lifecycle pages", () => {
  test("/bluegreen shows the domino-blue -> domino-green plan and files the copy as one batch request", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/bluegreen");
    const pair = page.getByTestId("bluegreen-pair").filter({ hasText: "domino-blue → domino-green" });
    await expect(pair).toBeVisible();
    await expect(pair).toContainText("Pod Identity associations missing on domino-green");
    const copies = pair.locator('tr[data-testid="bluegreen-copy"]');
    await expect(copies.filter({ hasText: "domino-compute/svc-notebook-sync" })).toContainText("domino-pi-notebook-sync");
    await expect(copies.filter({ hasText: "domino-compute/svc-airflow-bridge" })).toContainText("domino-pi-airflow-bridge");
    const copyCount = await copies.count();
    // A Blue association whose role is gone is listed as not copied, with the reason.
    await expect(pair).toContainText("domino-compute/svc-reporting-legacy: Role arn:aws:iam::111122223333:role/domino-pi-retired-reporting no longer exists.");
    // IRSA roles trusting Blue's issuer but not Green's, with the statement to add.
    await expect(pair).toContainText("IRSA roles trusting domino-blue but not domino-green");
    const role = pair.getByTestId("bluegreen-role").filter({ hasText: "role/domino-irsa-sagemaker" });
    await expect(role).toContainText("system:serviceaccount:domino-compute:dmuser-lnguyen");
    await expect(pair.getByTestId("bluegreen-repoint")).toHaveText(/Re-point \d+ role\(s\) to domino-green/);
    // Risky or Blue-only statements are left out of the re-pointing, with the reason.
    await expect(pair.getByTestId("bluegreen-repoint-left-out")).toContainText("domino-irsa-aud-only");
    await expect(pair.getByTestId("bluegreen-repoint-left-out")).toContainText("domino-blue-vpc-cni");
    // GitHub Actions' issuer is listed as another provider, never as a retired issuer to clean up.
    await expect(page.locator('[data-testid="bluegreen-other-issuer"][data-kind="non-eks"]')).toContainText("token.actions.githubusercontent.com");
    await expect(page.getByTestId("bluegreen-retired")).not.toContainText("token.actions.githubusercontent.com");

    await pair.getByRole("button", { name: `Copy ${copyCount} mapping(s) to domino-green` }).click();
    const filed = pair.getByTestId("bluegreen-copy-filed");
    await expect(filed).toHaveText("Request filed: awaiting approval");
    await filed.click();
    await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("request-status")).toHaveText("pending");
    await expect(page.getByText(`[blue-green:copy domino-blue -> domino-green] Copy ${copyCount} pod identity association(s)`)).toBeVisible();
    // One create item per copied association (the batch may add IAM fix items, e.g. the Green node role's policy).
    const items = page.getByTestId("request-item").filter({ hasText: "CreatePodIdentityAssociation" });
    await expect(items).toHaveCount(copyCount);
    for (const sa of ["svc-notebook-sync", "svc-airflow-bridge"]) {
      const item = items.filter({ hasText: `create domino-green / domino-compute / ${sa}` });
      await expect(item).toContainText('"rolegate/copied-from": "domino-blue"');
      await expect(item.getByTestId("item-status")).toHaveText("pending");
      await expect(item.getByTestId("aws-call")).toContainText("CreatePodIdentityAssociation");
    }
  });

  test("/drift lists the seeded out-of-band associations and Adopt files a request", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/drift");
    const section = page.getByTestId("drift-out-of-band");
    await expect(section.getByRole("heading", { name: /Created outside RoleGate \(\d+\)/ })).toBeVisible();
    // Seeded associations no request accounts for, on both clusters.
    await expect(section.locator("tr", { hasText: "domino-green" }).filter({ hasText: "domino-compute/svc-forecasting" })).toContainText("domino-pi-forecasting");
    // An add-on owned association may only be adopted, never revoked.
    const addon = section.locator("tr", { hasText: "kube-system/ebs-csi-controller-sa" }).filter({ hasText: "domino-green" });
    await expect(addon).toContainText("owned by arn:aws:eks:us-east-1:111122223333:addon/domino-green/aws-ebs-csi-driver");
    await expect(addon.getByTestId("drift-revoke")).toHaveCount(0);

    const row = section.locator("tr", { hasText: "domino-compute/svc-etl-hourly" }).filter({ hasText: "domino-blue" });
    await expect(row).toContainText("created outside RoleGate");
    await expect(row.getByTestId("drift-revoke")).toBeVisible();
    await row.getByTestId("drift-adopt").click();
    await openFiledRequest(page, row);
    await expect(page.getByTestId("request-item")).toContainText("domino-blue / domino-compute / svc-etl-hourly");
  });

  test("/stale-pods lists seeded stale pods and Dry run deletes nothing", async ({ page, request }) => {
    await signInAs(page, "alice");
    await page.goto("/stale-pods");
    const green = page.getByTestId("stale-cluster-domino-green");
    await expect(green.getByRole("heading", { name: /domino-green \(\d+ stale\)/ })).toBeVisible();
    const churn = green.getByTestId("stale-pod-row").filter({ hasText: "svc-churn-model" });
    await expect(churn).toContainText("association deleted");
    const podName = (await churn.locator("td").first().innerText()).trim();
    expect(podName).toMatch(/^domino-compute\/run-/);
    await expect(green.getByTestId("stale-pod-row").filter({ hasText: "svc-mlflow" }).first()).toContainText("association changed");

    const since = await lastCallSeq(request);
    await green.getByTestId("stale-dry-run").click();
    const status = green.getByRole("status");
    await expect(status).toContainText(/Would restart \d+ pod\(s\):/);
    await expect(status).toContainText(podName);
    expect(await sandboxCalls(request, "kube:deletePod", since)).toEqual([]);
    // Still listed: nothing was restarted.
    await page.reload();
    await expect(page.getByTestId("stale-cluster-domino-green").getByTestId("stale-pod-row").filter({ hasText: podName })).toBeVisible();
    expect(await sandboxCalls(request, "kube:deletePod", since)).toEqual([]);
  });

  test("/migration lists IRSA service accounts and step 1 files a request", async ({ page }) => {
    await signInAs(page, "alice");
    // The list pages and filters: one cluster's rows through the Cluster filter.
    await page.goto("/migration");
    await page.getByLabel("Cluster", { exact: true }).selectOption("domino-green");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/cluster=domino-green/);
    const green = page.getByTestId("migration-table");
    await expect(green).toBeVisible();
    const rows = green.getByTestId("migration-row").filter({ has: page.getByRole("cell", { name: "domino-compute/dmuser-ebrown", exact: true }) });
    await expect(rows.first()).toBeVisible();
    // The row of one role (the SA has several IRSA roles): the annotation and an exact trust statement.
    const row = rows.filter({ hasText: "arn:aws:iam::111122223333:role/domino-irsa-athena-query" });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("annotation, trust-exact");
    await expect(row).toContainText("only this SA's subject on domino-green is removed later");
    await row.getByTestId("migration-migrate").click();
    await openFiledRequest(page, row);
    await expect(page.getByTestId("request-item").filter({ hasText: "domino-green / domino-compute / dmuser-ebrown" }).first()).toBeVisible();
  });

  test("/migration never offers a move to a service account on Fargate or Windows", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/migration?cluster=domino-mixed");
    const mixed = page.getByTestId("migration-table");
    const row = (sa: string) => mixed.getByTestId("migration-row").filter({ has: page.getByRole("cell", { name: `domino-compute/${sa}`, exact: true }) });
    await expect(row("svc-fargate-batch").getByTestId("migration-placement")).toHaveText("Fargate (fp-batch)");
    await expect(row("svc-fargate-batch").getByTestId("migration-blocked")).toContainText("Stays on IRSA");
    await expect(row("svc-fargate-batch").getByTestId("migration-migrate")).toHaveCount(0);
    await expect(row("svc-windows-report").getByTestId("migration-migrate")).toHaveCount(0);
    await expect(row("svc-linux-etl").getByTestId("migration-migrate")).toHaveCount(1);
  });

  test("/expiry lists the requester's time-bound mapping with an extension form", async ({ page, request }) => {
    const sa = `svc-e2e-lc-expiry-${Date.now().toString(36)}`;
    const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const filed = await request.post("/api/v1/requests", {
      headers: { Authorization: "Bearer sandbox-alice" },
      data: { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount: sa, roleArn: ROLE, mappingExpiresAt: expires, justification: "Time-bound access for the quarter close" },
    });
    expect(filed.status()).toBe(201);
    const id = (await filed.json()).id;
    expect((await request.post(`/api/v1/requests/${id}/approve`, { headers: { Authorization: "Bearer sandbox-ivy" }, data: {} })).status()).toBeLessThan(300);
    await expect
      .poll(async () => (await (await request.get(`/api/v1/requests/${id}`, { headers: { Authorization: "Bearer sandbox-alice" } })).json()).status, { timeout: 30_000 })
      .toBe("applied");

    await signInAs(page, "alice");
    await page.goto("/expiry");
    await expect(page.getByRole("heading", { level: 1, name: "Expiring mappings" })).toBeVisible();
    const row = page.getByTestId("expiring-mapping").filter({ hasText: `domino-green/domino-compute/${sa}` });
    await expect(row).toContainText(ROLE);
    // Times show relative ("in 7 days"); the exact moment is the <time> element's datetime.
    await expect(row.locator("time")).toHaveAttribute("datetime", expires);
    await expect(row.getByRole("link", { name: "alice" })).toHaveAttribute("href", `/requests/${id}`);
    await expect(row.locator("form, input, button").first()).toBeVisible();

    // Another requester sees only their own time-bound mappings.
    await page.context().clearCookies();
    await signInAs(page, "bob");
    await page.goto("/expiry");
    await expect(page.getByRole("heading", { level: 1, name: "Expiring mappings" })).toBeVisible();
    await expect(page.getByText(sa)).toHaveCount(0);
  });

  test("/settings/approval-policies: an admin creates a policy; a requester is forbidden", async ({ page }) => {
    const name = `lc-e2e-${Date.now().toString(36)}`;
    await signInAs(page, "root");
    await page.goto("/settings/approval-policies");
    await expect(page.getByRole("heading", { level: 1, name: "Approval policies" })).toBeVisible();
    // Matches no cluster of the fleet, so other specs' requests are unaffected.
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Required approvals").fill("2");
    await page.getByLabel("Cluster pattern").fill("lifecycle-e2e-*");
    await page.getByLabel("Namespace pattern").fill("*");
    await page.getByLabel("Role ARN pattern").fill("*");
    await page.getByRole("button", { name: "Create policy" }).click();
    await expect(page.getByText(`Saved ${name} v1 (active)`)).toBeVisible();
    const policy = page.getByTestId(`policy-${name}`);
    await expect(policy).toContainText("active: v1");
    await expect(policy).toContainText("lifecycle-e2e-*");

    await page.context().clearCookies();
    await signInAs(page, "alice");
    await page.goto("/settings/approval-policies");
    await expect(page).toHaveURL(/\/forbidden\?need=policies%3Amanage/);
    await expect(page.getByText("Your role does not include policies:manage")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Approval policies" })).toHaveCount(0);
  });

  test("/settings/tokens: a personal token works on the API until revoked", async ({ page, request }) => {
    const name = `lc-e2e-token-${Date.now().toString(36)}`;
    await signInAs(page, "alice");
    await page.goto("/settings/tokens");
    await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create service token" })).toHaveCount(0);
    await page.getByLabel("Personal token name").fill(name);
    await page.getByRole("button", { name: "Create personal token" }).click();
    const token = (await page.getByTestId("new-token").innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    const row = page.getByTestId("tokens").locator("tr", { hasText: name });
    await expect(row).toContainText("alice (requester)");
    await expect(row).toContainText("active");
    const res = await request.get("/api/v1/requests", { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status()).toBe(200);

    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
    await expect(row).toContainText("revoked");
    expect((await request.get("/api/v1/requests", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  });
});
