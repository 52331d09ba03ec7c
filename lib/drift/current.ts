// The drift report and the estate baseline as /drift and GET /api/v1/drift
// read them: computed once per state of the tables they come from (a
// fingerprint read in SQL, fingerprint.ts) and kept in process, so at 100,000
// associations a page load reads one fingerprint and a page of kept findings,
// not the whole association cache. Loads that arrive while one is computed
// wait for it. Kept objects are shared between requests: callers never mutate them.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Finding } from "@/lib/inventory/analysis";
import type { RequestsDeps } from "@/lib/requests";
import { planBaseline, type BaselinePlan } from "./baseline";
import { computeDrift, type DriftReport } from "./compute";
import { driftFingerprint } from "./fingerprint";

/** The drift of the tables as they were when it was read: the report, and the baseline planned from it on demand. */
export interface CurrentDrift {
  report: Promise<DriftReport>;
  /** The estate baseline against the latest scan's findings (null: no scan yet), kept with the report, per analysis. */
  baseline(findings: Finding[] | null): Promise<BaselinePlan>;
}

interface Kept extends CurrentDrift {
  fingerprint: string;
}

// On globalThis: the route and page bundles of one process share it (as the inventory view does).
const cache = globalThis as typeof globalThis & { __rolegateDrift?: Kept };

function keep(deps: Pick<RequestsDeps, "prisma" | "kinds">, fingerprint: string): Kept {
  const report = computeDrift(deps.prisma, deps.kinds);
  const plans = new WeakMap<object, Promise<BaselinePlan>>();
  let withoutScan: Promise<BaselinePlan> | undefined;
  const entry: Kept = {
    fingerprint,
    report,
    baseline(findings) {
      const kept = findings ? plans.get(findings) : withoutScan;
      if (kept) return kept;
      const planned = report.then((r) => planBaseline(deps, findings, r));
      if (findings) plans.set(findings, planned);
      else withoutScan = planned;
      planned.catch(() => (findings ? plans.delete(findings) : (withoutScan = undefined)));
      return planned;
    },
  };
  report.catch(() => {
    if (cache.__rolegateDrift === entry) cache.__rolegateDrift = undefined;
  });
  return entry;
}

/** The drift of the tables as they are now: one fingerprint query, then computeDrift's report as kept while they do not change. */
export async function currentDrift(deps: Pick<RequestsDeps, "prisma" | "kinds">): Promise<CurrentDrift> {
  const fingerprint = await driftFingerprint(deps.prisma);
  const current = cache.__rolegateDrift;
  if (current?.fingerprint === fingerprint) return current;
  return (cache.__rolegateDrift = keep(deps, fingerprint));
}
