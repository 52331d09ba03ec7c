// deploy/iam/ is least privilege, proven against the code: every AWS operation
// RoleGate's code sends is allowed, and every allowed action is one the code sends
// or needs for a call. (The calls actually made during the test run are checked
// too, by the global set-up tests/setup/aws-calls.ts.)
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { actionsFor, actionsNotNeededBy, allowedActions, DEPENDENT_ACTIONS, isAllowed, operationsInCode, policyStatements, POLICY_FILES, root } from "./iam-policies";

describe("deploy/iam policies", () => {
  const inCode = operationsInCode();

  it("finds RoleGate's AWS operations in the code (the scan sees reads, writes and STS)", () => {
    for (const op of ["eks:ListPodIdentityAssociations", "eks:CreatePodIdentityAssociation", "iam:UpdateAssumeRolePolicy", "iam:ListRoles", "sts:AssumeRole", "sqs:ReceiveMessage", "sqs:DeleteMessage"]) expect([...inCode.keys()]).toContain(op);
  });

  it("allow every AWS operation RoleGate's code sends, with the actions AWS checks on top", () => {
    const allowed = allowedActions();
    const denied = [...inCode.keys()].flatMap(actionsFor).filter((a) => !isAllowed(a, allowed));
    expect(denied).toEqual([]);
  });

  it("allow no action the code does not send or need", () => {
    expect(actionsNotNeededBy(inCode.keys())).toEqual([]);
  });

  it("name, as not needed, an allowed action no call needs (what the full run's call check reports)", () => {
    const allowed = new Set(["eks:ListClusters", "eks:CreatePodIdentityAssociation", "iam:PassRole", "iam:GetRole", "eks:TagResource", "eks:ListAccessEntries"]);
    expect(actionsNotNeededBy(["eks:ListClusters", "eks:CreatePodIdentityAssociation"], allowed)).toEqual(["eks:ListAccessEntries"]);
  });

  it("never allow a wildcard action, NotAction or a Deny-less write on every resource", () => {
    for (const f of POLICY_FILES) {
      for (const s of policyStatements(f)) {
        expect(s.NotAction, f).toBeUndefined();
        for (const a of [s.Action ?? []].flat()) expect(a, f).not.toContain("*");
        const writes = [s.Action ?? []].flat().filter((a) => !/:(List|Describe|Get)/.test(a));
        if (writes.length) expect([s.Resource].flat(), `${f}: ${writes.join(", ")}`).not.toContain("*");
      }
    }
  });

  it("scope PassRole to Pod Identity and tag-guard association creation", () => {
    const applier = policyStatements("applier-policy.json");
    const passRole = applier.find((s) => [s.Action].flat().includes("iam:PassRole"))!;
    expect(passRole.Condition).toEqual({ StringEquals: { "iam:PassedToService": "pods.eks.amazonaws.com" } });
    const create = applier.find((s) => [s.Action].flat().includes("eks:CreatePodIdentityAssociation"))!;
    expect(create.Condition).toEqual({ StringEquals: { "aws:RequestTag/rolegate.io/managed-by": "rolegate" } });
    expect(Object.keys(DEPENDENT_ACTIONS)).toContain("eks:CreatePodIdentityAssociation");
  });

  it("let RoleGate's own role read, delete and re-time messages of the change-events queue only, and send none", () => {
    const own = policyStatements("rolegate-role-policy.json").find((s) => [s.Action].flat().some((a) => String(a).startsWith("sqs:")))!;
    expect([own.Action].flat().sort()).toEqual(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]);
    expect(own.Resource).toBe("arn:aws:sqs:${EVENTS_REGION}:${ROLEGATE_ACCOUNT_ID}:rolegate-events");
    const queuePolicy = JSON.parse(readFileSync(path.join(root, "deploy/events/queue-policy.json"), "utf8")).Statement;
    expect(queuePolicy).toEqual([expect.objectContaining({ Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Condition: { ArnEquals: { "aws:SourceArn": expect.stringContaining(":rule/") } } })]);
  });

  it("trust only Pod Identity for RoleGate's role and only that role (session 'rolegate') for the per-account role", () => {
    const trust = (f: string) => JSON.parse(readFileSync(path.join(root, "deploy/iam", f), "utf8")).Statement;
    expect(trust("rolegate-role-trust.json")).toEqual([expect.objectContaining({ Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] })]);
    expect(trust("access-role-trust.json")).toEqual([
      expect.objectContaining({ Principal: { AWS: "arn:aws:iam::${ROLEGATE_ACCOUNT_ID}:role/rolegate/RoleGate" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:RoleSessionName": "rolegate" } } }),
    ]);
    // The session name the trust requires is the one the code uses.
    expect(readFileSync(path.join(root, "lib/aws/clients.ts"), "utf8")).toContain('RoleSessionName: "rolegate"');
  });

  it("the Kubernetes RBAC grants get/list of service accounts, pods, nodes and DaemonSets (placement) and delete of pods, nothing more", async () => {
    const { parseAllDocuments } = await import("yaml");
    const docs = parseAllDocuments(readFileSync(path.join(root, "deploy/iam/kubernetes/rbac.yaml"), "utf8")).map((d) => d.toJS());
    const rules = docs.filter((d) => d.kind === "ClusterRole" || d.kind === "Role").flatMap((d) => d.rules.flatMap((r: { resources: string[]; verbs: string[] }) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${res}${d.kind === "Role" ? ` in ${d.metadata.namespace}` : ""}`))));
    expect(rules.sort()).toEqual(["delete pods in domino-compute", "get daemonsets", "get nodes", "get pods", "get serviceaccounts", "list daemonsets", "list nodes", "list pods", "list serviceaccounts"]);
    const { validateManifest } = await import("./k8s-schema");
    expect((await Promise.all(docs.map(validateManifest))).flat()).toEqual([]);
  });
});
