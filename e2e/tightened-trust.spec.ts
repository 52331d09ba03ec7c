import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

// The role page's "Tighter trust" panel against the seeded fleet (sandbox/seed). The e2e app is shared by every
// spec: this one files a request only for domino-pi-legacy-dwh, a role no other spec touches, and approves nothing.
test.describe("tighter trust on the role page", () => {
  test("an open Pod Identity role shows the tightened trust, the association it would break, and files it", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/roles/111122223333/domino/domino-pi-legacy-dwh");
    const panel = page.getByTestId("tightened-trust");
    await expect(panel).toBeVisible();
    const breaks = panel.locator('tr[data-outcome="breaks"]');
    await expect(breaks).toHaveCount(1);
    await expect(breaks).toContainText("svc-legacy-dwh");
    await expect(breaks).toContainText("disableSessionTags=true");
    await panel.getByText("Proposed trust policy").click();
    await expect(panel.getByTestId("tightened-trust-document")).toContainText('"aws:RequestTag/kubernetes-service-account": "svc-legacy-dwh"');
    await panel.getByTestId("file-tightened-trust").click();
    const link = panel.getByTestId("tightened-trust-filed");
    await expect(link).toBeVisible();
    await link.click();
    await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("request-status")).toHaveText("pending");
  });

  test("a role whose trust is already conditioned shows no panel", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/roles/111122223333/domino/domino-pi-etl-nightly");
    await expect(page.getByRole("heading", { name: "domino-pi-etl-nightly" })).toBeVisible();
    await expect(page.getByTestId("tightened-trust")).toHaveCount(0);
  });
});
