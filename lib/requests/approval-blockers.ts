// What stops an approval: the blocking prechecks (the ones apply also refuses on)
// that fail now, re-run when the approver approves. A failing trust check the
// request's own iam-trust-update item fixes does not count: apply writes the trust first.
import type { RequestItem } from "@/lib/db/generated/client";
import type { PrecheckResult } from "./prechecks";
import { BLOCKING_AT_APPLY } from "./refresh-prechecks";

export function approvalBlockers(items: Pick<RequestItem, "position" | "kind" | "roleArn">[], prechecks: PrecheckResult[]): string[] {
  const trustFixed = new Set(items.filter((i) => i.kind === "iam-trust-update").map((i) => i.roleArn));
  return prechecks
    .filter((p) => p.status === "fail" && BLOCKING_AT_APPLY.has(p.id))
    .filter((p) => {
      const item = items.find((i) => i.position === p.item);
      return !(p.id === "trust-allows-pod-identity" && item?.roleArn && trustFixed.has(item.roleArn));
    })
    .map((p) => `item ${p.item} ${p.id}: ${p.message}`);
}
