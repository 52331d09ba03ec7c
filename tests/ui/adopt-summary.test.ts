// The request page of an adopt batch shows one grouped summary (by cluster,
// namespace and role, most first) computed from the request's items, and the
// associations the baseline set apart with their findings; other requests get none.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AdoptSummaryPanel } from "@/app/requests/[id]/adopt-summary-panel";
import { adoptBatchSummary } from "@/lib/drift/adopt-batch-summary";

const ROLE_A = "arn:aws:iam::111122223333:role/domino/domino-pi-etl-nightly";
const ROLE_B = "arn:aws:iam::111122223333:role/domino/domino-pi-mlflow";
const adopt = (cluster: string, namespace: string, roleArn: string) => ({ kind: "adopt", cluster, namespace, roleArn });
const ITEMS = [adopt("domino-green", "domino-compute", ROLE_A), adopt("domino-green", "domino-compute", ROLE_B), adopt("domino-green", "domino-platform", ROLE_A), adopt("domino-blue", "domino-compute", ROLE_A)];
const SET_APART = [{ key: "111122223333/us-east-1/domino-green/domino-compute/svc-churn-model", findings: ["medium: Pod carries Pod Identity env"] }];

describe("adopt batch summary", () => {
  it("counts the items by cluster, namespace and role, most first, and reads what the baseline set apart", () => {
    const s = adoptBatchSummary(ITEMS, { baseline: true, setApart: SET_APART })!;
    expect(s).toEqual({
      total: 4,
      byCluster: [["domino-green", 3], ["domino-blue", 1]],
      byNamespace: [["domino-green/domino-compute", 2], ["domino-blue/domino-compute", 1], ["domino-green/domino-platform", 1]],
      byRole: [[ROLE_A, 3], [ROLE_B, 1]],
      baseline: true,
      setApart: SET_APART,
    });
    // Older baselines recorded the keys only; a bulk adopt records none.
    expect(adoptBatchSummary(ITEMS, { baseline: true, setApart: [SET_APART[0]!.key] })!.setApart).toEqual([{ key: SET_APART[0]!.key, findings: [] }]);
    expect(adoptBatchSummary(ITEMS, { adopt: true })).toMatchObject({ baseline: false, setApart: null });
  });

  it("is only for two or more adopt items and nothing else", () => {
    expect(adoptBatchSummary(ITEMS.slice(0, 1), null)).toBeNull();
    expect(adoptBatchSummary([...ITEMS, { ...ITEMS[0]!, kind: "delete" }], null)).toBeNull();
  });

  it("renders the groups with role names (full ARN in the title) and the set-apart list with findings", () => {
    const html = renderToStaticMarkup(createElement(AdoptSummaryPanel, { summary: adoptBatchSummary(ITEMS, { baseline: true, setApart: SET_APART })! }));
    expect(html).toContain("Estate baseline: 4 association(s) created outside RoleGate");
    expect(html).toContain("By cluster (2)");
    expect(html).toMatch(/<li [^>]*title="domino-green"[^>]*><span [^>]*>domino-green<\/span><span>3<\/span><\/li>/);
    expect(html).toMatch(new RegExp(`<li [^>]*title="${ROLE_A}"[^>]*><span [^>]*>domino-pi-etl-nightly</span><span>3</span></li>`));
    expect(html).toContain("Set apart for a decision each (1)");
    expect(html).toContain(`${SET_APART[0]!.key}</span>: medium: Pod carries Pod Identity env`);
    const bulk = renderToStaticMarkup(createElement(AdoptSummaryPanel, { summary: adoptBatchSummary(ITEMS, {})! }));
    expect(bulk).toContain("Adoption: 4 association(s)");
    expect(bulk).not.toContain("Set apart");
  });
});
