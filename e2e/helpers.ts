import { expect, type Page } from "@playwright/test";

/** Signs in through the sandbox's demo sign-in page, as a person would. */
export async function signInAs(page: Page, login: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Sign in as ${login}` }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}
