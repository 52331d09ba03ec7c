// The service-accounts view shows where each SA's pods run (nodes, Fargate,
// Windows) and filters by it, from the demo fleet's snapshot.
import { describe, expect, it } from "vitest";
import { buildServiceAccountRows, queryServiceAccountRows, serviceAccountQuerySchema } from "@/lib/inventory/views/service-accounts";
import { buildAccessRows } from "@/lib/inventory/views/access-rows";
import { demo } from "../support/analysis";
import { analyzeSnapshot } from "@/lib/inventory/analysis";

const analysis = analyzeSnapshot(demo().snapshot);
const rows = buildServiceAccountRows(demo().snapshot, analysis);
const q = (o: Record<string, string>) => serviceAccountQuerySchema.parse(o);

describe("service-account rows", () => {
  it("carry the placement of each SA: Linux nodes, Fargate profile, Windows nodes", () => {
    const row = (cluster: string, name: string) => rows.find((r) => r.cluster === cluster && r.name === name)!;
    expect(row("domino-mixed", "svc-fargate-batch").placement).toMatchObject({ fargate: ["fp-batch"], podIdentity: "unsupported", summary: "Fargate (fp-batch)" });
    expect(row("domino-mixed", "svc-windows-report").placement.summary).toMatch(/^Windows \(ip-10-60-/);
    expect(row("domino-mixed", "svc-linux-etl").placement).toMatchObject({ podIdentity: "supported", summary: expect.stringMatching(/^nodes ip-10-60-/) });
    expect(row("domino-mixed", "svc-linux-etl").roles).toEqual([{ roleArn: "arn:aws:iam::111122223333:role/domino-west-batch", mechanism: "irsa" }]);
    expect(row("domino-green", "dmuser-jsmith").placement.podIdentity).toBe("supported");
  });

  it("filter by placement", () => {
    expect(queryServiceAccountRows(rows, q({ placement: "fargate" })).rows.map((r) => `${r.namespace}/${r.name}`)).toEqual(["domino-compute/svc-fargate-batch", "domino-serverless/etl-fn"]);
    expect(queryServiceAccountRows(rows, q({ placement: "windows" })).rows.map((r) => r.name)).toEqual(["svc-windows-report"]);
    expect(queryServiceAccountRows(rows, q({ placement: "unsupported" })).total).toBe(3);
  });

  it("access rows (/mappings) carry the placement summary too", () => {
    const access = buildAccessRows(analysis, demo().snapshot);
    expect(access.find((r) => r.serviceAccount === "svc-fargate-batch")?.placement).toEqual({ summary: "Fargate (fp-batch)", podIdentity: "unsupported" });
  });
});

describe("cluster summaries", () => {
  it("say how the agent runs (add-on, built in on Auto Mode, self-managed) and name the Fargate profiles and Windows node groups", async () => {
    const { buildClusterSummaries } = await import("@/lib/inventory/views/cluster-summaries");
    const by = new Map(buildClusterSummaries(demo().snapshot, analysis, []).map((c) => [c.name, c]));
    expect(by.get("domino-auto")!.agent).toEqual({ via: "auto-mode", detail: "built in (EKS Auto Mode)" });
    expect(by.get("domino-selfmanaged")!.agent).toEqual({ via: "self-managed", detail: "self-managed DaemonSet eks-pod-identity-agent, ready 2/3" });
    expect(by.get("domino-green")!.agent.via).toBe("add-on");
    expect(by.get("domino-blue")!.agent.via).toBe("none");
    expect(by.get("domino-mixed")).toMatchObject({ fargateProfiles: ["fp-batch", "fp-serverless"], windowsNodegroups: ["windows"] });
  });
});
