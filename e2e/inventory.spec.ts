import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

// The demo fleet's first scan runs at start-up (scripts/start.ts, sandbox mode).
test.describe("inventory pages", () => {
  test("overview shows counts, open findings by severity and the last scan per cluster", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    // domino-blue and domino-green, plus the placement clusters of us-west-2 (Auto Mode, self-managed agent, Fargate + Windows).
    await expect(page.getByTestId("count-clusters").locator("div").nth(1)).toHaveText("5");
    for (const id of ["count-roles", "count-mappings", "count-irsa-only", "count-pod-identity-only"]) {
      expect(Number((await page.getByTestId(id).locator("div").nth(1).textContent())!)).toBeGreaterThan(0);
    }
    // The overview's count is the total of the list it links to.
    const high = Number(await page.getByTestId("severity-high").locator("span.text-lg").textContent());
    expect(high).toBeGreaterThanOrEqual(5);
    await page.getByTestId("severity-high").click();
    await expect(page).toHaveURL(/\/mappings\?severity=high/);
    await expect(page.getByTestId("access-count")).toContainText(`of ${high}`);
    await page.goto("/");
    await expect(page.getByTestId("drift-counts")).toContainText("created outside RoleGate");
    expect(Number(await page.getByTestId("drift-counts").locator("span.text-lg").first().textContent())).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId("cluster-scans")).toContainText("domino-blue");
    await expect(page.getByTestId("cluster-scans")).toContainText("domino-green");
    await expect(page.getByTestId("recent-scans")).toContainText("succeeded");
  });

  test("Rescan shows live progress and completes; an auditor cannot start one", async ({ page }) => {
    await signInAs(page, "ivy");
    await page.goto("/");
    await page.getByRole("button", { name: "Rescan" }).click();
    await expect(page.getByTestId("scan-status")).toContainText(/\d+\/[\d?]+/);
    await expect(page.getByTestId("scan-status")).toContainText(/Scan (succeeded|partial): \d+\/\d+ read/, { timeout: 60_000 });
    const bar = page.getByRole("progressbar", { name: "Scan progress" });
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
    expect(await bar.getAttribute("aria-valuenow")).toBe(await bar.getAttribute("aria-valuemax"));
    await expect(page.getByRole("button", { name: "Rescan" })).toBeEnabled();
    await expect(page.getByTestId("recent-scans").locator("tbody tr").first()).toContainText("ivy (manual)");

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await signInAs(page, "audrey");
    await page.goto("/clusters");
    await expect(page.getByRole("button", { name: "Rescan" })).toBeDisabled();
  });

  test("/mappings per service account filters by mechanism and finding, with the problem and its fix inline", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/mappings");
    const table = page.getByTestId("access-table");
    await expect(table.getByTestId("access-row").first()).toBeVisible();

    await page.getByLabel("Mechanism", { exact: true }).selectOption("pod-identity");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/mechanism=pod-identity/);
    const mechanisms = await table.locator("tbody [data-mechanism]").evaluateAll((els) => els.map((e) => e.getAttribute("data-mechanism")));
    expect(mechanisms.length).toBeGreaterThan(5);
    expect(new Set(mechanisms)).toEqual(new Set(["pod-identity"]));

    await expect(page.getByLabel("Finding", { exact: true })).toHaveCount(0);
    await page.getByLabel("Findings", { exact: true }).selectOption("node-role-missing-mapped-role");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/findings=node-role-missing-mapped-role/);
    await expect(page.getByTestId("access-count")).toHaveText("1–1 of 1");
    const row = table.locator('tr[data-service-account="svc-forecasting"]');
    await expect(row).toContainText("domino-pi-forecasting");
    await row.getByText(/domino-green-eks-nodes does not allow/).click();
    await expect(row.getByTestId("fix")).toContainText("eks-auth:AssumeRoleForPodIdentity");
    await expect(row.getByTestId("fix-diff")).toContainText("domino-pi-forecasting");

    await page.goto("/mappings?q=svc-snowflake-export");
    const snow = table.locator('tr[data-service-account="svc-snowflake-export"]').filter({ hasText: "domino-pi-snowflake-export" });
    await expect(snow.locator('[data-severity="high"]').first()).toBeVisible();
    await snow.getByText(/lacks sts:TagSession/).click();
    await expect(snow.getByTestId("fix")).toContainText('"sts:TagSession"');

    await page.goto("/mappings?mechanism=both");
    await expect(table.getByTestId("access-row")).toHaveCount(1);
    await expect(table).toContainText("svc-model-monitor");
  });

  test("a role page shows who can assume it, highlights the matching statement and offers a fix", async ({ page }) => {
    await signInAs(page, "ivy");
    await page.goto("/roles?q=snowflake");
    await page.getByRole("link", { name: "domino-pi-snowflake-export" }).click();
    await expect(page).toHaveURL(/\/roles\/111122223333\/domino\/domino-pi-snowflake-export$/);
    await expect(page.getByRole("heading", { level: 1, name: "domino-pi-snowflake-export" })).toBeVisible();
    await expect(page.getByTestId("role-assumers")).toContainText("svc-snowflake-export");
    const matched = page.locator('[data-testid="trust-statement"][data-matched="true"]');
    await expect(matched).toHaveCount(1);
    await expect(matched).toContainText("svc-snowflake-export");
    await expect(matched).toContainText("pods.eks.amazonaws.com");
    const findings = page.getByTestId("role-findings");
    await expect(findings).toContainText("lacks sts:TagSession");
    await expect(findings.getByTestId("fix").first()).toContainText('"sts:TagSession"');
    await expect(findings.getByRole("button", { name: "Copy JSON" }).first()).toBeVisible();

    await page.goto("/roles/111122223333/domino-irsa-compute-wildcard");
    await expect(page.getByTestId("pattern-edges")).toContainText("any SA in domino-compute");
    await expect(page.locator('[data-testid="trust-statement"][data-matched="true"]').first()).toBeVisible();
  });

  test("/roles lists roles filtered by mechanism", async ({ page }) => {
    await signInAs(page, "audrey");
    await page.goto("/roles?mechanism=pod-identity&pageSize=200");
    const rows = page.getByTestId("roles-table").getByTestId("role-row");
    expect(await rows.count()).toBeGreaterThan(5);
    for (const text of await rows.allTextContents()) expect(text).toContain("Pod Identity");
  });

  test("/clusters shows domino-blue without the add-on and the Blue/Green pair", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/clusters");
    const blue = page.locator('[data-testid="cluster-card"][data-cluster="domino-blue"]');
    await expect(blue.getByTestId("addon")).toContainText("not installed");
    await expect(blue.getByTestId("pair")).toHaveText("Blue of domino, paired with domino-green");
    await expect(page.locator('[data-testid="cluster-card"][data-cluster="domino-green"]').getByTestId("addon")).toContainText("installed");
    await expect(blue).toContainText("https://oidc.eks.us-east-1.amazonaws.com/id/");
    await expect(blue).toContainText("domino-blue-eks-nodes");
    await expect(page.getByTestId("blue-green-pairs")).toContainText("domino-blue (Blue) ↔ domino-green (Green)");
  });

  test("/usage renders IRSA vs Pod Identity charts per cluster and the trend", async ({ page }) => {
    await signInAs(page, "alice");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
    await expect(page.getByTestId("usage-chart")).toHaveCount(5); // one per cluster: the Blue/Green pair and the three us-west-2 placement clusters
    const green = page.locator('[data-testid="usage-chart"][data-cluster="domino-green"]');
    await expect(green.getByTestId("usage-totals")).toContainText(/\d+ IRSA service accounts · \d+ Pod Identity associations/);
    await expect(green.getByRole("img", { name: /^domino-compute Pod Identity: [1-9]\d*$/ })).toBeVisible();
    await expect(page.getByTestId("usage-trend").locator("svg path")).toHaveCount(2);
  });
});
