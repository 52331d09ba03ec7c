import { describe, expect, it } from "vitest";
import { metricsAccess } from "@/lib/observability/metrics-auth";

describe("/metrics access (ROLEGATE_METRICS_TOKEN)", () => {
  it("is open in sandbox mode when no token is set", () => {
    expect(metricsAccess("sandbox", null, undefined)).toEqual({ ok: true });
  });

  it("is closed in aws mode when no token is set, saying which setting to add", () => {
    const r = metricsAccess("aws", "Bearer anything", undefined);
    expect(r).toMatchObject({ ok: false, status: 403 });
    expect(!r.ok && r.message).toContain("ROLEGATE_METRICS_TOKEN");
  });

  it("wants the bearer token once one is set, in either mode", () => {
    for (const mode of ["sandbox", "aws"] as const) {
      expect(metricsAccess(mode, null, "s3cret-token")).toMatchObject({ ok: false, status: 401 });
      expect(metricsAccess(mode, "Bearer s3cret-tokeX", "s3cret-token")).toMatchObject({ ok: false, status: 401 });
      expect(metricsAccess(mode, "Bearer s3cret", "s3cret-token")).toMatchObject({ ok: false, status: 401 });
      expect(metricsAccess(mode, "Basic s3cret-token", "s3cret-token")).toMatchObject({ ok: false, status: 401 });
      expect(metricsAccess(mode, "Bearer s3cret-token", "s3cret-token")).toEqual({ ok: true });
    }
  });
});
