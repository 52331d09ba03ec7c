import { describe, expect, it } from "vitest";
import { canAssume, type CanAssumeInput } from "@/lib/trust";
import {
  ACCT, AUD_KEY, GREEN_PATH, GREEN_PROVIDER, ISSUER_PATH, PROVIDER, SUB_KEY,
  irsa, irsaStmt, policy, sub, type Stmt,
} from "../support/trust-policies";

const exactSub = { StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl"), [AUD_KEY]: "sts.amazonaws.com" } };

type Row = [name: string, statements: Stmt[], input: CanAssumeInput, allowed: boolean];

const rows: Row[] = [
  ["exact sub and aud", [irsaStmt(exactSub)], irsa(), true],
  ["other service account", [irsaStmt(exactSub)], irsa("domino-compute", "svc-other"), false],
  ["other namespace", [irsaStmt(exactSub)], irsa("default", "svc-etl"), false],
  ["issuer without https://", [irsaStmt(exactSub)], irsa(undefined, undefined, { issuer: ISSUER_PATH }), true],
  ["issuer with trailing slash", [irsaStmt(exactSub)], irsa(undefined, undefined, { issuer: `https://${ISSUER_PATH}/` }), true],
  ["issuer host in upper case", [irsaStmt(exactSub)], irsa(undefined, undefined, { issuer: `https://OIDC.EKS.us-east-1.amazonaws.com/id/ABC123` }), true],
  ["issuer id with different case is another provider", [irsaStmt(exactSub)], irsa(undefined, undefined, { issuer: `https://oidc.eks.us-east-1.amazonaws.com/id/abc123` }), false],
  ["another cluster's issuer", [irsaStmt(exactSub)], irsa(undefined, undefined, { issuer: `https://${GREEN_PATH}` }), false],
  ["provider account matches", [irsaStmt(exactSub)], irsa(undefined, undefined, { providerAccount: ACCT }), true],
  ["provider in another account", [irsaStmt(exactSub)], irsa(undefined, undefined, { providerAccount: "444455556666" }), false],
  ["aud mismatch", [irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl"), [AUD_KEY]: "other" } })], irsa(), false],
  ["custom audience accepted", [irsaStmt({ StringEquals: { [AUD_KEY]: "my-aud" } })], irsa(undefined, undefined, { audience: "my-aud" }), true],
  ["custom audience rejected by default policy", [irsaStmt(exactSub)], irsa(undefined, undefined, { audience: "my-aud" }), false],
  ["no conditions: any SA of the issuer", [irsaStmt()], irsa("anything", "at-all"), true],
  ["only aud condition: any SA", [irsaStmt({ StringEquals: { [AUD_KEY]: "sts.amazonaws.com" } })], irsa("x", "y"), true],
  ["StringLike sub wildcard across namespaces", [irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:*:svc-etl" } })], irsa("team-a", "svc-etl"), true],
  ["StringLike sub wildcard namespace-scoped", [irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" } })], irsa("other", "svc-etl"), false],
  ["StringLike ? wildcard", [irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:svc-et?" } })], irsa(), true],
  ["StringEquals treats * literally", [irsaStmt({ StringEquals: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" } })], irsa(), false],
  ["sub list is OR", [irsaStmt({ StringEquals: { [SUB_KEY]: [sub("a", "b"), sub("domino-compute", "svc-etl")] } })], irsa(), true],
  ["condition key in different case", [irsaStmt({ StringEquals: { [SUB_KEY.toUpperCase().replace(":SUB", ":Sub")]: sub("domino-compute", "svc-etl") } })], irsa(), true],
  ["value case matters", [irsaStmt({ StringEquals: { [SUB_KEY]: sub("Domino-Compute", "svc-etl") } })], irsa(), false],
  ["IgnoreCase value", [irsaStmt({ StringEqualsIgnoreCase: { [SUB_KEY]: sub("Domino-Compute", "SVC-ETL") } })], irsa(), true],
  ["StringNotEquals excludes one SA", [irsaStmt({ StringNotEquals: { [SUB_KEY]: sub("domino-compute", "admin") } })], irsa(), true],
  ["StringNotEquals excludes this SA", [irsaStmt({ StringNotEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl") } })], irsa(), false],
  ["action wildcard sts:*", [irsaStmt(exactSub, { Action: "sts:*" })], irsa(), true],
  ["action wildcard sts:AssumeRoleWith*", [irsaStmt(exactSub, { Action: "sts:AssumeRoleWith*" })], irsa(), true],
  ["action lower-case", [irsaStmt(exactSub, { Action: "STS:assumerolewithwebidentity" })], irsa(), true],
  ["action ? wildcard", [irsaStmt(exactSub, { Action: "sts:AssumeRoleWithWebIdentit?" })], irsa(), true],
  ["action only AssumeRole", [irsaStmt(exactSub, { Action: "sts:AssumeRole" })], irsa(), false],
  ["action list", [irsaStmt(exactSub, { Action: ["sts:TagSession", "sts:AssumeRoleWithWebIdentity"] })], irsa(), true],
  ["NotAction excluding another action", [irsaStmt(exactSub, { Action: undefined, NotAction: "sts:AssumeRole" })], irsa(), true],
  ["NotAction excluding web identity", [irsaStmt(exactSub, { Action: undefined, NotAction: "sts:AssumeRoleWith*" })], irsa(), false],
  ["Federated principal list", [irsaStmt(exactSub, { Principal: { Federated: [GREEN_PROVIDER, PROVIDER] } })], irsa(), true],
  ["Federated principal for another issuer", [irsaStmt(exactSub, { Principal: { Federated: GREEN_PROVIDER } })], irsa(), false],
  ["Principal *", [irsaStmt(exactSub, { Principal: "*" })], irsa(), true],
  ["Principal AWS *", [irsaStmt(exactSub, { Principal: { AWS: "*" } })], irsa(), true],
  ["Principal AWS account does not cover a web identity", [irsaStmt(exactSub, { Principal: { AWS: `arn:aws:iam::${ACCT}:root` } })], irsa(), false],
  ["Service principal does not cover a web identity", [irsaStmt(exactSub, { Principal: { Service: "pods.eks.amazonaws.com" } })], irsa(), false],
  ["NotPrincipal excluding another provider", [irsaStmt(exactSub, { Principal: undefined, NotPrincipal: { Federated: GREEN_PROVIDER } })], irsa(), true],
  ["NotPrincipal excluding this provider", [irsaStmt(exactSub, { Principal: undefined, NotPrincipal: { Federated: PROVIDER } })], irsa(), false],
  ["explicit Deny on the same SA wins", [irsaStmt(exactSub), irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl") } }, { Effect: "Deny" })], irsa(), false],
  ["Deny for another SA does not apply", [irsaStmt(exactSub), irsaStmt({ StringEquals: { [SUB_KEY]: sub("x", "y") } }, { Effect: "Deny" })], irsa(), true],
  ["Deny with StringNotLike fence", [irsaStmt(), irsaStmt({ StringNotLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" } }, { Effect: "Deny" })], irsa("default", "x"), false],
  ["Deny with StringNotLike fence lets the namespace in", [irsaStmt(), irsaStmt({ StringNotLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" } }, { Effect: "Deny" })], irsa(), true],
  ["only Deny statements", [irsaStmt(exactSub, { Effect: "Deny" })], irsa("a", "b"), false],
  // Blue/Green: one statement conditioned on both issuers' keys can never match (the other key is absent).
  ["both issuers' sub keys in one StringEquals", [irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl"), [`${GREEN_PATH}:sub`]: sub("domino-compute", "svc-etl") } }, { Principal: { Federated: [PROVIDER, GREEN_PROVIDER] } })], irsa(), false],
  ["both issuers' sub keys with IfExists", [irsaStmt({ StringEqualsIfExists: { [SUB_KEY]: sub("domino-compute", "svc-etl"), [`${GREEN_PATH}:sub`]: sub("domino-compute", "svc-etl") } }, { Principal: { Federated: [PROVIDER, GREEN_PROVIDER] } })], irsa(), true],
  ["separate statements per issuer (green)", [irsaStmt(exactSub), irsaStmt({ StringEquals: { [`${GREEN_PATH}:sub`]: sub("domino-compute", "svc-etl") } }, { Principal: { Federated: GREEN_PROVIDER } })], irsa(undefined, undefined, { issuer: GREEN_PATH }), true],
  ["Null requires absent sub", [irsaStmt({ Null: { [SUB_KEY]: "true" } })], irsa(), false],
  ["Null false on sub", [irsaStmt({ Null: { [SUB_KEY]: "false" } })], irsa(), true],
  ["condition on an absent key fails", [irsaStmt({ StringEquals: { "aws:SourceAccount": ACCT } })], irsa(), false],
  ["negated condition on an absent key passes", [irsaStmt({ StringNotEquals: { "aws:SourceAccount": ACCT } })], irsa(), true],
  ["ForAnyValue on absent key fails", [irsaStmt({ "ForAnyValue:StringEquals": { "aws:TagKeys": "x" } })], irsa(), false],
  ["ForAllValues on absent key passes", [irsaStmt({ "ForAllValues:StringEquals": { "aws:TagKeys": "x" } })], irsa(), true],
  ["StringLike and StringEquals both required (AND)", [irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" }, StringEquals: { [AUD_KEY]: "other" } })], irsa(), false],
  ["policy variable stays literal and does not crash", [irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:${aws:username}:*" } })], irsa(), false],
  ["Resource element is ignored", [irsaStmt(exactSub, { Resource: "*" })], irsa(), true],
];

describe("IRSA trust evaluation", () => {
  it.each(rows)("%s", (_name, statements, input, allowed) => {
    const r = canAssume(policy(...statements), input);
    expect(r.allowed).toBe(allowed);
    expect(r.mechanism).toBe("irsa");
    expect(r.statements).toHaveLength(statements.length);
  });

  it("explains the closest failing statement", () => {
    const r = canAssume(policy(irsaStmt(exactSub)), irsa("domino-compute", "svc-other"));
    expect(r.reason).toMatch(/^Not allowed: no statement allows sts:AssumeRoleWithWebIdentity/);
    expect(r.reason).toContain(sub("domino-compute", "svc-other"));
    expect(r.statements[0]).toMatchObject({ index: 0, effect: "Allow", matched: false, actions: [] });
  });

  it("names the denying statement by Sid", () => {
    const r = canAssume(policy(irsaStmt(exactSub), irsaStmt(undefined, { Effect: "Deny", Sid: "Freeze" })), irsa());
    expect(r.reason).toBe(`Denied: statement 1 (Sid "Freeze") explicitly denies sts:AssumeRoleWithWebIdentity for ${sub("domino-compute", "svc-etl")} (issuer ${ISSUER_PATH}).`);
    expect(r.statements[1]).toMatchObject({ sid: "Freeze", effect: "Deny", matched: true, actions: ["sts:AssumeRoleWithWebIdentity"] });
    expect(r.actions).toEqual([{ action: "sts:AssumeRoleWithWebIdentity", decision: "explicit-deny", statements: [1] }]);
  });

  it("reports the allowing statement", () => {
    const r = canAssume(policy(irsaStmt(exactSub, { Sid: "Etl" })), irsa());
    expect(r.reason).toContain('statement 0 (Sid "Etl")');
    expect(r.statements[0]?.matched).toBe(true);
  });

  it.each([
    [irsa("Bad_NS", "x"), /namespace/],
    [irsa("ok", "Bad SA"), /service account/],
    [irsa("a".repeat(64), "x"), /63/],
    [irsa(undefined, undefined, { issuer: "http://oidc.example.com/id/1" }), /https/],
    [irsa(undefined, undefined, { issuer: "not a url" }), /issuer/],
  ])("rejects bad input %#", (input, msg) => {
    expect(() => canAssume(policy(irsaStmt()), input)).toThrow(msg);
  });

  it("accepts dotted service account names (DNS subdomain)", () => {
    expect(canAssume(policy(irsaStmt()), irsa("ns", "my.sa-1")).allowed).toBe(true);
  });
});
