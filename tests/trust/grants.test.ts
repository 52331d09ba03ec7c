import { describe, expect, it } from "vitest";
import {
  evaluateTrust,
  extractGrants,
  irsaDecision,
  irsaRequest,
  parseTrustPolicy,
  podIdentityDecision,
  podIdentityRequest,
  type IrsaQuery,
} from "@/lib/trust";
import {
  ACCT, AUD_KEY, CLUSTER_ARN, GREEN_PATH, GREEN_PROVIDER, ISSUER, PROVIDER, SUB_KEY,
  irsaStmt, podStmt, policy, sub, type Stmt,
} from "../support/trust-policies";

const GREEN_SUB = `${GREEN_PATH}:sub`;

/** Statement pool; every policy of one or two of these is checked. */
const pool: Stmt[] = [
  irsaStmt(),
  irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl"), [AUD_KEY]: "sts.amazonaws.com" } }),
  irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" } }),
  irsaStmt({ StringLike: { [SUB_KEY]: ["system:serviceaccount:*:svc-?tl", sub("default", "x")] } }),
  irsaStmt({ StringEqualsIgnoreCase: { [SUB_KEY]: sub("DOMINO-compute", "SVC-ETL") } }),
  irsaStmt({ StringEquals: { [AUD_KEY]: "custom" } }),
  irsaStmt({ StringEqualsIfExists: { [SUB_KEY]: sub("default", "x") } }),
  irsaStmt({ "ForAnyValue:StringLike": { [SUB_KEY]: "system:serviceaccount:default:*" } }),
  irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl"), "aws:SourceAccount": ACCT } }),
  irsaStmt({ StringNotEquals: { "aws:SourceAccount": ACCT }, StringLike: { [SUB_KEY]: "*" } }),
  irsaStmt({ "ForAllValues:StringEquals": { "aws:TagKeys": "x" } }),
  irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl") } }, { Effect: "Deny" }),
  irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:default:*" } }, { Effect: "Deny" }),
  irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "svc-etl"), [GREEN_SUB]: sub("domino-compute", "svc-etl") } }, { Principal: { Federated: [PROVIDER, GREEN_PROVIDER] } }),
  irsaStmt({ StringEquals: { [GREEN_SUB]: sub("domino-compute", "svc-etl") } }, { Principal: { Federated: GREEN_PROVIDER } }),
  irsaStmt({ StringEquals: { [SUB_KEY.toUpperCase()]: sub("default", "x") } }),
  irsaStmt(undefined, { Action: "sts:*" }),
  irsaStmt(undefined, { Action: "sts:AssumeRole" }),
  irsaStmt(undefined, { Action: undefined, NotAction: "sts:TagSession" }),
  irsaStmt(undefined, { Principal: { Federated: "arn:aws:iam::444455556666:oidc-provider/" + GREEN_PATH } }),
  irsaStmt(undefined, { Principal: { Federated: "cognito-identity.amazonaws.com" } }),
  // Constructs the grant model does not express (must report exact=false):
  irsaStmt({ StringNotLike: { [SUB_KEY]: "system:serviceaccount:default:*" } }),
  irsaStmt({ StringLike: { [SUB_KEY]: "*" }, StringNotEquals: { [SUB_KEY]: sub("default", "x") } }),
  irsaStmt(undefined, { Principal: "*" }),
  irsaStmt(undefined, { Principal: undefined, NotPrincipal: { Federated: GREEN_PROVIDER } }),
  podStmt(),
  podStmt("sts:AssumeRole"),
  podStmt("sts:TagSession"),
  podStmt(undefined, { Condition: { StringEquals: { "aws:RequestTag/kubernetes-namespace": "domino-compute" } } }),
  podStmt(undefined, { Condition: { StringEquals: { "aws:SourceAccount": ACCT } } }),
  { ...podStmt("sts:TagSession"), Effect: "Deny" },
  podStmt("sts:*", { Principal: { Service: ["pods.eks.amazonaws.com", "ec2.amazonaws.com"] } }),
];

const policies: string[] = [];
for (let i = 0; i < pool.length; i++) {
  policies.push(policy(pool[i] as Stmt));
  for (let j = 0; j < pool.length; j++) if (i !== j) policies.push(policy(pool[i] as Stmt, pool[j] as Stmt));
}

const issuers = [ISSUER, GREEN_PATH, "https://oidc.example.com/id/OTHER"];
const sas: [string, string][] = [["domino-compute", "svc-etl"], ["domino-compute", "other"], ["default", "x"], ["team-a", "svc-etl"]];
const queries: IrsaQuery[] = [];
for (const issuer of issuers) {
  for (const [namespace, serviceAccount] of sas) {
    queries.push({ issuer, namespace, serviceAccount });
  }
  queries.push({ issuer, namespace: "default", serviceAccount: "x", audience: "custom" });
  queries.push({ issuer, namespace: "domino-compute", serviceAccount: "svc-etl", providerAccount: ACCT });
  queries.push({ issuer, namespace: "domino-compute", serviceAccount: "svc-etl", providerAccount: "444455556666" });
}

const podInputs = [
  { namespace: "domino-compute", serviceAccount: "svc-etl" },
  { namespace: "default", serviceAccount: "x", clusterArn: CLUSTER_ARN },
  { namespace: "domino-compute", serviceAccount: "svc-etl", sessionTags: false },
].map((i) => podIdentityRequest({ mechanism: "pod-identity", ...i }));

describe("grants index agrees with the evaluator", () => {
  it(`IRSA: ${policies.length} policies x ${queries.length} service accounts`, () => {
    let exactPolicies = 0;
    let compared = 0;
    let allowedSeen = 0;
    for (const text of policies) {
      const parsed = parseTrustPolicy(text);
      const grants = extractGrants(parsed);
      if (grants.exact) exactPolicies++;
      for (const q of queries) {
        const fast = irsaDecision(grants, q);
        const full = evaluateTrust(parsed, irsaRequest({ mechanism: "irsa", ...q })).allowed;
        if (!grants.exact) {
          expect(fast).toBeUndefined();
          continue;
        }
        compared++;
        if (full) allowedSeen++;
        if (fast !== full) throw new Error(`mismatch for ${text} and ${JSON.stringify(q)}: index=${fast} evaluator=${full}`);
      }
    }
    // Guard against a vacuous pass.
    expect(exactPolicies).toBeGreaterThan(policies.length / 2);
    expect(allowedSeen).toBeGreaterThan(100);
    expect(compared).toBeGreaterThan(5000);
  });

  it("Pod Identity: untrusted means never allowed, unconditional means always allowed", () => {
    for (const text of policies) {
      const parsed = parseTrustPolicy(text);
      const decision = podIdentityDecision(extractGrants(parsed));
      if (decision === undefined) continue;
      for (const req of podInputs) {
        const full = evaluateTrust(parsed, req).allowed;
        if (full !== decision) throw new Error(`pod identity mismatch for ${text}: index=${decision} evaluator=${full}`);
      }
    }
  });

  it("exposes issuer, subject patterns and audiences", () => {
    const g = extractGrants(parseTrustPolicy(policy(
      irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" }, StringEquals: { [AUD_KEY]: "sts.amazonaws.com" } }, { Sid: "Blue" }),
      irsaStmt(undefined, { Principal: { Federated: GREEN_PROVIDER } }),
      podStmt(),
    )));
    expect(g.exact).toBe(true);
    expect(g.irsa).toEqual([
      {
        statementIndex: 0, sid: "Blue", effect: "Allow", providerPath: SUB_KEY.slice(0, -4), providerAccount: ACCT,
        subjects: [{ kind: "wildcard", value: "system:serviceaccount:domino-compute:*", ignoreCase: false }],
        audiences: [{ kind: "exact", value: "sts.amazonaws.com", ignoreCase: false }],
      },
      { statementIndex: 1, effect: "Allow", providerPath: GREEN_PATH, providerAccount: ACCT, subjects: null, audiences: null },
    ]);
    expect(g.podIdentity).toEqual({ trusted: true, tagSession: true, unconditional: true });
  });

  it("drops grants whose other conditions can never hold for IRSA", () => {
    const g = extractGrants(parseTrustPolicy(policy(irsaStmt({ StringEquals: { "aws:SourceAccount": ACCT } }))));
    expect(g).toMatchObject({ exact: true, irsa: [] });
  });

  it("says why a policy is not exact", () => {
    const g = extractGrants(parseTrustPolicy(policy(irsaStmt({ StringNotLike: { [SUB_KEY]: "x" } }))));
    expect(g.exact).toBe(false);
    expect(g.inexactReasons[0]).toMatch(/StringNotLike/);
  });
});
