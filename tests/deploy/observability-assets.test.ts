// deploy/prometheus/rules.yaml and deploy/grafana/rolegate.json only use metrics
// /metrics exports (read from the real route's output), the rules file is valid
// YAML in Prometheus' rule-file shape, and the issue's alerts exist.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { closeDatabase } from "@/lib/runtime";
import { openTestDatabase, type TestDatabase } from "../support/db";

vi.mock("server-only", () => ({}));

const root = path.resolve(import.meta.dirname, "../..");
let t: TestDatabase;
let exported: Set<string>;

/** Metric names a PromQL expression reads (labels, functions, keywords and durations left out). */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, "").replace(/"[^"]*"/g, "");
  return [...new Set([...withoutLabels.matchAll(/\b(rolegate_[a-z0-9_]+|up)\b/g)].map((m) => m[1]!))];
}

function balanced(expr: string): boolean {
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const stack: string[] = [];
  for (const ch of expr.replace(/"[^"]*"/g, "")) {
    if ("([{".includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

beforeAll(async () => {
  t = await openTestDatabase();
  const { GET } = await import("@/app/metrics/route");
  const text = await (await GET(new Request("http://rolegate.test/metrics"))).text();
  exported = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)/gm)].flatMap(([, name, type]) => (type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!])));
  exported.add("up"); // Prometheus' own per-target series
});
afterAll(async () => {
  await closeDatabase();
  await t.close();
});

describe("Prometheus rules", () => {
  const file = parse(readFileSync(path.join(root, "deploy/prometheus/rules.yaml"), "utf8")) as { groups: { name: string; rules: { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> }[] }[] };
  const rules = file.groups.flatMap((g) => g.rules);

  it("are a rule file: groups of named alerts, each with an expression, a severity and a summary", () => {
    expect(file.groups.length).toBeGreaterThan(0);
    for (const r of rules) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^RoleGate[A-Za-z]+$/);
      expect(typeof r.expr).toBe("string");
      expect(balanced(r.expr), r.expr).toBe(true);
      expect(["critical", "warning", "info"]).toContain(r.labels.severity);
      expect(r.annotations.summary).toBeTruthy();
      if (r.for) expect(r.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it("read only metrics that /metrics exports", () => {
    const unknown = rules.flatMap((r) => metricNames(r.expr).filter((m) => !exported.has(m)).map((m) => `${r.alert}: ${m}`));
    expect(unknown).toEqual([]);
  });

  it("alert on apply failures, queue age, scan failures and an invalid audit chain", () => {
    const uses = (metric: string) => rules.some((r) => metricNames(r.expr).includes(metric));
    expect(uses("rolegate_apply_outcomes_total")).toBe(true);
    expect(uses("rolegate_job_queue_oldest_age_seconds")).toBe(true);
    expect(uses("rolegate_scan_last_status")).toBe(true);
    expect(uses("rolegate_audit_chain_valid")).toBe(true);
  });
});

describe("Grafana dashboard", () => {
  const dashboard = JSON.parse(readFileSync(path.join(root, "deploy/grafana/rolegate.json"), "utf8")) as { uid: string; panels: { id: number; title: string; targets: { expr: string }[] }[] };

  it("has unique panel ids and a query in every panel, reading only exported metrics", () => {
    expect(dashboard.uid).toBe("rolegate");
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    const unknown: string[] = [];
    for (const p of dashboard.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const target of p.targets) {
        expect(balanced(target.expr), target.expr).toBe(true);
        for (const m of metricNames(target.expr)) if (!exported.has(m)) unknown.push(`${p.title}: ${m}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
