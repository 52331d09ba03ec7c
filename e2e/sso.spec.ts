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

test("a personal API token: created on /settings/tokens, shown once, works as Bearer, then revoked", async ({ page, request }) => {
  await ssoSignIn(page, "dom");
  await page.goto("/settings/tokens");
  await page.getByLabel("Personal token name").fill("ci-job");
  await page.getByRole("button", { name: "Create personal token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^rg_/);
  const api = (t: string) => request.get("/api/v1/requests", { headers: { authorization: `Bearer ${t}` } });
  expect((await api(token)).status()).toBe(200);
  await page.getByRole("button", { name: "Revoke ci-job" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByTestId("tokens")).toContainText("revoked");
  expect((await api(token)).status()).toBe(401);
});

test("pages carry a nonce CSP and still work; cross-site API writes are refused, Bearer automation without Origin is not", async ({ page, request }) => {
  const res = await page.goto("/signin");
  const csp = res!.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  const cross = await request.post("/api/v1/requests", { headers: { origin: "https://evil.example", authorization: "Bearer sandbox-alice" }, data: {} });
  expect(cross.status()).toBe(403);
  expect((await cross.json()).error.message).toContain("Cross-site request refused");
  const automation = await request.post("/api/v1/requests", { headers: { authorization: "Bearer sandbox-alice" }, data: {} });
  expect(automation.status()).toBe(400);
});

test("no OIDC client secret or database URL in the client bundles", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const { OIDC_SECRET } = await import("../playwright.config");
  const files = readdirSync(".next/static", { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const text = readFileSync(`${f.parentPath}/${f.name}`, "utf8");
    expect(text, f.name).not.toContain(OIDC_SECRET);
    expect(text, f.name).not.toMatch(/postgres(ql)?:\/\/[^"'\s]*@/);
  }
});
