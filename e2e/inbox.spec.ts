// "Needs your review": an approver sees how many requests wait for them, in the
// navigation and on the overview, and follows it to /requests on that tab.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

// A role whose prechecks all pass on domino-green, so a reviewer gets the plain Approve.
const ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality";
const run = Date.now().toString(36);

async function file(request: APIRequestContext, login: string, serviceAccount: string): Promise<string> {
  const res = await request.post("/api/v1/requests", {
    headers: { Authorization: `Bearer sandbox-${login}` },
    data: { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount, roleArn: ROLE, justification: "Inbox journey: a job needs the bucket" },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).id;
}

/** The N of "Needs your review (N)" in the navigation. */
async function navCount(page: Page): Promise<number> {
  const text = await page.getByTestId("nav-inbox").innerText();
  const m = /^Needs your review \((\d+)\)$/.exec(text.trim());
  expect(m, text).not.toBeNull();
  return Number(m![1]);
}

test("an approver sees 'Needs your review (N)' with the right N and follows it to the review tab", async ({ page, request }) => {
  await signInAs(page, "ivy");
  const before = await navCount(page);
  const fromAlice = [await file(request, "alice", `svc-inbox-a-${run}`), await file(request, "bob", `svc-inbox-b-${run}`)];
  const own = await file(request, "ivy", `svc-inbox-own-${run}`);

  await page.goto("/");
  const n = await navCount(page);
  expect(n).toBe(before + 2); // two from others; ivy's own request never asks her
  await expect(page.getByTestId("overview-inbox")).toContainText(`Needs your review (${n})`);

  await page.getByTestId("nav-inbox").click();
  await expect(page).toHaveURL(/\/requests\?tab=review$/);
  await expect(page.getByTestId("tab-review")).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(`(${n} requests)`)).toBeVisible();
  const table = page.getByTestId("requests-table");
  for (const id of fromAlice) await expect(table.locator(`a[href="/requests/${id}"]`)).toBeVisible();
  await expect(table.locator(`a[href="/requests/${own}"]`)).toHaveCount(0);

  // The count and the Approve button agree: what the inbox lists, ivy can approve.
  await table.locator(`a[href="/requests/${fromAlice[0]}"]`).click();
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toBeVisible();
  expect((await request.post(`/api/v1/requests/${fromAlice[0]}/approve`, { headers: { Authorization: "Bearer sandbox-ivy" }, data: {} })).status()).toBe(200);
  await page.goto("/requests");
  await expect(page.getByTestId("tab-review")).toHaveAttribute("aria-current", "page"); // reviewers open on their inbox
  expect(await navCount(page)).toBe(n - 1);
  for (const [id, login] of [[fromAlice[1]!, "bob"], [own, "ivy"]] as const) {
    expect((await request.post(`/api/v1/requests/${id}/cancel`, { headers: { Authorization: `Bearer sandbox-${login}` }, data: {} })).status()).toBe(200);
  }
});

test("a requester has no review inbox and /requests opens on their own requests", async ({ page }) => {
  await signInAs(page, "alice");
  await expect(page.getByTestId("nav-inbox")).toHaveCount(0);
  await expect(page.getByTestId("overview-inbox")).toHaveCount(0);
  await page.goto("/requests");
  await expect(page.getByTestId("tab-mine")).toHaveAttribute("aria-current", "page");
});
