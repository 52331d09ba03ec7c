import { expect, type Page } from "@playwright/test";

/** Signs in through the sandbox's demo sign-in page, as a person would. */
export async function signInAs(page: Page, login: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Sign in as ${login}` }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}

/**
 * Fills the new-request form by picking, as a requester does: the cluster from the select, the namespace
 * and service account in their comboboxes (an existing SA chosen from the list), the role from the picker.
 */
export async function pickFilingFields(page: Page, o: { cluster: string; namespace: string; serviceAccount: string; role: string; existing?: boolean }): Promise<void> {
  await page.getByLabel("Cluster", { exact: true }).selectOption(o.cluster);
  await page.getByRole("combobox", { name: "Namespace" }).fill(o.namespace);
  await page.getByRole("combobox", { name: "Service account" }).fill(o.serviceAccount);
  if (o.existing) await page.getByRole("option", { name: new RegExp(`^${o.serviceAccount}`) }).click();
  await page.getByRole("combobox", { name: "Role", exact: true }).fill(o.role);
  await page.getByRole("listbox").getByTestId("role-option").filter({ hasText: o.role }).first().click();
  await expect(page.getByTestId("chosen-role")).toContainText(o.role);
}

/** ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY of the browser tests' app (playwright.config.ts): every new role must carry it. */
export const REQUIRED_BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess";
