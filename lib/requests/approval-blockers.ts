// What stops an approval: the blocking prechecks (the ones apply also refuses on)
// that fail now, re-run when the approver approves. A failing trust check the
// request's own iam-trust-update item fixes does not count: apply writes the trust first.
import type { RequestItem } from "@/lib/db/generated/client";
import type { PrecheckResult } from "./prechecks";
import { BLOCKING_AT_APPLY, unresolvedFailures } from "./check-verdict";

export function approvalBlockers(items: Pick<RequestItem, "position" | "kind" | "roleArn">[], prechecks: PrecheckResult[]): string[] {
  return unresolvedFailures(items, prechecks)
    .filter((p) => BLOCKING_AT_APPLY.has(p.id))
    .map((p) => `item ${p.item} ${p.id}: ${p.message}`);
}

/** Every failure the request does not fix itself, blocking or not: approving past one is an override (its reason is stored). */
export function overriddenFailures(items: Pick<RequestItem, "position" | "kind" | "roleArn">[], prechecks: PrecheckResult[]): string[] {
  return unresolvedFailures(items, prechecks).map((p) => `item ${p.item} ${p.id}: ${p.message}`);
}
