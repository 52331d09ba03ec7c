// Every page (listed from app/) at 1440, 1024 and 390 px: the page never scrolls
// sideways (wide tables scroll inside their frame). Below 1024 px the sidebar is a
// menu button whose sheet opens and closes with the keyboard.
import { expect, test, type Page } from "@playwright/test";
import { appRoutes, concretePath, fixtures, PUBLIC_ROUTES, type Fixtures } from "./app-pages";
import { signInAs } from "./helpers";

test.describe.configure({ timeout: 300_000 });

let f: Fixtures;
test.beforeAll(async ({ request }) => {
  f = await fixtures(request, `svc-viewport-${Date.now().toString(36)}`);
});

/** The page's scroll and client widths, and (when it is too wide) the outermost elements that stick out, to say what to fix. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > client + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > client + 1))
      .slice(0, 3)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.getAttribute("class") ?? ""}">${(e.textContent ?? "").slice(0, 40)}`);
    return { scroll: document.documentElement.scrollWidth, client, culprits };
  });

for (const width of [1440, 1024, 390]) {
  test(`at ${width} px no page scrolls sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInAs(page, "root");
    const wide: string[] = [];
    for (const route of appRoutes()) {
      const path = PUBLIC_ROUTES.has(route) && route !== "/forbidden" ? null : concretePath(route, f);
      if (!path) continue;
      await page.goto(path);
      await expect(page.locator("h1").first()).toBeVisible();
      const { scroll, client, culprits } = await overflow(page);
      if (scroll > client) wide.push(`${path}: ${scroll} > ${client}: ${culprits.join(" | ")}`);
    }
    await page.context().clearCookies();
    for (const path of ["/signin", "/signin/no-access"]) {
      await page.goto(path);
      const { scroll, client } = await overflow(page);
      if (scroll > client) wide.push(`${path} (signed out): ${scroll} > ${client}`);
    }
    expect(wide).toEqual([]);
  });
}

test("at 1024 px and wider the grouped sidebar shows; no menu button", async ({ page }) => {
  await signInAs(page, "ivy");
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    const nav = page.getByTestId("sidebar").getByRole("navigation", { name: "Main" });
    await expect(nav).toBeVisible();
    for (const group of ["Inventory", "Requests", "Lifecycle", "Audit", "Settings"]) await expect(nav.getByText(group, { exact: true }).first()).toBeVisible();
    await expect(nav.getByRole("link", { name: /^Needs your review \(\d+\)$/ })).toBeVisible();
    await expect(page.getByTestId("menu-button")).toBeHidden();
  }
});

test("below 1024 px the sidebar is a menu button: Enter opens it, Escape closes it and focus returns", async ({ page }) => {
  await signInAs(page, "ivy");
  for (const width of [1023, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/"); // a fresh document: keyboard focus starts at its top
    await expect(page.getByTestId("sidebar")).toBeHidden();
    const button = page.getByTestId("menu-button");
    await expect(button).toBeVisible();
    // Keyboard only: the skip link comes first, then the menu button.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(button).toBeFocused();
    await page.keyboard.press("Enter");
    const sheet = page.getByRole("dialog", { name: "Menu" });
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole("link", { name: "Drift" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();
    await expect(button).toBeFocused();
    // A link in the sheet navigates and closes it.
    await button.click();
    await sheet.getByRole("link", { name: "Audit" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(sheet).toBeHidden();
  }
});

test("the skip link moves focus to the page's content", async ({ page }) => {
  await signInAs(page, "alice");
  await page.goto("/requests");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});
