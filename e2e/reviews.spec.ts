// A reviewer works through their access review items in the browser: an auditor
// starts a campaign (the start-up scan's mappings), each IAM-team reviewer sees
// only their own items with the evidence, keep needs a reason, revoke files an
// approval-gated request, and the campaign page shows the progress.
import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

const SCOPE = { clusters: ["domino-green"], roles: ["domino-irsa-athena-query"], mechanism: "irsa" };

async function startCampaign(page: Page, name: string): Promise<string> {
  await signInAs(page, "audrey");
  let id = "";
  // The demo fleet's first scan runs at start-up: the campaign needs it.
  await expect
    .poll(async () => {
      const r = await page.request.post("/api/v1/reviews", { data: { name, scope: SCOPE, dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString() } });
      if (r.status() === 201) id = (await r.json()).id;
      return r.status();
    }, { timeout: 60_000 })
    .toBe(201);
  return id;
}

test.describe("access reviews", () => {
  test("a reviewer keeps one item with a reason and revokes another; progress shows on the campaign page", async ({ page }) => {
    const name = `Athena on green ${Date.now()}`;
    const id = await startCampaign(page, name);
    await page.goto("/reviews");
    await expect(page.getByRole("link", { name })).toBeVisible();

    // ian (IAM team) reviews dmuser-ebrown's IRSA edge; the evidence is on the row.
    await page.context().clearCookies();
    await signInAs(page, "ian");
    await page.goto("/reviews/mine");
    const section = page.locator("div", { has: page.getByRole("link", { name }) }).last();
    const row = section.getByTestId("review-item").filter({ hasText: "dmuser-ebrown" });
    await expect(row).toContainText("arn:aws:iam::111122223333:role/domino-irsa-athena-query");
    await expect(row).toContainText("iam-team");
    // How the IRSA edge gets in (the item's via): the trust names the SA exactly.
    await expect(row.getByTestId("review-via")).toHaveText("exact subject");
    await expect(section.getByTestId("review-item").filter({ hasText: "dmuser-fharris" })).toHaveCount(0);
    await row.getByRole("button", { name: "Keep" }).click();
    await expect(row.getByRole("alert")).toContainText("keep needs a comment");
    await row.getByLabel("Reason").fill("Retired query job");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByText("Nothing to review.").or(section.getByTestId("decision").first())).toBeVisible();

    // ivy keeps dmuser-fharris with a reason.
    await page.context().clearCookies();
    await signInAs(page, "ivy");
    await page.goto(`/reviews/${id}`);
    const hers = page.getByTestId("review-item").filter({ hasText: "dmuser-fharris" });
    await hers.getByLabel("Reason").fill("Daily Athena reports still run");
    await hers.getByRole("button", { name: "Keep" }).click();
    await expect(hers.getByTestId("decision")).toContainText("keep by ivy: Daily Athena reports still run");
    const ians = page.getByTestId("review-item").filter({ hasText: "dmuser-ebrown" });
    await expect(ians.getByTestId("decision")).toContainText("revoke by ian");
    await expect(ians.getByRole("link", { name: /request pending/ })).toBeVisible();
    await expect(page.getByTestId("campaign-status")).toContainText("2/2 decided (1 kept, 1 revoked)");

    // The report lists both decisions.
    const report = await page.request.get(`/api/v1/reviews/${id}/report?format=json`);
    expect(report.status()).toBe(200);
    const body = await report.json();
    expect(body.decisions.map((d: { decision: string }) => d.decision).sort()).toEqual(["keep", "revoke"]);
  });
});
