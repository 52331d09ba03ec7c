import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SandboxCluster, SandboxWorld } from "@/sandbox/model";
import { buildDemoFleet, buildScaledFleet } from "@/sandbox/seed/fleet";
import { SCALED_SCANNER_ROLE, scaledAccountIds } from "@/sandbox/seed/scaled";
import { SEEDED_SITUATIONS } from "@/sandbox/seed/situations";

const clustersOf = (w: SandboxWorld): SandboxCluster[] =>
  Object.values(w.accounts).flatMap((a) => Object.values(a.regions).flatMap((r) => Object.values(r.clusters)));
const allRoles = (w: SandboxWorld) => Object.values(w.accounts).flatMap((a) => Object.values(a.roles));
const sha = (w: SandboxWorld) => createHash("sha256").update(JSON.stringify(w)).digest("hex");

describe("demo fleet", () => {
  const world = buildDemoFleet();
  const clusters = Object.fromEntries(clustersOf(world).map((c) => [c.name, c]));
  const green = clusters["domino-green"]!;
  const blue = clusters["domino-blue"]!;

  it("is byte-identical run to run", () => {
    const again = buildDemoFleet();
    expect(again).toEqual(world);
    expect(sha(again)).toBe(sha(world));
  });

  it("moves every timestamp with the `now` option and nothing else", () => {
    const later = buildDemoFleet({ now: new Date("2027-01-01T00:00:00Z") });
    expect(sha(later)).not.toBe(sha(world));
    expect(Object.keys(later.accounts["111122223333"]!.roles)).toEqual(Object.keys(world.accounts["111122223333"]!.roles));
  });

  it("seeds IAM RoleLastUsed as access reviews need it: mostly recent, some long ago, some never, none before the role existed", () => {
    const roles = allRoles(world);
    const used = roles.flatMap((r) => (r.lastUsed ? [Date.parse(r.lastUsed.date)] : []));
    const newest = Math.max(...used);
    expect(roles.filter((r) => !r.lastUsed).map((r) => r.roleName)).toEqual(expect.arrayContaining(["domino-pi-unmapped", "domino-irsa-bedrock"]));
    expect(used.some((t) => newest - t > 90 * 86_400_000)).toBe(true);
    expect(roles.filter((r) => r.lastUsed).length).toBeGreaterThan(roles.length / 2);
    for (const r of roles) if (r.lastUsed) expect(Date.parse(r.lastUsed.date), r.roleName).toBeGreaterThanOrEqual(Date.parse(r.createDate));
  });

  it("has the expected accounts, clusters and sizes", () => {
    expect(world.accounts["111122223333"]!.alias).toBe("domino-prod");
    expect(world.accounts["444455556666"]!.alias).toBe("data-lake");
    // The Blue/Green pair in us-east-1; the placement clusters (Auto Mode, self-managed agent, Fargate + Windows) in us-west-2.
    const regions = world.accounts["111122223333"]!.regions;
    expect(Object.keys(regions["us-east-1"]!.clusters).sort()).toEqual(["domino-blue", "domino-green"]);
    expect(Object.keys(regions["us-west-2"]!.clusters).sort()).toEqual(["domino-auto", "domino-mixed", "domino-selfmanaged"]);
    expect(blue.version).toBe("1.29");
    expect(green.version).toBe("1.31");
    expect(Date.parse(blue.createdAt)).toBeLessThan(Date.parse(green.createdAt));
    expect(allRoles(world).length).toBeGreaterThanOrEqual(55);
    expect(allRoles(world).length).toBeLessThanOrEqual(70);
    const assocCount = Object.keys(blue.associations).length + Object.keys(green.associations).length;
    expect(assocCount).toBeGreaterThanOrEqual(25);
    expect(assocCount).toBeLessThanOrEqual(35);
    expect(Object.keys(green.associations).length).toBeGreaterThan(Object.keys(blue.associations).length);
    for (const c of [blue, green]) {
      const computeSas = Object.values(c.kube.serviceAccounts).filter((s) => s.namespace === "domino-compute");
      expect(computeSas.length).toBeGreaterThanOrEqual(30);
      expect(Object.keys(c.kube.pods).length).toBeGreaterThan(40);
    }
    expect(green.addons["eks-pod-identity-agent"]).toBeDefined();
    expect(blue.addons["eks-pod-identity-agent"]).toBeUndefined();
    expect(green.kube.serviceAccounts["kube-system/eks-pod-identity-agent"]).toBeDefined();
  });

  it("uses well-formed ids, issuers and ARNs", () => {
    const roles = allRoles(world);
    expect(new Set(roles.map((r) => r.roleId)).size).toBe(roles.length);
    for (const r of roles) {
      expect(r.roleId).toMatch(/^AROA[A-Z0-9]{17}$/);
      expect(r.arn.endsWith(`:role${r.path}${r.roleName}`)).toBe(true);
      expect(() => JSON.parse(r.assumeRolePolicyDocument)).not.toThrow();
      for (const doc of Object.values(r.inlinePolicies)) expect(() => JSON.parse(doc)).not.toThrow();
      expect(Number.isNaN(Date.parse(r.createDate))).toBe(false);
    }
    for (const c of [blue, green]) expect(c.oidcIssuer).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(blue.oidcIssuer).not.toBe(green.oidcIssuer);
    const providers = Object.values(world.accounts["111122223333"]!.oidcProviders);
    // Blue, Green, the deleted legacy cluster's, and domino-mixed's (us-west-2).
    expect(providers).toHaveLength(4);
    for (const c of [blue, green]) expect(providers.some((p) => `https://${p.url}` === c.oidcIssuer)).toBe(true);
  });

  it("keeps associations consistent: unique ids, one per SA, SA exists, role exists unless seeded as missing", () => {
    const roleArns = new Set(allRoles(world).map((r) => r.arn));
    const missingRoles = new Set(SEEDED_SITUATIONS.filter((s) => s.missing?.includes("role")).map((s) => s.roleArn));
    const ids = new Set<string>();
    for (const c of [blue, green]) {
      const keys = new Set<string>();
      for (const [id, a] of Object.entries(c.associations)) {
        expect(id).toBe(a.associationId);
        expect(a.associationId).toMatch(/^a-[a-z0-9]{17}$/);
        expect(a.associationArn).toBe(`arn:aws:eks:us-east-1:111122223333:podidentityassociation/${c.name}/${a.associationId}`);
        expect(ids.has(id)).toBe(false);
        ids.add(id);
        const key = `${a.namespace}/${a.serviceAccount}`;
        expect(keys.has(key)).toBe(false);
        keys.add(key);
        expect(c.kube.serviceAccounts[key]).toBeDefined();
        expect(roleArns.has(a.roleArn) || missingRoles.has(a.roleArn)).toBe(true);
        if (a.targetRoleArn) {
          expect(roleArns.has(a.targetRoleArn)).toBe(true);
          expect(a.externalId).toBeTruthy();
        }
        if (a.policy) expect(a.disableSessionTags).toBe(true);
        expect(Date.parse(a.modifiedAt)).toBeGreaterThanOrEqual(Date.parse(a.createdAt));
      }
    }
    const owned = Object.values(green.associations).filter((a) => a.ownerArn);
    expect(owned).toHaveLength(1);
    expect(owned[0]!.ownerArn).toBe(green.addons["aws-ebs-csi-driver"]!.addonArn);
    expect(owned[0]!.namespace).toBe("kube-system");
  });

  it("injects webhook env only per the timeline, except where a situation says otherwise", () => {
    const seededPods = new Set(SEEDED_SITUATIONS.flatMap((s) => s.pods ?? []));
    for (const c of [blue, green]) {
      for (const pod of Object.values(c.kube.pods)) {
        expect(c.kube.serviceAccounts[`${pod.namespace}/${pod.serviceAccountName}`]).toBeDefined();
        expect(c.kube.namespaces[pod.namespace]).toBeDefined();
        if (seededPods.has(pod.name)) continue;
        const assoc = Object.values(c.associations).find((a) => a.namespace === pod.namespace && a.serviceAccount === pod.serviceAccountName);
        const hasPi = pod.env.some((e) => e.name === "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        const expected = assoc !== undefined && Date.parse(assoc.modifiedAt) <= Date.parse(pod.creationTimestamp);
        expect(hasPi, `${c.name}/${pod.name}`).toBe(expected);
        const annotated = c.kube.serviceAccounts[`${pod.namespace}/${pod.serviceAccountName}`]!.annotations["eks.amazonaws.com/role-arn"];
        expect(pod.env.find((e) => e.name === "AWS_ROLE_ARN")?.value).toBe(annotated);
      }
    }
  });

  it("points every manifest entry at existing objects (or documents what is missing)", () => {
    const ids = SEEDED_SITUATIONS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const roleArns = new Set(allRoles(world).map((r) => r.arn));
    for (const s of SEEDED_SITUATIONS) {
      const account = world.accounts[s.accountId];
      expect(account, s.id).toBeDefined();
      const c = s.cluster ? clusters[s.cluster] : undefined;
      if (s.cluster) expect(c, s.id).toBeDefined();
      if (s.roleArn) expect(roleArns.has(s.roleArn) || s.missing?.includes("role"), s.id).toBe(true);
      if (s.nodeRoleArn) expect(roleArns.has(s.nodeRoleArn), s.id).toBe(true);
      if (s.targetRoleArn) expect(roleArns.has(s.targetRoleArn), s.id).toBe(true);
      if (s.oidcProviderArn) expect(account!.oidcProviders[s.oidcProviderArn], s.id).toBeDefined();
      if (s.serviceAccount) expect(c!.kube.serviceAccounts[`${s.namespace}/${s.serviceAccount}`], s.id).toBeDefined();
      if (s.associationId) expect(c!.associations[s.associationId]?.roleArn, s.id).toBe(s.roleArn);
      for (const p of s.pods ?? []) expect(c!.kube.pods[`${s.namespace}/${p}`], `${s.id} ${p}`).toBeDefined();
    }
    expect(SEEDED_SITUATIONS.filter((s) => s.problem).length).toBeGreaterThanOrEqual(20);
    expect(SEEDED_SITUATIONS.some((s) => !s.problem)).toBe(true);
  });

  it("seeds the Green node role's exhaustive list minus exactly the forgotten role", () => {
    const nodeRole = world.accounts["111122223333"]!.roles["domino-green-eks-nodes"]!;
    const statement = JSON.parse(nodeRole.inlinePolicies["pod-identity"]!).Statement[0];
    const mapped = new Set(Object.values(green.associations).map((a) => a.roleArn));
    const missing = [...mapped].filter((arn) => !statement.Resource.includes(arn));
    const seeded = SEEDED_SITUATIONS.find((s) => s.kind === "node-role-missing-mapped-role")!;
    expect(missing).toEqual([seeded.roleArn]);
  });
});

describe("scaled fleet", () => {
  it("has the requested sizes and is deterministic", () => {
    const opts = { clusters: 20, associationsPerCluster: 500, roles: 5000, serviceAccounts: 600 };
    const w = buildScaledFleet(opts);
    const clusters = clustersOf(w);
    expect(clusters).toHaveLength(20);
    expect(allRoles(w)).toHaveLength(5000);
    for (const c of clusters) {
      expect(Object.keys(c.associations)).toHaveLength(500);
      expect(Object.keys(c.kube.serviceAccounts)).toHaveLength(600);
      expect(new Set(Object.values(c.associations).map((a) => a.serviceAccount)).size).toBe(500);
    }
    expect(sha(buildScaledFleet(opts))).toBe(sha(w));
  });

  it("spreads clusters and roles over accounts, each association on a role of its cluster's account (bench:scale)", () => {
    const w = buildScaledFleet({ clusters: 4, associationsPerCluster: 3, roles: 10, serviceAccounts: 1, exactServiceAccounts: true, accounts: 2 });
    const ids = scaledAccountIds(2);
    expect(Object.keys(w.accounts)).toEqual(ids);
    for (const [k, id] of ids.entries()) {
      const account = w.accounts[id]!;
      const clusters = Object.values(account.regions["us-east-1"]!.clusters);
      expect(clusters.map((c) => c.name)).toEqual(k === 0 ? ["scale-000", "scale-002"] : ["scale-001", "scale-003"]);
      // 10 roles round-robin: 5 each, and the further account's scanner role.
      expect(Object.keys(account.roles)).toHaveLength(k === 0 ? 5 : 6);
      for (const c of clusters) {
        expect(c.accountId).toBe(id);
        expect(c.arn).toContain(`:${id}:cluster/`);
        expect(Object.keys(c.kube.serviceAccounts)).toHaveLength(1);
        for (const a of Object.values(c.associations)) {
          expect(a.associationArn).toContain(`:${id}:`);
          expect(account.roles[a.roleArn.split("/").at(-1)!]?.arn).toBe(a.roleArn);
        }
        if (k > 0) expect(Object.keys(c.accessEntries ?? {})).toEqual([`arn:aws:iam::${id}:role/${SCALED_SCANNER_ROLE}`]);
      }
    }
    expect(JSON.parse(w.accounts[ids[1]!]!.roles[SCALED_SCANNER_ROLE]!.assumeRolePolicyDocument).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${ids[0]}:root` });
  });
});
