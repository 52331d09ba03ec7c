import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test.describe("audit page", () => {
  test("auditor sees sign-in events and a valid chain, filters by actor and downloads CSV", async ({ page, browser }) => {
    // Someone else signs in too, so there is more than one actor.
    const other = await browser.newContext();
    await signInAs(await other.newPage(), "ivy");
    await other.close();

    await signInAs(page, "audrey");
    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Audit" })).toBeVisible();
    await expect(page.getByTestId("chain-status")).toContainText(/Chain valid: \d+ rows checked/);
    const table = page.getByTestId("audit-table");
    await expect(table.locator("tbody tr").filter({ hasText: "auth.signed_in" }).filter({ hasText: "audrey" }).first()).toBeVisible();
    await expect(table.locator("tbody tr").filter({ hasText: "auth.signed_in" }).filter({ hasText: "ivy" }).first()).toBeVisible();

    await page.getByLabel("Actor").selectOption("audrey");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/actor=audrey/);
    const actors = await table.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    for (const a of actors) expect(a).toBe("audrey");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rolegate-audit-.*\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,at,actor,event,/);
    expect(lines.length).toBe(actors.length + 1);
    for (const line of lines.slice(1)) expect(line.split(",")[2]).toBe("audrey");
    expect(csv).toContain("auth.signed_in");
  });

  test("one row answers who approved the service account, when, and which AWS call was made; it expands to every field", async ({ page, request }) => {
    const sa = `svc-e2e-audit-${Date.now().toString(36)}`;
    const filed = await request.post("/api/v1/requests", {
      headers: { Authorization: "Bearer sandbox-alice" },
      data: { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount: sa, roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality", disableSessionTags: false, tags: {}, justification: "audit row e2e" },
    });
    expect(filed.status(), await filed.text()).toBe(201);
    const { id } = (await filed.json()) as { id: string };
    const approved = await request.post(`/api/v1/requests/${id}/approve`, { headers: { Authorization: "Bearer sandbox-ivy" }, data: { comment: "e2e" } });
    expect(approved.status(), await approved.text()).toBeLessThan(300);

    await signInAs(page, "audrey");
    // The apply runs on the app's job runner: reload until its row is there.
    await expect(async () => {
      await page.goto(`/audit?serviceAccount=${sa}&event=request.item_applied`);
      await expect(page.getByTestId("audit-row")).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 45_000 });
    const row = page.getByTestId("audit-row");
    await expect(row.getByTestId("audit-approved-by")).toContainText("approved by ivy");
    await expect(row.getByTestId("audit-aws-call")).toContainText("eks:CreatePodIdentityAssociation");
    await expect(row.getByRole("link", { name: id.slice(0, 8) })).toHaveAttribute("href", `/requests/${id}`);

    const details = row.getByTestId("audit-details");
    await expect(details.getByText("Previous hash")).toBeHidden();
    await details.getByText("Show all").click();
    await expect(details.getByText("Previous hash")).toBeVisible();
    await expect(details.locator("pre")).toContainText('"outcome": "created"');
  });
});
