import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

// Freshness (README "Freshness: changes visible in seconds"): the app in sandbox mode
// consumes the sandbox's CloudTrail events from its SQS queue, so a change made
// outside RoleGate reaches /drift without a refresh.
const AWS = `http://127.0.0.1:${Number(process.env.E2E_PORT_BASE ?? 3100) + 11466}`;

test("an association created out of band shows on /drift within 5 s, without a refresh", async ({ page }) => {
  await signInAs(page, "bob");
  await page.goto("/drift");
  await expect(page.getByText("Change events keep it current")).toBeVisible();
  const { EKSClient, CreatePodIdentityAssociationCommand } = await import("@aws-sdk/client-eks");
  const eks = new EKSClient({ region: "us-east-1", endpoint: AWS, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const serviceAccount = `e2e-fresh-${Date.now()}`;
  const started = Date.now();
  await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "domino-green", namespace: "domino-compute", serviceAccount, roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-abac-guarded" }));
  eks.destroy();
  const row = page.getByTestId("drift-out-of-band").getByRole("cell", { name: `domino-compute/${serviceAccount}`, exact: true });
  await expect
    .poll(async () => {
      await page.goto("/drift");
      return row.count();
    }, { timeout: 5_000, intervals: [100, 250] })
    .toBe(1);
  expect(Date.now() - started).toBeLessThan(5_000);
});
