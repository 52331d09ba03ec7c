import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("an anonymous visitor is sent to sign-in and the API refuses them", async ({ page, request }) => {
  await page.goto("/mappings");
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { name: "Sign in to RoleGate" })).toBeVisible();
  const res = await request.get("/api/v1/mappings");
  expect(res.status()).toBe(401);
});

test("sandbox banner, navigation to every section, and sign-out", async ({ page }) => {
  await signInAs(page, "audrey");
  await expect(page.getByRole("status").filter({ hasText: "Sandbox mode" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText("auditor");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [label, heading] of [
    ["Mappings", "Mappings"],
    ["Requests", "Requests"],
    ["Roles", "Roles"],
    ["Clusters", "Clusters"],
    ["Audit", "Audit"],
    ["Overview", "Overview"],
  ]) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(nav.getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
  }
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/mappings");
  await expect(page).toHaveURL(/\/signin$/);
});
