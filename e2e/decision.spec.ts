// The request page as a decision screen (issue 11), as the approver (ivy): the
// verdict strip with the failing check first, no plain Approve past it, approve
// with an override and its reason, "changes requested", a suggested fix added as
// an IAM item, and a rejection whose items say so, all without a reload.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

/** Its trust lacks sts:TagSession: trust-allows-pod-identity fails, with a trust-policy fix. */
const NO_TAG_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export";
const auth = (login: string) => ({ Authorization: `Bearer sandbox-${login}` });

async function fileAsAlice(page: Page, serviceAccount: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await page.request.post("/api/v1/requests", {
    headers: auth("alice"),
    data: { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount, roleArn: NO_TAG_ROLE, justification: "Snowflake export job for the finance team", ...extra },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).id as string;
}

async function openAsIvy(page: Page, id: string) {
  await signInAs(page, "ivy");
  await page.goto(`/requests/${id}`);
  await expect(page.getByTestId("request-status")).toHaveText("pending");
  // The reviewer's page re-runs the prechecks once loaded.
  await expect(page.getByTestId("prechecks-at")).toContainText("Prechecks last run");
}

test.describe("the request page is a decision screen", () => {
  test("the verdict puts the failing check first; no plain Approve; approve with override and a reason; no serious a11y violation", async ({ page }) => {
    const id = await fileAsAlice(page, "svc-e2e-override");
    await openAsIvy(page, id);
    const strip = page.getByTestId("verdict-strip");
    await expect(page.getByTestId("verdict-headline")).toHaveText(/\d+ checks? pass.*1 fails: pods would get no credentials/);
    await expect(strip.locator("li").first()).toHaveAttribute("data-status", "fail");
    await expect(strip.locator("li").first()).toHaveAttribute("data-check", "trust-allows-pod-identity");
    await expect(strip.locator("li").first()).toContainText("Trust allows Pod Identity");
    // Context beside it: links to the role and the audit trail, who else has the role, the requester's history.
    const context = page.getByTestId("decision-context");
    await expect(context.getByRole("link", { name: "Role domino-pi-snowflake-export" })).toHaveAttribute("href", "/roles/111122223333/domino/domino-pi-snowflake-export");
    await expect(context.getByRole("link", { name: "Audit trail of this request" })).toBeVisible();
    await expect(context.getByTestId("requester-history")).toContainText("alice's last requests");

    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

    await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "Approve with override" }).click();
    const dialog = page.getByRole("dialog", { name: "Approve past failing checks" });
    await expect(dialog).toContainText("Trust allows Pod Identity");
    const confirm = dialog.getByRole("button", { name: "Approve with override" });
    await dialog.getByLabel("Why approve anyway").fill("short");
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel("Why approve anyway").fill("The trust is widened by the platform pipeline tonight");
    await confirm.click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId("request-status")).not.toHaveText("pending");
    await expect(page.getByText("(override: The trust is widened by the platform pipeline tonight)")).toBeVisible();
    await expect(page.getByTestId("timeline")).toContainText("request.approved_with_override");
    await expect(page.getByTestId("audit-last-event")).not.toContainText("request.created");
  });

  test("the approver sends it back with changes requested", async ({ page }) => {
    const id = await fileAsAlice(page, "svc-e2e-changes");
    await openAsIvy(page, id);
    await page.getByRole("button", { name: "Request changes" }).click();
    const dialog = page.getByRole("dialog", { name: "Send it back to the requester" });
    await dialog.getByLabel("What should change").fill("Add the trust fix and make the mapping time-bound");
    await dialog.getByRole("button", { name: "Request changes" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("changes requested");
    await expect(page.getByTestId("changes-requested")).toContainText("ivy asked for changes: Add the trust fix and make the mapping time-bound");
    await expect(page.getByRole("button", { name: "Approve with override" })).toHaveCount(0);
    await expect(page.getByTestId("timeline")).toContainText("request.changes_requested");
  });

  test("the approver adds the suggested fix as an IAM item, shown as a statement diff", async ({ page }) => {
    const id = await fileAsAlice(page, "svc-e2e-fix");
    await openAsIvy(page, id);
    await expect(page.getByTestId("request-item")).toHaveCount(1);
    const trust = page.locator('[data-testid="verdict-checks"] li[data-check="trust-allows-pod-identity"]');
    await trust.getByRole("button", { name: "Add this fix to the request" }).click();
    const iam = page.locator('[data-testid="request-item"][data-kind="iam-trust-update"]');
    await expect(iam).toHaveCount(1);
    await expect(iam).toContainText("The trust policy of role domino-pi-snowflake-export is replaced");
    await expect(iam.getByTestId("policy-diff")).toContainText("sts:TagSession");
    await expect(iam.getByTestId("aws-call")).toContainText("UpdateAssumeRolePolicy");
    await expect(trust).toHaveAttribute("data-status", "fixed");
    await expect(page.getByTestId("approval-requirements")).toContainText("from approver");
    await expect(page.getByTestId("timeline")).toContainText("request.item_added");
  });

  test("a rejected request shows its items as rejected without a reload", async ({ page }) => {
    const id = await fileAsAlice(page, "svc-e2e-reject-items", { includeIamFixes: true });
    await openAsIvy(page, id);
    const states = page.getByTestId("item-status");
    expect(await states.count()).toBeGreaterThan(1);
    for (const s of await states.all()) await expect(s).toHaveText("pending");
    await page.getByRole("button", { name: "Reject" }).click();
    const dialog = page.getByRole("dialog", { name: "Reject this request" });
    await dialog.getByLabel("Reason").fill("Use the read-only role instead");
    await dialog.getByRole("button", { name: "Reject" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("rejected");
    for (const s of await states.all()) await expect(s).toHaveText("rejected");
    await expect(page.getByTestId("audit-last-event")).toContainText("request.rejected");
  });
});
