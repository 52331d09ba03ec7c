// The IRSA index (exact maps, compiled wildcards, Deny confirmation, fallback
// to full evaluation) must decide exactly what lib/trust's evaluator decides
// for every (role, service account) pair: generated trust policies with
// StringEquals/StringLike/IgnoreCase/negated/set operators, Denies, escapes,
// other audiences and foreign providers, against generated service accounts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeEdges } from "@/lib/inventory/analysis/edges";
import { bruteForceEdges, plainEdgeStrings, plainEdges } from "@/tests/support/analysis/brute-force";
import type { InventorySnapshot, SnapshotCluster } from "@/lib/inventory/snapshot-types";

const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const HOSTS = ["oidc.eks.us-east-1.amazonaws.com/id/AAAA1111", "oidc.eks.us-east-1.amazonaws.com/id/BBBB2222"];
// Kubernetes names (DNS-1123); the patterns may still use upper case, "*", "?" and "$".
const NAMESPACES = ["ns", "ns-a", "a"];
const NAMES = ["app", "app1", "app-x", "a.b", "ab", "x", "svc-1", "svc-12"];

const cluster = (i: number, sas: { namespace: string; name: string }[]): SnapshotCluster => ({
  accountId: ACCOUNT, region: "us-east-1", name: `c${i}`, arn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/c${i}`, status: "ACTIVE",
  oidcIssuer: `https://${HOSTS[i]}`, podIdentityAgentInstalled: true, nodegroups: [], associations: [], pods: [],
  serviceAccounts: sas.map((s) => ({ ...s, creationTimestamp: "2026-01-01T00:00:00Z", annotations: {} })),
});

// Pattern pieces over the same alphabet as the names, with wildcards and IAM escapes.
const piece = fc.constantFrom("app", "a", "p", "1", "-", "x", "svc", "ns", "NS", "*", "?", "${*}", "${?}", "${$}", "$", "A", "b");
const part = fc.array(piece, { minLength: 1, maxLength: 4 }).map((xs) => xs.join(""));
// Real names, names with a character or tail turned into a wildcard, or free-form pieces.
const blurred = (pool: string[]) =>
  fc.tuple(fc.constantFrom(...pool), fc.nat(), fc.constantFrom("?", "*", "${?}", "*?", "A")).map(([n, i, w]) => {
    const at = i % (n.length + 1);
    return n.slice(0, at) + w + n.slice(at + (w === "*" ? (i >> 4) % 3 : 1));
  });
const nsPart = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NAMESPACES) }, { weight: 2, arbitrary: blurred(NAMESPACES) }, { weight: 1, arbitrary: part });
const namePart = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NAMES) }, { weight: 2, arbitrary: blurred(NAMES) }, { weight: 1, arbitrary: part });
const subjectValue = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(nsPart, namePart).map(([ns, n]) => `system:serviceaccount:${ns}:${n}`) },
  { weight: 1, arbitrary: fc.constantFrom("*", "system:serviceaccount:*", "system:serviceaccount:ns:*", "SYSTEM:SERVICEACCOUNT:NS:APP", `system:serviceaccount:${"*?".repeat(12)}X`) },
);
const values = fc.array(subjectValue, { minLength: 1, maxLength: 3 }).map((v) => (v.length === 1 ? v[0]! : v));
const subOperator = fc.constantFrom(
  "StringEquals", "StringLike", "StringEquals", "StringLike", "StringEqualsIgnoreCase", "StringNotEquals", "StringNotLike",
  "ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringLikeIfExists",
);

const statement = fc.record({
  effect: fc.constantFrom("Allow", "Allow", "Allow", "Deny"),
  host: fc.nat(1),
  providerAccount: fc.constantFrom(ACCOUNT, ACCOUNT, ACCOUNT, OTHER),
  action: fc.constantFrom("sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithWebIdentity", "sts:*", "sts:AssumeRole", ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]),
  sub: fc.option(fc.array(fc.tuple(subOperator, values), { minLength: 1, maxLength: 2 }), { freq: 5 }),
  aud: fc.constantFrom(undefined, "sts.amazonaws.com", "other-audience", ["sts.amazonaws.com", "x"]),
}).map((s) => {
  const h = HOSTS[s.host]!;
  const cond: Record<string, Record<string, unknown>> = {};
  for (const [op, v] of s.sub ?? []) cond[op] = { ...(cond[op] ?? {}), [`${h}:sub`]: v };
  if (s.aud !== undefined) cond.StringEquals = { ...(cond.StringEquals ?? {}), [`${h}:aud`]: s.aud };
  return {
    Effect: s.effect,
    Principal: { Federated: `arn:aws:iam::${s.providerAccount}:oidc-provider/${h}` },
    Action: s.action,
    ...(Object.keys(cond).length ? { Condition: cond } : {}),
  };
});

const serviceAccounts = fc.uniqueArray(fc.record({ namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom(...NAMES) }), {
  minLength: 1,
  maxLength: 8,
  selector: (s) => `${s.namespace}/${s.name}`,
});

const snapshot = fc
  .tuple(fc.array(fc.array(statement, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), serviceAccounts, serviceAccounts)
  .map(([policies, sas0, sas1]): InventorySnapshot => ({
    scannedAt: "2026-03-01T00:00:00Z",
    accounts: [{ accountId: ACCOUNT, regions: ["us-east-1"] }],
    clusters: [cluster(0, sas0), cluster(1, sas1)],
    roles: policies.map((st, i) => ({
      accountId: ACCOUNT, roleName: `r${i}`, arn: `arn:aws:iam::${ACCOUNT}:role/r${i}`, path: "/",
      trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: st.length === 1 ? st[0] : st }), inlinePolicies: {}, attachedPolicyArns: [], tags: {},
    })),
    oidcProviders: [],
    errors: [],
  }));

const irsaOnly = (xs: string[]) => xs.filter((x) => x.startsWith("irsa|"));

describe("IRSA index vs lib/trust's full evaluation", () => {
  it("allows and denies the same (role, service account) pairs for generated trust policies", () => {
    fc.assert(
      fc.property(snapshot, (snap) => {
        expect(irsaOnly(plainEdgeStrings(plainEdges(computeEdges(snap))))).toEqual(irsaOnly(plainEdgeStrings(bruteForceEdges(snap))));
      }),
      { numRuns: 400 },
    );
  });

  it("indexes the issue's hostile subject pattern without stalling (12 *? pairs, 2000 service accounts)", () => {
    const h = HOSTS[0]!;
    const hostile = `system:serviceaccount:${"*?".repeat(12)}X`;
    const sas = Array.from({ length: 2000 }, (_, i) => ({ namespace: "domino-compute", name: `dmuser-analytics-workbench-${i}` }));
    const snap: InventorySnapshot = {
      scannedAt: "2026-03-01T00:00:00Z",
      accounts: [{ accountId: ACCOUNT, regions: ["us-east-1"] }],
      clusters: [cluster(0, sas)],
      roles: [{
        accountId: ACCOUNT, roleName: "hostile", arn: `arn:aws:iam::${ACCOUNT}:role/hostile`, path: "/", inlinePolicies: {}, attachedPolicyArns: [], tags: {},
        trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${h}` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { [`${h}:sub`]: hostile } } } }),
      }],
      oidcProviders: [],
      errors: [],
    };
    const t = performance.now();
    const edges = computeEdges(snap);
    expect(edges.irsa).toEqual([]);
    expect(edges.patterns).toHaveLength(1);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
