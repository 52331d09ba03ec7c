// `npm run screenshots`: walks the product's main flows in Chromium against the
// seeded sandbox (the browser tests' app, started by playwright.screenshots.config.ts)
// and writes docs/screenshots/<name>.png for every entry of ./gallery.ts, then
// the gallery page. Not part of `npm test` (its files are *.shots.ts, which the
// test config does not match). Each shot waits for its data (the first scan, the
// re-run prechecks, the apply) so the pictures show a working product.
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { pickFilingFields, signInAs } from "../helpers";
import { GALLERY_DIR, galleryMarkdown, SHOTS } from "./gallery";
import { recompressPng } from "./png";

test.describe.configure({ mode: "serial", timeout: 180_000 });

/** Its trust lacks sts:TagSession: the verdict strip has a failing check with a trust-policy fix. */
const NO_TAG_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export";
const GOOD_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality";
const ROLE_PATH = "/roles/111122223333/domino/domino-pi-snowflake-export";
const MAX_BYTES = 300 * 1024;
const auth = (login: string) => ({ Authorization: `Bearer sandbox-${login}` });
const dir = path.join(process.cwd(), GALLERY_DIR);
const taken = new Map<string, number>();
const known = new Set(SHOTS.map((s) => s.name));

async function post(request: APIRequestContext, login: string, url: string, data: unknown): Promise<{ id: string }> {
  const res = await request.post(url, { headers: auth(login), data });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return res.json();
}

/** Waits for the page's data and fonts, then writes docs/screenshots/<name>.png (re-deflated) and checks its size. */
async function shot(page: Page, name: string, o: { fullPage?: boolean; maxHeight?: number } = {}): Promise<void> {
  if (!known.has(name)) throw new Error(`${name} is not in e2e/screenshots/gallery.ts`);
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => document.fonts.ready);
  // No focus ring or hover state left over from the flow.
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const file = path.join(dir, `${name}.png`);
  const fullPage = o.fullPage ?? false;
  const height = fullPage && o.maxHeight ? Math.min(o.maxHeight, await page.evaluate(() => document.documentElement.scrollHeight)) : undefined;
  const clip = height ? { x: 0, y: 0, width: page.viewportSize()!.width, height } : undefined;
  await page.screenshot({ path: file, fullPage, clip, animations: "disabled", caret: "hide", scale: "css" });
  const bytes = recompressPng(file);
  expect(bytes, `${name}.png is ${Math.round(bytes / 1024)} kB`).toBeLessThanOrEqual(MAX_BYTES);
  taken.set(name, statSync(file).size);
}

let decisionId = "";
let campaignId = "";

test.beforeAll(async ({ request }) => {
  mkdirSync(dir, { recursive: true });
  // The app's first scan (started at boot) must be analysed before the inventory pages have anything to show.
  await expect
    .poll(async () => (await (await request.get("/api/v1/service-accounts?pageSize=10", { headers: auth("ivy") })).json()).scanId ?? null, { timeout: 120_000 })
    .not.toBeNull();
  // A pending request with a failing check and its IAM fix: the decision screen.
  decisionId = (await post(request, "alice", "/api/v1/requests", { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-snowflake-export", roleArn: NO_TAG_ROLE, justification: "Nightly Snowflake export for the finance team", includeIamFixes: true })).id;
  // An approved and applied request: the audit trail shows its AWS call and approver.
  const applied = (await post(request, "alice", "/api/v1/requests", { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-data-quality", roleArn: GOOD_ROLE, justification: "Data-quality checks read the curated bucket" })).id;
  await post(request, "ivy", `/api/v1/requests/${applied}/approve`, { comment: "Read-only role, checks pass" });
  await expect
    .poll(async () => (await (await request.get(`/api/v1/requests/${applied}`, { headers: auth("alice") })).json()).status, { timeout: 60_000 })
    .toBe("applied");
  // A standing approval awaiting the IAM team, and an access review campaign.
  await post(request, "alice", "/api/v1/requests", { kind: "template", name: "nightly-jobs", clusters: ["domino-green"], namespace: "domino-compute", serviceAccountPattern: "dmjob-*", roleArn: GOOD_ROLE, maxMappings: 10, mappingTtlDays: 30, justification: "Nightly Domino jobs read the curated bucket" });
  campaignId = (await post(request, "audrey", "/api/v1/reviews", { name: "Q4 recertification: domino-green", scope: { clusters: ["domino-green"] }, dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() })).id;
});

test("signed out", async ({ page }) => {
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: "Sign in as ivy" })).toBeVisible();
  await shot(page, "sign-in");
});

test("as the requester: the filing form", async ({ page }) => {
  await signInAs(page, "alice");
  await page.goto("/requests/new");
  await pickFilingFields(page, { cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-snowflake-nightly", role: "domino-pi-snowflake-export" });
  await expect(page.locator('[data-testid="filing-prechecks"] li[data-check="trust-allows-pod-identity"]')).toHaveAttribute("data-status", "fail");
  await shot(page, "filing-form", { fullPage: true });
});

test("as the approver: overview, decision screen, inventory, lifecycle and audit pages", async ({ page }) => {
  await signInAs(page, "ivy");
  await page.goto("/");
  await expect(page.getByTestId("overview-counts")).toBeVisible();
  await expect(page.getByTestId("overview-inbox")).toContainText(/Needs your review \([1-9]/);
  await shot(page, "overview");

  await page.goto(`/requests/${decisionId}`);
  // The reviewer's page re-runs the prechecks once loaded; the diff of the trust fix is in the item.
  await expect(page.getByTestId("prechecks-at")).toContainText("Prechecks last run");
  await expect(page.getByTestId("verdict-strip")).toBeVisible();
  await expect(page.getByTestId("policy-diff").first()).toContainText("sts:TagSession");
  // Down to the trust policy's statement diff (the whole page is over the size limit).
  await shot(page, "decision-screen", { fullPage: true, maxHeight: 1200 });

  await page.goto("/mappings?severity=high");
  await expect(page.locator("#main table").first()).toBeVisible();
  await shot(page, "mappings");

  await page.goto(ROLE_PATH);
  await expect(page.getByTestId("role-assumers")).toBeVisible();
  await shot(page, "role");

  await page.goto("/clusters");
  await expect(page.locator("h1").first()).toHaveText("Clusters");
  await shot(page, "clusters");

  await page.goto("/drift");
  await expect(page.getByTestId("drift-out-of-band")).toBeVisible();
  await shot(page, "drift");

  await page.goto("/templates");
  await expect(page.getByTestId("template-nightly-jobs")).toBeVisible();
  await shot(page, "templates");
});

test("as the auditor: the audit trail and the review campaign", async ({ page }) => {
  await signInAs(page, "audrey");
  await page.goto("/audit");
  await expect(page.getByTestId("audit-aws-call").first()).toContainText("eks:CreatePodIdentityAssociation");
  await shot(page, "audit");
  await page.goto(`/reviews/${campaignId}`);
  await expect(page.getByTestId("campaign-status")).toBeVisible();
  await shot(page, "review-campaign");
});

test("the decision screen at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs(page, "ivy");
  await page.goto(`/requests/${decisionId}`);
  await expect(page.getByTestId("prechecks-at")).toContainText("Prechecks last run");
  await expect(page.getByTestId("verdict-strip")).toBeVisible();
  await shot(page, "decision-screen-phone");
});

test("the overview in dark mode", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await signInAs(page, "ivy");
  await page.goto("/");
  await expect(page.getByTestId("overview-counts")).toBeVisible();
  await shot(page, "overview-dark");
});

test("every image of the gallery was written; the gallery page lists them", () => {
  expect([...taken.keys()].sort()).toEqual(SHOTS.map((s) => s.name).sort());
  writeFileSync(path.join(dir, "README.md"), galleryMarkdown());
  for (const [name, bytes] of taken) console.log(`${GALLERY_DIR}/${name}.png: ${Math.round(bytes / 1024)} kB`);
});
