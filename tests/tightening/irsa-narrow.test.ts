// One SA out of an IRSA trust (the access reviews' revoke): exact subjects are
// removed, open statements (wildcard :sub, no :sub) narrowed to the subjects in
// use minus that SA, and what the result allows is checked by the evaluator.
// The cases the edit cannot express answer with the reason and what to do.
import { describe, expect, it } from "vitest";
import { narrowIrsaTrust, type ClusterSa } from "@/lib/tightening/irsa-narrow";
import { canAssume } from "@/lib/trust";
import { GREEN_PROVIDER, ISSUER_PATH, PROVIDER, SUB_KEY, irsa, irsaStmt, policy, sub } from "../support/trust-policies";

const AUD = { [`${ISSUER_PATH}:aud`]: "sts.amazonaws.com" };
const sa = (serviceAccount: string, usesRole = false, namespace = "domino-compute"): ClusterSa => ({ namespace, serviceAccount, usesRole });
const SAS = [sa("dmuser-akim", true), sa("dmuser-bwhite", true), sa("dmuser-cjackson"), sa("default"), sa("coredns", false, "kube-system")];
const target = (serviceAccount: string, namespace = "domino-compute") => ({ namespace, serviceAccount });
const allowed = (doc: unknown, name: string, ns = "domino-compute") => canAssume(JSON.stringify(doc), irsa(ns, name)).allowed;

describe("narrowIrsaTrust", () => {
  it("narrows a wildcard :sub to the other SAs that use the role; the SAs that only matched lose it and are listed", () => {
    const trust = policy(irsaStmt({ StringEquals: AUD, StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:*" } }));
    const n = narrowIrsaTrust(trust, PROVIDER, target("dmuser-akim"), SAS);
    expect(n.problem).toBeNull();
    expect(n.narrowed).toEqual([{ statement: 0, was: "system:serviceaccount:domino-compute:*", kept: [sub("domino-compute", "dmuser-bwhite")] }]);
    expect(n.policy.Statement[0]!.Condition).toEqual({ StringEquals: { ...AUD, [SUB_KEY]: sub("domino-compute", "dmuser-bwhite") } });
    expect(allowed(n.policy, "dmuser-akim")).toBe(false);
    expect(allowed(n.policy, "dmuser-bwhite")).toBe(true);
    expect(n.keeps).toEqual(["domino-compute/dmuser-bwhite"]);
    expect(n.loses.sort()).toEqual(["domino-compute/default", "domino-compute/dmuser-cjackson"]);
  });

  it("gives a trust without :sub (any SA of the issuer) an exact list, keeping the statement's other conditions", () => {
    const trust = policy(irsaStmt({ StringEquals: AUD }));
    const n = narrowIrsaTrust(trust, PROVIDER, target("coredns", "kube-system"), SAS);
    expect(n.problem).toBeNull();
    expect(n.narrowed[0]).toMatchObject({ was: "no :sub condition (any service account)", kept: [sub("domino-compute", "dmuser-akim"), sub("domino-compute", "dmuser-bwhite")] });
    expect(n.policy.Statement[0]!.Condition).toEqual({ StringEquals: { ...AUD, [SUB_KEY]: [sub("domino-compute", "dmuser-akim"), sub("domino-compute", "dmuser-bwhite")] } });
    expect(allowed(n.policy, "coredns", "kube-system")).toBe(false);
    expect(n.keeps.sort()).toEqual(["domino-compute/dmuser-akim", "domino-compute/dmuser-bwhite"]);
  });

  it("keeps a statement's exact subjects, removes the SA's own exact subject too, and never adds SAs an explicit Deny keeps out", () => {
    const trust = policy(
      irsaStmt({ StringEquals: AUD, StringLike: { [SUB_KEY]: ["system:serviceaccount:domino-compute:dmuser-*", sub("ops", "svc-pinned")] } }),
      irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "dmuser-akim") } }),
      irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "dmuser-bwhite") } }, { Effect: "Deny" }),
    );
    const n = narrowIrsaTrust(trust, PROVIDER, target("dmuser-akim"), SAS);
    expect(n.problem).toBeNull();
    expect(n.exactEdits).toBe(1);
    // The exact-only statement of akim is dropped; the pattern keeps the pinned subject; bwhite is denied, so not named.
    expect(n.narrowed).toEqual([{ statement: 0, was: "system:serviceaccount:domino-compute:dmuser-*", kept: [sub("ops", "svc-pinned")] }]);
    expect(n.policy.Statement).toHaveLength(2);
    expect(allowed(n.policy, "dmuser-akim")).toBe(false);
    expect(allowed(n.policy, "svc-pinned", "ops")).toBe(true);
  });

  it("drops an open statement nobody else uses when another statement remains, and only touches this cluster's issuer", () => {
    const trust = policy(
      irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:dmuser-a*" } }),
      { ...irsaStmt({ StringLike: { [`${GREEN_PROVIDER.split("oidc-provider/")[1]}:sub`]: "system:serviceaccount:domino-compute:*" } }), Principal: { Federated: GREEN_PROVIDER } },
    );
    const n = narrowIrsaTrust(trust, PROVIDER, target("dmuser-akim"), SAS);
    expect(n.problem).toBeNull();
    expect(n.narrowed).toEqual([{ statement: 0, was: "system:serviceaccount:domino-compute:dmuser-a*", kept: [] }]);
    expect(n.policy.Statement).toEqual([JSON.parse(trust).Statement[1]]);
  });

  it("answers why nothing can be filed: empty trust, several issuers in one open statement, no scan of the cluster, nothing to revoke", () => {
    const only = narrowIrsaTrust(policy(irsaStmt({ StringLike: { [SUB_KEY]: "system:serviceaccount:domino-compute:dmuser-a*" } })), PROVIDER, target("dmuser-akim"), SAS);
    expect(only.problem).toMatch(/no statement: deleting the role is a separate, explicit request/);
    const exactOnly = narrowIrsaTrust(policy(irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "dmuser-akim") } })), PROVIDER, target("dmuser-akim"), null);
    expect(exactOnly.problem).toMatch(/no statement/);
    const both = narrowIrsaTrust(policy({ ...irsaStmt(), Principal: { Federated: [PROVIDER, GREEN_PROVIDER] } }), PROVIDER, target("dmuser-akim"), SAS);
    expect(both.problem).toMatch(/trusts 2 issuers at once.*split it/);
    const unscanned = narrowIrsaTrust(policy(irsaStmt()), PROVIDER, target("dmuser-akim"), null);
    expect(unscanned.problem).toMatch(/no inventory scan.*run a scan/);
    const nothing = narrowIrsaTrust(policy(irsaStmt({ StringEquals: { [SUB_KEY]: sub("domino-compute", "dmuser-bwhite") } })), PROVIDER, target("dmuser-akim"), SAS);
    expect(nothing.problem).toMatch(/no longer lets .* in: there is nothing to revoke/);
  });

  it("an exact subject needs no scan: removed from its statement, the others stay", () => {
    const trust = policy(irsaStmt({ StringEquals: { ...AUD, [SUB_KEY]: [sub("domino-compute", "dmuser-akim"), sub("domino-compute", "dmuser-bwhite")] } }));
    const n = narrowIrsaTrust(trust, PROVIDER, target("dmuser-akim"), null);
    expect(n).toMatchObject({ problem: null, exactEdits: 1, narrowed: [] });
    expect(allowed(n.policy, "dmuser-akim")).toBe(false);
    expect(allowed(n.policy, "dmuser-bwhite")).toBe(true);
  });
});
