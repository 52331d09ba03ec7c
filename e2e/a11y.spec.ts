// axe-core on every page of the app (listed from app/), as each demo person and
// signed out: no serious or critical violation of WCAG 2.1 A/AA. Dark mode (the
// system setting) is checked too, as the person who sees the most.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS } from "../lib/auth/demo-users";
import { appRoutes, concretePath, fixtures, PUBLIC_ROUTES, type Fixtures } from "./app-pages";
import { signInAs } from "./helpers";

test.describe.configure({ timeout: 300_000 });

let f: Fixtures;
test.beforeAll(async ({ request }) => {
  f = await fixtures(request, `svc-a11y-${Date.now().toString(36)}`);
});

/** Each serious or critical violation on the pages, as "path: rule (n nodes): first target". */
async function violations(page: Page, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator("h1").first()).toBeVisible();
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      found.push(`${path}: ${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(" ")} ${v.nodes[0]?.failureSummary?.split("\n")[1] ?? ""}`);
    }
  }
  return found;
}

const signedInPaths = () => appRoutes().filter((r) => !PUBLIC_ROUTES.has(r)).map((r) => concretePath(r, f));

test("the app has the pages these specs expect to find", () => {
  const routes = appRoutes();
  expect(routes).toEqual(expect.arrayContaining(["/", "/mappings", "/requests", "/requests/[id]", "/roles/[...arn]", "/signin"]));
});

test("signed out: the sign-in pages have no serious or critical violation", async ({ page }) => {
  expect(await violations(page, [...PUBLIC_ROUTES].filter((r) => r !== "/forbidden"))).toEqual([]);
});

for (const person of DEMO_USERS) {
  test(`as ${person.login} (${person.role}): every page has no serious or critical violation`, async ({ page }) => {
    await signInAs(page, person.login);
    expect(await violations(page, [...signedInPaths(), "/forbidden"])).toEqual([]);
  });
}

test("dark mode (system setting), as root: every page has no serious or critical violation", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await signInAs(page, "root");
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe("rgb(248, 250, 252)");
  expect(await violations(page, signedInPaths())).toEqual([]);
});
