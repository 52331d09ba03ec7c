// The statement-level diff of an IAM item against the role's current policy.
import { describe, expect, it } from "vitest";
import { policyDiff } from "@/lib/requests/policy-diff";

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const irsa = { Sid: "Irsa", Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity" };
const pi = { Sid: "PodIdentity", Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" };
const piTag = { ...pi, Action: ["sts:AssumeRole", "sts:TagSession"] };

describe("policyDiff", () => {
  it("keeps unchanged statements (key order ignored), shows added and removed ones whole", () => {
    const reordered = { Action: irsa.Action, Principal: irsa.Principal, Effect: "Allow", Sid: "Irsa" };
    const d = policyDiff(doc(irsa), doc(reordered, pi));
    expect(d.statements.map((s) => [s.label, s.change])).toEqual([["Statement \"Irsa\"", "same"], ["Statement \"PodIdentity\"", "added"]]);
    expect(d).toMatchObject({ added: 1, removed: 0, edited: 0 });
    const gone = policyDiff(doc(irsa, pi), doc(irsa));
    expect(gone).toMatchObject({ added: 0, removed: 1 });
  });

  it("a statement edited in place is shown line by line", () => {
    const d = policyDiff(doc(irsa, pi), doc(irsa, piTag));
    expect(d.edited).toBe(1);
    const edited = d.statements.find((s) => s.change === "edited")!;
    if (edited.change !== "edited") throw new Error("expected an edited statement");
    expect(edited.lines.filter((l) => l.change === "added").map((l) => l.text.trim())).toContain('"sts:TagSession"');
    expect(edited.lines.some((l) => l.change === "removed" && l.text.includes('"Action": "sts:AssumeRole"'))).toBe(true);
  });

  it("no current policy: every statement is new; unreadable documents are said, not thrown", () => {
    expect(policyDiff(null, doc(pi))).toMatchObject({ added: 1 });
    expect(policyDiff("{oops", doc(pi)).error).toContain("current document is not JSON");
    expect(policyDiff(doc(pi), "nope").error).toContain("new document is not JSON");
  });
});
