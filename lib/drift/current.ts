// The drift report and the estate baseline as /drift and GET /api/v1/drift
// read them, and the overview's drift counts: computed once per state of the
// tables they come from (a fingerprint read in SQL, fingerprint.ts) and kept in
// process, so at 100,000 associations a page load reads one fingerprint and a
// page of kept findings, not the whole association cache. Each is computed when
// first asked for (the overview alone never builds the report); loads that
// arrive while one is computed wait for it. Kept objects are shared between
// requests: callers never mutate them.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Finding } from "@/lib/inventory/analysis";
import type { RequestsDeps } from "@/lib/requests";
import { planBaseline, type BaselinePlan } from "./baseline";
import { computeDrift, type DriftKind, type DriftReport } from "./compute";
import { countDrift } from "./counts";
import { driftFingerprint } from "./fingerprint";
import { outsideRequest } from "@/lib/util/outside-request";

/** The drift of the tables as they were when it was read: the report, and the baseline planned from it on demand. */
export interface CurrentDrift {
  readonly report: Promise<DriftReport>;
  /** The report's counts: from the report when it was asked for, else counted on their own (countDrift reads fewer rows). */
  counts(): Promise<Record<DriftKind, number>>;
  /** The estate baseline against the latest scan's findings (null: no scan yet), kept with the report, per analysis. */
  baseline(findings: Finding[] | null): Promise<BaselinePlan>;
}

interface Kept extends CurrentDrift {
  fingerprint: string;
}

// On globalThis: the route and page bundles of one process share it (as the inventory view does).
const cache = globalThis as typeof globalThis & { __rolegateDrift?: Kept };

function keep(deps: Pick<RequestsDeps, "prisma" | "kinds">, fingerprint: string): Kept {
  let report: Promise<DriftReport> | undefined;
  let counts: Promise<Record<DriftKind, number>> | undefined;
  const plans = new WeakMap<object, Promise<BaselinePlan>>();
  let withoutScan: Promise<BaselinePlan> | undefined;
  const forget = () => {
    if (cache.__rolegateDrift === entry) cache.__rolegateDrift = undefined;
  };
  const entry: Kept = {
    fingerprint,
    get report() {
      if (!report) {
        report = outsideRequest(() => computeDrift(deps.prisma, deps.kinds));
        report.catch(forget);
      }
      return report;
    },
    counts() {
      if (report) return report.then((r) => r.counts);
      if (!counts) {
        counts = outsideRequest(() => countDrift(deps.prisma, deps.kinds));
        counts.catch(forget);
      }
      return counts;
    },
    baseline(findings) {
      const kept = findings ? plans.get(findings) : withoutScan;
      if (kept) return kept;
      const planned = outsideRequest(() => entry.report.then((r) => planBaseline(deps, findings, r)));
      if (findings) plans.set(findings, planned);
      else withoutScan = planned;
      planned.catch(() => (findings ? plans.delete(findings) : (withoutScan = undefined)));
      return planned;
    },
  };
  return entry;
}

/** The drift of the tables as they are now: one fingerprint query, then computeDrift's report as kept while they do not change. */
export async function currentDrift(deps: Pick<RequestsDeps, "prisma" | "kinds">): Promise<CurrentDrift> {
  const fingerprint = await driftFingerprint(deps.prisma);
  const current = cache.__rolegateDrift;
  if (current?.fingerprint === fingerprint) return current;
  return (cache.__rolegateDrift = keep(deps, fingerprint));
}
