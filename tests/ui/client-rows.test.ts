// /mappings and /drift render their rows as one client component given the rows'
// values: the page's RSC payload carries those values instead of each row's
// element tree. What crosses to the browser is only what a row shows: a finding's
// detail and fix, an approval's request ids and session policy stay on the server.
import { createElement, isValidElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SortedTable } from "@/app/components/ui";
import { AccessTable, accessRowData } from "@/app/mappings/access-table";
import { driftRowData } from "@/app/drift/drift-row-data";
import type { AccessRow } from "@/lib/inventory/views/access-rows";
import type { Finding } from "@/lib/inventory/analysis";
import type { DriftFinding } from "@/lib/drift/compute";

const finding: Finding = {
  id: "pod-identity-role-not-trusted:a-1",
  kind: "pod-identity-role-not-trusted",
  severity: "high",
  title: "etl does not trust the Pod Identity association",
  detail: "The role's trust policy has no statement for pods.eks.amazonaws.com.",
  cluster: "domino-blue",
  namespace: "domino-compute",
  serviceAccount: "svc-etl",
  roleArn: "arn:aws:iam::111122223333:role/etl",
  fix: { summary: "Trust pods.eks.amazonaws.com", steps: [] } as unknown as Finding["fix"],
};
const row: AccessRow = {
  key: "domino-blue|domino-compute|svc-etl|arn:aws:iam::111122223333:role/etl",
  cluster: "domino-blue",
  namespace: "domino-compute",
  serviceAccount: "svc-etl",
  roleArn: "arn:aws:iam::111122223333:role/etl",
  mechanism: "pod-identity",
  effective: false,
  associationId: "a-1",
  findings: [finding],
  severity: "high",
  placement: { summary: "nodes ip-10-0-0-1.ec2.internal", podIdentity: "supported" },
};

describe("SortedTable with its rows rendered already", () => {
  it("puts the given body in the table once, and says why there are none from the rows", () => {
    type Q = { sort: "name"; dir: "asc" | "desc"; page: number };
    const props = { testId: "people", columns: [{ key: "name" as const, label: "Name" }], query: { sort: "name", dir: "asc", page: 1 } as Q, href: () => "/x", empty: "Nobody matches." };
    const body = createElement("tr", null, createElement("td", null, "both rows"));
    const html = renderToStaticMarkup(createElement(SortedTable<"name", Q, { name: string }>, { ...props, rows: [{ name: "ivy" }, { name: "alice" }], body }));
    expect(html.match(/both rows/g)).toHaveLength(1);
    expect(html).not.toContain("Nobody matches.");
    expect(renderToStaticMarkup(createElement(SortedTable<"name", Q, { name: string }>, { ...props, rows: [], body: null }))).toContain("Nobody matches.");
  });
});

describe("/mappings rows", () => {
  it("send a finding's headline only, and every field the row shows", () => {
    const data = accessRowData(row);
    expect(data.findings).toEqual([{ id: finding.id, kind: finding.kind, severity: "high", title: finding.title }]);
    expect(JSON.stringify(data)).not.toContain(finding.detail);
    expect(data).toMatchObject({ key: row.key, cluster: "domino-blue", namespace: "domino-compute", serviceAccount: "svc-etl", roleArn: row.roleArn, mechanism: "pod-identity", effective: false, placement: row.placement });
    expect(data).not.toHaveProperty("irsaVia");
  });

  it("are one client element holding the rows' values", () => {
    const table = AccessTable({ rows: [row], query: { sort: "cluster", dir: "asc", page: 1, pageSize: 50 }, canRequest: true }) as ReactElement<{ body: ReactElement<{ rows: unknown[]; canRequest: boolean }> }>;
    const body = table.props.body;
    expect(isValidElement(body)).toBe(true);
    expect(body.props.rows).toEqual([accessRowData(row)]);
    expect(body.props.canRequest).toBe(true);
  });
});

describe("/drift rows", () => {
  const drift: DriftFinding = {
    key: "111122223333/us-east-1/domino-blue/domino-compute/svc-etl",
    kind: "changed",
    accountId: "111122223333",
    region: "us-east-1",
    cluster: "domino-blue",
    namespace: "domino-compute",
    serviceAccount: "svc-etl",
    approved: { associationId: "a-1", roleArn: "arn:aws:iam::111122223333:role/etl", targetRoleArn: null, disableSessionTags: false, requestId: "req-secret-id", itemId: "item-1", appliedAt: null, via: "create", sessionPolicy: "{\"Statement\":[]}" },
    actual: { associationId: "a-1", roleArn: "arn:aws:iam::111122223333:role/other", targetRoleArn: null, disableSessionTags: false, ownerArn: null, awsModifiedAt: "2026-12-01T00:00:00Z" },
    differences: ["role: etl -> other"],
  } as DriftFinding;

  it("send each side's role, target role and association id, the differences and the actions, nothing else", () => {
    const data = driftRowData(drift);
    expect(data).toEqual({
      key: drift.key,
      cluster: "domino-blue",
      namespace: "domino-compute",
      serviceAccount: "svc-etl",
      approved: { roleArn: "arn:aws:iam::111122223333:role/etl", targetRoleArn: null, associationId: "a-1" },
      actual: { roleArn: "arn:aws:iam::111122223333:role/other", targetRoleArn: null, associationId: "a-1" },
      differences: ["role: etl -> other"],
      actions: expect.arrayContaining([expect.any(String)]),
    });
    expect(JSON.stringify(data)).not.toContain("req-secret-id");
    expect(driftRowData({ ...drift, kind: "out-of-band", approved: undefined }).approved).toBeUndefined();
  });
});
