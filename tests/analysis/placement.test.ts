// Where Pod Identity works, checked against every placement situation of the
// seeded fleet (Auto Mode, self-managed agent, Fargate, Windows), plus the
// cluster-wide cases the sandbox does not seed (Outposts, EKS Anywhere, China).
import { describe, expect, it } from "vitest";
import { agentCoverage, clusterUnsupported, placementOf, type PlacementFacts } from "@/lib/inventory/placement";
import { placementFactsOf } from "@/lib/inventory/placement/snapshot";
import { PLACEMENT_KINDS, SEEDED_SITUATIONS } from "@/sandbox/seed/situations";
import { demo } from "../support/analysis";

const situations = SEEDED_SITUATIONS.filter((s) => PLACEMENT_KINDS.has(s.kind));
const factsOf = (cluster: string) => placementFactsOf(demo().snapshot.clusters.find((c) => c.name === cluster)!);

describe("placement of the seeded fleet", () => {
  it("lists every placement situation (Auto Mode, self-managed agent, Fargate with pods and by namespace, Windows, Linux look-alike)", () => {
    expect(new Set(situations.map((s) => s.kind))).toEqual(PLACEMENT_KINDS);
    expect(situations.filter((s) => s.kind === "sa-on-fargate")).toHaveLength(2);
  });

  it.each(situations.map((s) => [s.id, s] as const))("%s", (_id, s) => {
    const facts = factsOf(s.cluster!);
    const p = placementOf(facts, s.namespace!, s.serviceAccount!);
    const agent = agentCoverage(facts, p);
    switch (s.kind) {
      case "agent-built-in-auto-mode":
        expect(facts.agentAddon).toBe(false);
        expect(agent).toMatchObject({ status: "pass", via: "auto-mode" });
        expect(p.podIdentity).toBe("supported");
        break;
      case "agent-self-managed":
        expect(facts.agentAddon).toBe(false);
        expect(agent).toMatchObject({ status: "pass", via: "self-managed" });
        expect(p.nodes.length).toBeGreaterThan(0);
        break;
      case "agent-not-ready-on-node":
        expect(agent).toMatchObject({ status: "fail", via: "self-managed" });
        expect(agent.message).toContain(p.nodes[0]!);
        break;
      case "sa-on-fargate":
        expect(p.podIdentity).toBe("unsupported");
        expect(p.fargate).toEqual([s.fargateProfile]);
        expect(p.reasons.join(" ")).toMatch(/Fargate/);
        expect(p.summary).toContain(`Fargate (${s.fargateProfile})`);
        break;
      case "sa-on-windows":
        expect(p.podIdentity).toBe("unsupported");
        expect(p.windows).toHaveLength(1);
        expect(p.reasons.join(" ")).toMatch(/Windows/);
        break;
      case "sa-on-linux-nodes":
        expect(p.podIdentity).toBe("supported");
        expect(p.fargate).toEqual([]);
        expect(p.windows).toEqual([]);
        expect(agent).toMatchObject({ status: "pass", via: "add-on" });
        break;
    }
  });

  it("the Blue/Green clusters' service accounts all run on Linux nodes", () => {
    for (const name of ["domino-blue", "domino-green"]) {
      const facts = factsOf(name);
      const svc = placementOf(facts, "domino-compute", "svc-etl-nightly");
      expect(svc.podIdentity, name).toBe("supported");
      expect(svc.nodes.length, name).toBeGreaterThan(0);
    }
    // Blue has associations but neither the add-on nor a self-managed agent.
    expect(agentCoverage(factsOf("domino-blue"))).toMatchObject({ status: "fail", via: "none" });
  });
});

describe("placement rules (pure)", () => {
  const base: PlacementFacts = { cluster: "c", region: "us-east-1", autoMode: false, agentAddon: true, fargateProfiles: [], nodes: [], agentDaemonSet: null, pods: [] };
  const pod = (nodeName: string, labels: Record<string, string> = {}) => ({ namespace: "ns", name: `p-${nodeName}`, serviceAccountName: "sa", phase: "Running", nodeName, labels, ready: true });

  it("Outposts, connected clusters (EKS Anywhere) and China regions cannot use Pod Identity at all", () => {
    expect(clusterUnsupported({ ...base, outpost: true })).toMatch(/Outposts/);
    expect(clusterUnsupported({ ...base, connected: true })).toMatch(/EKS Anywhere/);
    expect(clusterUnsupported({ ...base, region: "cn-north-1" })).toMatch(/China/);
    expect(placementOf({ ...base, outpost: true }, "ns", "sa").podIdentity).toBe("unsupported");
    expect(clusterUnsupported(base)).toBeNull();
  });

  it("a Fargate profile with wildcards matches by namespace and labels; a labelled selector with no pod yet is only 'may'", () => {
    const profiles = [{ name: "fp", selectors: [{ namespace: "n?", labels: { tier: "batch-*" } }] }];
    const onFargate = placementOf({ ...base, fargateProfiles: profiles, pods: [{ ...pod("x"), namespace: "ns", labels: { tier: "batch-1" } }] }, "ns", "sa");
    expect(onFargate.fargate).toEqual(["fp"]);
    const noPods = placementOf({ ...base, fargateProfiles: profiles }, "ns", "sa");
    expect(noPods).toMatchObject({ podIdentity: "unknown", mayRunOnFargate: ["fp"] });
  });

  it("hostile Fargate selectors (from DescribeFargateProfile in a watched account) are matched in milliseconds, not by a backtracking RegExp", () => {
    // 8 `*?` pairs then X against a 63-character namespace took 90 s as a RegExp; 40 stars as in tests/trust/wildcard-linear.test.ts.
    const ns = "n".repeat(63);
    const hostile = [`${"*?".repeat(8)}X`, `${"*?".repeat(40)}X`, `${"*n".repeat(40)}X`];
    for (const h of hostile) {
      const profiles = [{ name: "fp-ns", selectors: [{ namespace: h }] }, { name: "fp-label", selectors: [{ namespace: "*", labels: { tier: h } }] }];
      const pods = [{ ...pod("x"), namespace: ns, labels: { tier: "t".repeat(63) } }];
      const t = performance.now();
      const p = placementOf({ ...base, fargateProfiles: profiles, pods }, ns, "sa");
      expect(performance.now() - t).toBeLessThan(50);
      expect(p).toMatchObject({ fargate: [], mayRunOnFargate: [], podIdentity: "supported" });
    }
    // The same shapes still match when the value has the X: `*` and `?` keep their Fargate meaning.
    const matching = placementOf({ ...base, fargateProfiles: [{ name: "fp", selectors: [{ namespace: `${"*?".repeat(8)}X` }] }], pods: [{ ...pod("x"), namespace: `${"n".repeat(62)}X` }] }, `${"n".repeat(62)}X`, "sa");
    expect(matching.fargate).toEqual(["fp"]);
  });

  it("a node labelled eks.amazonaws.com/compute-type=fargate is Fargate even without the pod label", () => {
    const p = placementOf({ ...base, nodes: [{ name: "fargate-ip-1", labels: { "eks.amazonaws.com/compute-type": "fargate" }, ready: true }], pods: [pod("fargate-ip-1")] }, "ns", "sa");
    expect(p.podIdentity).toBe("unsupported");
  });

  it("without Kubernetes reads the placement is unknown, and a cluster with neither add-on nor Auto Mode fails the agent check", () => {
    const unknown: PlacementFacts = { ...base, agentAddon: false, nodes: undefined, pods: undefined, agentDaemonSet: undefined };
    expect(placementOf(unknown, "ns", "sa").podIdentity).toBe("unknown");
    expect(agentCoverage(unknown)).toMatchObject({ status: "fail", via: "unknown" });
    expect(agentCoverage({ ...unknown, autoMode: true })).toMatchObject({ status: "pass", via: "auto-mode" });
  });
});
