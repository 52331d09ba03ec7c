import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test.describe("mappings page", () => {
  test("lists the seeded associations, filters, sorts and pages on the server", async ({ page, request }) => {
    await signInAs(page, "alice");
    await page.goto("/mappings?view=associations&pageSize=10");
    const table = page.getByTestId("mappings-table");
    const api = await (await request.get("/api/v1/mappings?pageSize=200", { headers: { Authorization: "Bearer sandbox-alice" } })).json();
    expect(api.total).toBeGreaterThan(20);
    await expect(page.getByTestId("mappings-count")).toHaveText(`1–10 of ${api.total}`);
    await expect(table.locator("tbody tr")).toHaveCount(10);
    await expect(page.getByTestId("last-refreshed")).toContainText("Last refreshed");

    // Filter by cluster through the form.
    await page.getByLabel("Cluster").selectOption("domino-blue");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/cluster=domino-blue/);
    const blue = api.rows.filter((r: { cluster: string }) => r.cluster === "domino-blue");
    await expect(page.getByTestId("mappings-count")).toHaveText(`1–${Math.min(10, blue.length)} of ${blue.length}`);
    for (const cell of await table.locator("tbody tr td:first-child").allTextContents()) expect(cell).toBe("domino-blue");

    // Sort by service account, descending (second click).
    await page.getByRole("link", { name: /Service account/ }).click();
    await expect(page).toHaveURL(/sort=serviceAccount/);
    await expect(page.getByRole("columnheader", { name: /Service account/ })).toHaveAttribute("aria-sort", "ascending");
    await page.getByRole("link", { name: /Service account/ }).click();
    await expect(page).toHaveURL(/dir=desc/);
    await expect(page.getByRole("columnheader", { name: /Service account/ })).toHaveAttribute("aria-sort", "descending");
    const expected = blue.map((r: { serviceAccount: string }) => r.serviceAccount).sort().reverse().slice(0, 10);
    const shown = (await table.locator("tbody tr td:nth-child(3)").allTextContents()).map((t) => t.replace(/add-on$/, ""));
    expect(shown).toEqual(expected);
  });

  test("pages through all associations", async ({ page }) => {
    await signInAs(page, "ivy");
    await page.goto("/mappings?view=associations&pageSize=10");
    const count = page.getByTestId("mappings-count");
    const total = Number((await count.textContent())!.split(" of ")[1]);
    await page.getByRole("link", { name: "Next" }).click();
    await expect(count).toHaveText(`11–20 of ${total}`);
    await page.getByRole("link", { name: "Previous" }).click();
    await expect(count).toHaveText(`1–10 of ${total}`);
  });

  test("refresh shows progress and picks up an association created in AWS whose change event was lost", async ({ page }) => {
    await signInAs(page, "bob");
    // Somebody creates an association directly in the (sandbox) EKS API, and its change event is lost
    // (else the app's change-events consumer would show it within seconds: e2e/freshness.spec.ts).
    const { EKSClient, CreatePodIdentityAssociationCommand } = await import("@aws-sdk/client-eks");
    const awsPort = Number(process.env.E2E_PORT_BASE ?? 3100) + 11466;
    expect((await fetch(`http://127.0.0.1:${awsPort}/_sandbox/events`, { method: "PUT", body: JSON.stringify({ drop: 1 }) })).status).toBe(200);
    const eks = new EKSClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${awsPort}`, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const created = await eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: "domino-green",
        namespace: "domino-compute",
        serviceAccount: `e2e-refresh-${Date.now()}`,
        roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-abac-guarded",
      }),
    );
    await page.goto(`/mappings?view=associations&q=${created.association!.serviceAccount}`);
    await expect(page.getByTestId("mappings-count")).toHaveText("0–0 of 0");
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByTestId("refresh-status")).toContainText(/Refreshed: \d+ associations/, { timeout: 30_000 });
    await expect(page.getByTestId("mappings-count")).toHaveText("1–1 of 1");
    await expect(page.locator(`tr[data-association-id="${created.association!.associationId}"]`)).toBeVisible();
  });

  test("an auditor can read mappings but has no refresh button", async ({ page }) => {
    await signInAs(page, "audrey");
    await page.goto("/mappings?view=associations");
    await expect(page.getByTestId("mappings-table")).toBeVisible();
    await expect(page.getByRole("button", { name: "Refresh" })).toHaveCount(0);
  });
});
