// A role born behind approval, through the form (issue 13): the requester (alice)
// chooses "Create a new role", searches IAM's managed catalogue and adds a policy
// by keyboard, removes one by keyboard, writes a bad inline policy and sees the
// server's error on the field, fixes it, sees the tight trust the role will be
// born with and the prechecks counting it as born, and files one batch. The IAM
// team (ivy) approves; RoleGate creates the role, then the association. The
// sandbox's IAM then has the role with that trust, its policies and the
// boundary the administrators require, and EKS maps the service account to it.
import AxeBuilder from "@axe-core/playwright";
import { DescribePodIdentityAssociationCommand, EKSClient, ListPodIdentityAssociationsCommand } from "@aws-sdk/client-eks";
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { expect, test, type Page } from "@playwright/test";
import { REQUIRED_BOUNDARY, signInAs } from "./helpers";

const base = Number(process.env.E2E_PORT_BASE ?? 3100);
const AWS = `http://127.0.0.1:${base + 11466}`;
const sandbox = { region: "us-east-1", endpoint: AWS, credentials: { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" }, maxAttempts: 1 };
const iam = new IAMClient(sandbox);
const eks = new EKSClient(sandbox);

const ACCOUNT = "111122223333";
// Green's node role lists the roles the agent may fetch: the new role is not on it, and the form adds that fix.
const CLUSTER = "domino-green";
const SA = "svc-e2e-born-reports";
const ROLE_NAME = "e2e-born-reports";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workloads/${ROLE_NAME}`;
const S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const GOOD_INLINE = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:reports` }] });
const BAD_INLINE = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Permit", Action: "sqs:SendMessage", Resource: "*" }] });

async function seriousViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.describe("a role born behind approval, through the form", () => {
  test("requester files a new role + mapping; the IAM team approves; the role is born with its trust, policies and boundary, and the association uses it", async ({ page }) => {
    test.setTimeout(180_000);
    await signInAs(page, "alice");
    await page.goto("/requests/new");
    await page.getByLabel("Cluster", { exact: true }).selectOption(CLUSTER);
    await page.getByRole("combobox", { name: "Namespace" }).fill("domino-compute");
    await page.getByRole("combobox", { name: "Service account" }).fill(SA);
    await page.getByRole("radio", { name: "Create a new role" }).check();
    await expect(page.getByRole("combobox", { name: "Role", exact: true })).toHaveCount(0);

    await page.getByLabel("Role name").fill(ROLE_NAME);
    await page.getByLabel("Path", { exact: true }).fill("/workloads/");
    await page.getByLabel("Description (optional)").fill("Reports export, born behind approval");
    await expect(page.getByTestId("born-arn")).toHaveText(ROLE_ARN);

    // The boundary the administrators require: learnt from the server, filled in and locked.
    const boundary = page.getByLabel("Permissions boundary");
    await expect(boundary).toHaveValue(REQUIRED_BOUNDARY);
    await expect(boundary).toHaveAttribute("readonly", "");
    await expect(page.getByText("Required by your administrators for every new role")).toBeVisible();

    // The catalogue, searched on the server, by keyboard: the listbox is expanded only while shown.
    const catalogue = page.getByRole("combobox", { name: "AWS managed policy" });
    await expect(catalogue).toHaveAttribute("aria-expanded", "false");
    await catalogue.fill("S3ReadOnly");
    const s3 = page.getByRole("option", { name: /AmazonS3ReadOnlyAccess/ });
    await expect(s3).toBeVisible();
    await expect(page.getByRole("listbox", { name: "AWS managed policy: suggestions" }).getByRole("option")).toHaveCount(1);
    await expect(catalogue).toHaveAttribute("aria-expanded", "true");
    await expect(catalogue).toHaveAttribute("aria-controls", await page.getByRole("listbox").getAttribute("id") ?? "missing");
    await expect(catalogue).toHaveAttribute("aria-activedescendant", (await s3.getAttribute("id"))!);
    expect(await seriousViolations(page)).toEqual([]);
    await catalogue.press("Enter");
    const chips = page.getByTestId("policy-chips");
    await expect(chips).toContainText("AmazonS3ReadOnlyAccess");
    await expect(catalogue).toHaveAttribute("aria-expanded", "false");
    await expect(catalogue).not.toHaveAttribute("aria-activedescendant", /./);

    // A second one, then removed again by keyboard.
    await catalogue.fill("CloudWatchReadOnly");
    await page.getByRole("option", { name: /^CloudWatchReadOnlyAccess/ }).click();
    await expect(chips).toContainText("CloudWatchReadOnlyAccess");
    await page.getByRole("button", { name: "Remove CloudWatchReadOnlyAccess" }).focus();
    await page.keyboard.press("Delete");
    await expect(chips).not.toContainText("CloudWatchReadOnlyAccess");
    await expect(chips).toContainText("AmazonS3ReadOnlyAccess");

    // A bad inline policy: the server's grammar answers on the field once it is left.
    const inline = page.getByLabel("Inline policy (optional JSON)");
    await inline.fill(BAD_INLINE);
    await inline.blur();
    await expect(inline).toHaveAttribute("aria-invalid", "true", { timeout: 20_000 });
    await expect(page.locator("#create-role-inline-message")).toContainText('Statement[0].Effect must be "Allow" or "Deny"');
    await expect(page.getByTestId("born-trust")).toHaveCount(0);
    await inline.fill(GOOD_INLINE);
    await inline.blur();
    await expect(inline).toHaveAttribute("aria-invalid", "false", { timeout: 20_000 });

    // The trust it will be born with (the server's), and the prechecks counting the role as born.
    const trust = page.getByTestId("born-trust");
    await expect(trust).toContainText('"Service": "pods.eks.amazonaws.com"', { timeout: 20_000 });
    await expect(trust).toContainText(`"aws:SourceAccount": "${ACCOUNT}"`);
    await expect(trust).toContainText(`"aws:SourceArn": "arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${CLUSTER}"`);
    const check = (id: string) => page.locator(`[data-testid="filing-prechecks"] li[data-check="${id}"]`);
    await expect(check("role-exists")).toHaveAttribute("data-status", "pass");
    await expect(check("trust-allows-pod-identity")).toHaveAttribute("data-status", "pass");
    // Only the node role's exhaustive list fails (the new role is not on it): its fix goes into the same request.
    await expect(page.locator('[data-testid="filing-prechecks"] li[data-status="fail"]')).toHaveCount(1);
    await check("node-role-allows-role").getByRole("button", { name: "Add this fix" }).click();
    await expect(page.getByTestId("iam-fixes-included")).toBeVisible();

    // At phone width the form stays inside the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByLabel("Justification").fill("Reports export needs its own narrowly scoped role");
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    await expect(page.getByTestId("request-status")).toHaveText("pending");
    const id = page.url().split("/").pop()!;
    const filed = await (await page.request.get(`/api/v1/requests/${id}`, { headers: { Authorization: "Bearer sandbox-alice" } })).json();
    expect((filed.items as { kind: string; roleArn: string }[]).map((i) => [i.kind, i.roleArn])).toEqual([
      ["create-role", ROLE_ARN],
      ["iam-node-role-policy", `arn:aws:iam::${ACCOUNT}:role/domino-green-eks-nodes`],
      ["create", ROLE_ARN],
    ]);

    // The IAM team approves; the role is created first, then the association.
    await page.context().clearCookies();
    await signInAs(page, "ivy");
    await page.goto(`/requests/${id}`);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(page.getByTestId("request-status")).toHaveText("applied", { timeout: 60_000 });

    const role = (await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!;
    expect(role.Arn).toBe(ROLE_ARN);
    expect(role.Path).toBe("/workloads/");
    expect(role.Description).toBe("Reports export, born behind approval");
    expect(role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(REQUIRED_BOUNDARY);
    const bornTrust = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!));
    expect(bornTrust.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnEquals: { "aws:SourceArn": `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${CLUSTER}` } },
      }),
    ]);
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE_NAME }))).AttachedPolicies!;
    expect(attached.map((p) => p.PolicyArn)).toEqual([S3_READ]);
    const inlineDoc = (await iam.send(new GetRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: "rolegate-inline" }))).PolicyDocument!;
    expect(JSON.parse(decodeURIComponent(inlineDoc))).toEqual(JSON.parse(GOOD_INLINE));

    const list = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: CLUSTER, namespace: "domino-compute", serviceAccount: SA }));
    expect(list.associations).toHaveLength(1);
    const association = (await eks.send(new DescribePodIdentityAssociationCommand({ clusterName: CLUSTER, associationId: list.associations![0]!.associationId! }))).association!;
    expect(association.roleArn).toBe(ROLE_ARN);
  });

  test("the role picker searches on the server: the page carries a first page only; typing asks GET /api/v1/role-choices", async ({ page }) => {
    await signInAs(page, "alice");
    const searches: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/v1/role-choices")) searches.push(new URL(r.url()).searchParams.get("q") ?? "");
    });
    await page.goto("/requests/new");
    const picker = page.getByRole("combobox", { name: "Role", exact: true });
    // Focus opens the list once React has hydrated the form; a focus before that opens nothing, so focus again.
    await expect(async () => {
      await picker.blur();
      await picker.focus();
      await expect(page.getByRole("listbox").getByTestId("role-option")).toHaveCount(20, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(picker).toHaveAttribute("aria-expanded", "true");
    await picker.press("Escape");
    await expect(picker).toHaveAttribute("aria-expanded", "false");
    await picker.pressSequentially("etl-hourly", { delay: 20 });
    await expect(page.getByRole("listbox").getByTestId("role-option")).toHaveCount(1);
    // Debounced: one search for the settled text, not one per key.
    expect(searches).toContain("etl-hourly");
    expect(searches.length).toBeLessThanOrEqual(3);
    await picker.press("Enter");
    await expect(page.getByTestId("chosen-role")).toContainText(`arn:aws:iam::${ACCOUNT}:role/domino/domino-pi-etl-hourly`);
    await picker.fill("no-such-role-anywhere");
    await expect(page.getByText("No role in the watched accounts matches.")).toBeVisible();
    await expect(picker).toHaveAttribute("aria-expanded", "false");
  });
});
