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
});
