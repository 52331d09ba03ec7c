// The Blue/Green overview as the REST API answers it (GET /api/v1/bluegreen):
// plain JSON, no trust-policy diffs, role ARNs instead of plans.
import type { BlueGreenOverview } from "./service";

export function blueGreenApiView(view: BlueGreenOverview) {
  return {
    pairs: view.pairs.map((p) => ({
      name: p.name,
      blue: p.blue,
      green: p.green,
      source: p.source,
      ...(p.error ? { error: p.error } : {}),
      ...(p.plan
        ? {
            copies: p.plan.copies.map((c) => ({ namespace: c.namespace, serviceAccount: c.serviceAccount, roleArn: c.roleArn, ...(c.targetRoleArn ? { targetRoleArn: c.targetRoleArn } : {}) })),
            skipped: p.plan.skipped.map((c) => ({ namespace: c.namespace, serviceAccount: c.serviceAccount, roleArn: c.roleArn, reason: c.reason })),
            repoint: p.plan.repoint.map((r) => ({ roleArn: r.roleArn, subjects: r.subjects })),
            repointBlocked: p.plan.repointBlocked.map((r) => ({ roleArn: r.roleArn, reason: r.reason })),
            repointLeftOut: p.plan.repointLeftOut.map((r) => ({ roleArn: r.roleArn, reasons: r.reasons })),
          }
        : {}),
    })),
    retiredIssuers: view.retired.map((r) => ({ issuer: r.host, roles: r.roleArns })),
    otherIssuers: view.other.map((o) => ({ issuer: o.issuer, kind: o.kind, roles: o.roles })),
  };
}
