import { describe, expect, it } from "vitest";
import { PLACEMENT_KINDS, SEEDED_SITUATIONS } from "@/sandbox/seed/situations";
import { NOT_SNAPSHOT_KINDS, demo, matches, namesLookAlike } from "../support/analysis";

// Placement situations are checked by the placement analysis (placement.test.ts).
const problems = SEEDED_SITUATIONS.filter((s) => s.problem && !NOT_SNAPSHOT_KINDS.has(s.kind) && !PLACEMENT_KINDS.has(s.kind));
const lookAlikes = SEEDED_SITUATIONS.filter((s) => !s.problem);

describe("findings on the demo fleet", () => {
  it.each(problems.map((s) => [s.id, s] as const))("finds seeded problem %s", (_id, s) => {
    const hits = demo().findings.filter((f) => matches(f, s));
    expect(hits.length, `no finding of kind ${s.kind} for ${s.id}`).toBeGreaterThan(0);
    expect(hits.map((h) => h.severity)).toContain(s.severity);
  });

  it.each(lookAlikes.map((s) => [s.id, s] as const))("does not report look-alike %s", (_id, s) => {
    expect(demo().findings.filter((f) => namesLookAlike(f, s)).map((f) => f.id)).toEqual([]);
  });

  it("reports nothing the manifest does not list as a problem", () => {
    const unlisted = demo().findings.filter((f) => !problems.some((s) => matches(f, s)));
    expect(unlisted.map((f) => `${f.kind} ${f.title}`)).toEqual([]);
  });

  it("gives every finding a stable unique id and a fix", () => {
    const { findings } = demo();
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    for (const f of findings) expect(f.fix?.description, f.id).toBeTruthy();
  });

  it("re-verifies every generated trust policy with the evaluator", () => {
    const verified = demo().findings.filter((f) => f.fix?.verified !== undefined);
    expect(verified.length).toBeGreaterThanOrEqual(8);
    for (const f of verified) expect(f.fix?.verified, f.id).toBe(true);
  });

  it("pod findings name only the stale pods (the younger report-builder pod is fine)", () => {
    const f = demo().findings.find((x) => x.kind === "pod-created-before-association" && x.serviceAccount === "svc-report-builder");
    expect(f?.pods).toHaveLength(1);
    expect(f?.fix?.description).toContain("kubectl -n domino-compute delete pod");
  });
});

describe("analyzeSnapshot", () => {
  it("returns edges, mappings and findings in one pass", async () => {
    const { analyzeSnapshot } = await import("@/lib/inventory/analysis");
    const a = analyzeSnapshot(demo().snapshot);
    expect(a.findings.map((f) => f.id)).toEqual(demo().findings.map((f) => f.id));
    expect(a.mappings.length).toBe(new Set([...a.edges.irsa, ...a.edges.podIdentity].map((e) => `${e.clusterArn}|${e.namespace}/${e.serviceAccount}|${e.roleArn}`)).size);
  });
});
