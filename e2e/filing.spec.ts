// Filing is picking, not typing (issue 11), as the requester (alice): the cluster
// from a select, an existing service account from its combobox, the role from a
// picker that shows its trust and node-role badges; the prechecks appear before
// the justification is typed, "Add this fix" adds the fix, an expiry makes the
// mapping time-bound. "Request mapping" on a role page pre-fills the form.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

/** Its trust lacks sts:TagSession: trust-allows-pod-identity fails, with a trust-policy fix. */
const NO_TAG_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export";
const HOURLY_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-etl-hourly";
/** datetime-local text (the browser's local time) this many days ahead. */
const daysAhead = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

test.describe("filing a request by picking", () => {
  test("pick cluster, existing SA and role; prechecks before the justification; add the fix; set an expiry; file", async ({ page, request }) => {
    await signInAs(page, "alice");
    await page.goto("/requests/new");
    await page.getByLabel("Cluster", { exact: true }).selectOption("domino-green");
    await page.getByRole("combobox", { name: "Namespace" }).fill("domino-compute");
    const sa = page.getByRole("combobox", { name: "Service account" });
    await sa.fill("Bad_Name");
    await expect(page.getByText(/is not a valid DNS-1123 subdomain/)).toBeVisible();
    await sa.fill("dmuser-ak");
    await page.getByRole("option", { name: /^dmuser-akim/ }).click();
    await expect(sa).toHaveValue("dmuser-akim");
    await expect(page.getByText("An existing service account.")).toBeVisible();

    // The picker: each role with its trust, the node role of the chosen cluster and its account.
    const role = page.getByRole("combobox", { name: "Role", exact: true });
    await role.fill("etl-hourly");
    const hourly = page.getByRole("listbox").getByTestId("role-option").filter({ hasText: "domino-pi-etl-hourly" });
    await expect(hourly.getByTestId("trust-badge")).toHaveText("Trust allows Pod Identity (with TagSession)");
    await expect(hourly.getByTestId("node-role-badge")).toHaveText("Node role covers it on domino-green");
    await expect(hourly).toContainText("account 111122223333");
    await role.fill("snowflake");
    const snowflake = page.getByRole("listbox").getByTestId("role-option").filter({ hasText: "domino-pi-snowflake-export" });
    await expect(snowflake.getByTestId("trust-badge")).toHaveText("Trust lacks sts:TagSession");
    await snowflake.click();
    await expect(page.getByTestId("chosen-role")).toContainText(NO_TAG_ROLE);

    // Prechecks before any justification, written for people.
    await expect(page.getByLabel("Justification")).toHaveValue("");
    const trust = page.locator('[data-testid="filing-prechecks"] li[data-check="trust-allows-pod-identity"]');
    await expect(trust).toHaveAttribute("data-status", "fail");
    await expect(trust).toContainText("Trust allows Pod Identity");
    await expect(trust).toContainText("Pods would get no credentials.");
    const checks = page.getByTestId("filing-prechecks");
    await expect(checks).not.toContainText("trust-allows-pod-identity");
    await expect(checks).not.toContainText("kubectl");
    await expect(checks).not.toContainText("--");

    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

    await trust.getByRole("button", { name: "Add this fix" }).click();
    await expect(trust.getByTestId("fix-added")).toBeVisible();
    await expect(page.getByTestId("iam-fixes-included")).toBeVisible();

    await page.getByLabel("Mapping expires (optional)").fill(daysAhead(30));
    await page.getByLabel("Justification").fill("Snowflake export for the finance close, one month");
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("request-status")).toHaveText("pending");

    const id = page.url().split("/").pop()!;
    const filed = await (await request.get(`/api/v1/requests/${id}`, { headers: { Authorization: "Bearer sandbox-alice" } })).json();
    const items = filed.items as { kind: string; roleArn: string | null; serviceAccount: string | null; mappingExpiresAt: string | null }[];
    expect(items.map((i) => i.kind).sort()).toEqual(["create", "iam-trust-update"]);
    const mapping = items.find((i) => i.kind === "create")!;
    expect(mapping).toMatchObject({ roleArn: NO_TAG_ROLE, serviceAccount: "dmuser-akim" });
    expect(new Date(mapping.mappingExpiresAt!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  test("\"Request mapping\" on a role page pre-fills the form; unknown values are dropped with a note", async ({ page }) => {
    await signInAs(page, "alice");
    await page.goto("/roles/111122223333/domino/domino-pi-etl-hourly");
    await page.getByRole("link", { name: "Request mapping" }).first().click();
    await expect(page).toHaveURL(/\/requests\/new\?roleArn=/);
    await expect(page.getByTestId("chosen-role")).toContainText(HOURLY_ROLE);
    await expect(page.getByTestId("prefill-notes")).toHaveCount(0);

    await page.goto(`/requests/new?cluster=not-watched&roleArn=${encodeURIComponent(`${HOURLY_ROLE}-typo`)}`);
    await expect(page.getByTestId("prefill-notes")).toContainText('Ignored cluster "not-watched": it is not a watched cluster.');
    await expect(page.getByTestId("prefill-notes")).toContainText("no role with this ARN in the watched accounts");
    await expect(page.getByLabel("Cluster", { exact: true })).toHaveValue("");
    await expect(page.getByTestId("chosen-role")).toHaveCount(0);
  });
});
