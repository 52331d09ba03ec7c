// What the new-request form offers to pick, from the demo fleet's snapshot: the
// roles' Pod Identity trust and node-role coverage, and the pre-fill checked
// against the inventory (unknown values dropped with a note, never trusted).
import { describe, expect, it } from "vitest";
import { analyzeSnapshot } from "@/lib/inventory/analysis";
import { buildFilingChoices, checkPrefill } from "@/lib/inventory/views/filing-choices";
import { buildServiceAccountRows } from "@/lib/inventory/views/service-accounts";
import { demo } from "../support/analysis";

const snapshot = demo().snapshot;
const choices = buildFilingChoices(snapshot, buildServiceAccountRows(snapshot, analyzeSnapshot(snapshot)));
const role = (name: string) => choices.roles.find((r) => r.name === name)!;
const ARN = "arn:aws:iam::111122223333:role/domino/domino-pi-etl-hourly";

describe("filing choices", () => {
  it("list the watched clusters and every service account of the inventory", () => {
    expect(choices.clusters.map((c) => c.name)).toEqual(snapshot.clusters.map((c) => c.name).sort());
    expect(choices.serviceAccounts).toHaveLength(snapshot.clusters.reduce((n, c) => n + c.serviceAccounts.length, 0));
    expect(choices.serviceAccounts.find((s) => s.name === "svc-fargate-batch")).toMatchObject({ cluster: "domino-mixed", podIdentity: "unsupported" });
  });

  it("say per role whether its trust lets Pod Identity in, with sts:TagSession, and give path and account", () => {
    expect(role("domino-pi-etl-hourly")).toMatchObject({ arn: ARN, path: "/domino/", accountId: "111122223333", trust: "allows" });
    expect(role("domino-pi-legacy-dwh").trust).toBe("no-tagsession");
    expect(role("domino-irsa-sagemaker").trust).toBe("not-trusted");
    expect(role("domino-pi-etl-nightly").trust).toBe("conditional");
  });

  it("name the clusters whose node role leaves the role out of eks-auth:AssumeRoleForPodIdentity", () => {
    expect(role("domino-pi-forecasting").nodeRoleMissingOn).toEqual(["domino-green"]);
    expect(role("domino-pi-etl-hourly").nodeRoleMissingOn).toEqual([]);
  });
});

describe("pre-fill from /requests/new?...", () => {
  const sa = choices.serviceAccounts.find((s) => s.cluster === "domino-green" && s.namespace === "domino-compute")!;

  it("keeps what the inventory knows", () => {
    expect(checkPrefill(choices, { cluster: "domino-green", namespace: "domino-compute", serviceAccount: sa.name, roleArn: ARN })).toEqual({
      prefill: { cluster: "domino-green", namespace: "domino-compute", serviceAccount: sa.name, roleArn: ARN },
      notes: [],
    });
  });

  it("drops each unknown or malformed value with a note saying why", () => {
    const { prefill, notes } = checkPrefill(choices, { cluster: "nope", namespace: "Bad_NS", serviceAccount: "ghost", roleArn: `${ARN}-typo` });
    expect(prefill).toEqual({});
    expect(notes).toEqual([
      'Ignored cluster "nope": it is not a watched cluster.',
      expect.stringMatching(/^Ignored namespace "Bad_NS": namespace "Bad_NS" is not a valid DNS-1123 label/),
      'Ignored service account "ghost": no such service account in a known cluster and namespace.',
      `Ignored role "${ARN}-typo": no role with this ARN in the watched accounts.`,
    ]);
    // A repeated parameter (an array) is not a value.
    expect(checkPrefill(choices, { cluster: ["domino-green", "x"] })).toEqual({ prefill: {}, notes: [] });
    expect(checkPrefill(choices, { cluster: "domino-green", namespace: "domino-compute", serviceAccount: "ghost" }).notes).toEqual(['Ignored service account "ghost": no such service account in domino-green/domino-compute.']);
  });
});
