// zod schema for FaultSettings (context.ts), used by PUT /_sandbox/faults and
// the CLI, so a typo in a fault configuration is a 400, not a silent no-op.
import { z } from "zod";
import type { FaultSettings } from "../context";

const throttleRule = z
  .object({
    ratePerSecond: z.number().min(0),
    burst: z.number().min(0).optional(),
    scope: z.enum(["operation", "operation+cluster"]).optional(),
  })
  .strict();

const faultSettingsSchema = z
  .object({
    latencyMs: z.number().min(0).max(600_000).optional(),
    latencyByOperation: z.record(z.string(), z.number().min(0).max(600_000)).optional(),
    throttle: z.record(z.string(), throttleRule).optional(),
    errorRate5xx: z.number().min(0).max(1).optional(),
    errorOperations: z.array(z.string()).optional(),
    failNext: z.record(z.string(), z.number().int().min(0)).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export function parseFaultSettings(input: unknown): { ok: true; value: FaultSettings } | { ok: false; error: string } {
  const r = faultSettingsSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
}
