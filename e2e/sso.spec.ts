// Single sign-on through a real OpenID Connect provider process (e2e/oidc/provider.mjs):
// IdP groups decide the role shown in the UI; no mapped group -> the no-access page.
import { expect, test, type Page } from "@playwright/test";

const PASSWORD = "correct horse";

async function ssoSignIn(page: Page, login: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("link", { name: "Sign in with single sign-on" }).click();
  await expect(page.getByRole("heading", { name: "Corp SSO" })).toBeVisible();
  await page.getByLabel("Username").fill(login);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an iam-team member signs in through the IdP and is an approver", async ({ page }) => {
  await ssoSignIn(page, "iris");
  await expect(page.getByTestId("current-user")).toContainText("Iris IAM");
  await expect(page.getByTestId("current-user")).toContainText("approver");
});

test("a domino-admins member is a requester", async ({ page }) => {
  await ssoSignIn(page, "dom");
  await expect(page.getByTestId("current-user")).toContainText("Dom Domino");
  await expect(page.getByTestId("current-user")).toContainText("requester");
});

test("someone in no mapped group gets the no-access page and no session", async ({ page }) => {
  await ssoSignIn(page, "nora");
  await expect(page.getByRole("heading", { name: "No access to RoleGate" })).toBeVisible();
  await expect(page.getByTestId("no-access")).toContainText("iam-team");
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
});

test("sign out everywhere ends the user's sessions in other browsers too", async ({ browser }) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  try {
    const pa = await a.newPage();
    const pb = await b.newPage();
    await ssoSignIn(pa, "sam");
    await ssoSignIn(pb, "sam");
    await expect(pb.getByTestId("current-user")).toContainText("auditor");
    await pa.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(pa).toHaveURL(/\/signin$/);
    await pb.goto("/");
    await expect(pb).toHaveURL(/\/signin$/);
  } finally {
    await a.close();
    await b.close();
  }
});

test("a server action POSTed without the page and without a session is refused", async ({ request }) => {
  // The sign-out-everywhere action id from the build's manifest, posted directly.
  const { readFileSync } = await import("node:fs");
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === "signOutEverywhere")?.[0];
  expect(id, "signOutEverywhere in the server-reference manifest").toBeTruthy();
  const res = await request.post("/", {
    headers: { "Next-Action": id!, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
    data: "[]",
  });
  const text = await res.text();
  expect(text).toContain("unauthenticated");
});
