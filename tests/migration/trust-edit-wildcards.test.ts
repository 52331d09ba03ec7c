// The migration's trust edit reports wildcard subjects that still match the
// service account; it matches them with lib/trust's linear matcher (IAM
// escapes honoured), so a hostile pattern cannot stall the edit.
import { describe, expect, it } from "vitest";
import { removeIrsaSubject } from "@/lib/migration/trust-edit";

const provider = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/GREEN";
const key = "oidc.eks.us-east-1.amazonaws.com/id/GREEN:sub";
const policy = (like: string[]) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [key]: "system:serviceaccount:domino-compute:dmuser-alice-analytics" } } },
      { Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { [key]: like } } },
    ],
  });

describe("removeIrsaSubject and wildcard subjects", () => {
  it("reports matching wildcards with IAM semantics: ${*} is a literal star, ? one character", () => {
    const r = removeIrsaSubject(
      policy(["system:serviceaccount:domino-compute:dmuser-*", "system:serviceaccount:domino-compute:${*}", "system:serviceaccount:domino-compute:dmuser-alice-analytic?", "system:serviceaccount:other:*"]),
      provider, "domino-compute", "dmuser-alice-analytics",
    );
    expect(r.wildcards).toEqual(["system:serviceaccount:domino-compute:dmuser-*", "system:serviceaccount:domino-compute:dmuser-alice-analytic?"]);
  });

  it("handles the issue's hostile pattern (12 *? pairs) in milliseconds", () => {
    const t = performance.now();
    const r = removeIrsaSubject(policy([`system:serviceaccount:${"*?".repeat(12)}X`]), provider, "domino-compute", "dmuser-alice-analytics");
    expect(r.wildcards).toEqual([]);
    expect(r.dropped).toEqual([0]);
    expect(performance.now() - t).toBeLessThan(200);
  });
});
