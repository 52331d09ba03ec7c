// The drift report and the estate baseline as /drift and GET /api/v1/drift
// read them: computed once per state of the tables they come from (a
// fingerprint read in SQL, fingerprint.ts) and kept in process, so at 100,000
// associations a page load reads a fingerprint and a page of kept findings,
// not the whole association cache. Loads that arrive while one is computed
// wait for it. Kept objects are shared between requests: callers never mutate them.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Finding } from "@/lib/inventory/analysis";
import type { RequestsDeps } from "@/lib/requests";
import { planBaseline, type BaselinePlan } from "./baseline";
import { computeDrift, type DriftKinds, type DriftReport } from "./compute";
import { driftFingerprint } from "./fingerprint";

type Db = Pick<PrismaClient, "$queryRaw" | "requestItem" | "cluster">;

interface Kept {
  fingerprint: string;
  report: Promise<DriftReport>;
  /** The baseline per analysis (the findings array of the inventory view it was planned against). */
  baselines: WeakMap<object, Promise<BaselinePlan>>;
  withoutScan?: Promise<BaselinePlan>;
}

// On globalThis: the route and page bundles of one process share it (as the inventory view does).
const cache = globalThis as typeof globalThis & { __rolegateDrift?: Kept };

async function kept(prisma: Db, kinds: DriftKinds): Promise<Kept> {
  const fingerprint = await driftFingerprint(prisma);
  const current = cache.__rolegateDrift;
  if (current?.fingerprint === fingerprint) return current;
  const entry: Kept = { fingerprint, report: computeDrift(prisma, kinds), baselines: new WeakMap() };
  cache.__rolegateDrift = entry;
  entry.report.catch(() => {
    if (cache.__rolegateDrift === entry) cache.__rolegateDrift = undefined;
  });
  return entry;
}

/** The drift report of the tables as they are now (computeDrift's, kept while they do not change). */
export async function currentDriftReport(prisma: Db, kinds: DriftKinds): Promise<DriftReport> {
  return (await kept(prisma, kinds)).report;
}

/** The estate baseline against the latest scan's findings (null: no scan yet), kept with the report it was planned from. */
export async function currentBaseline(deps: Pick<RequestsDeps, "prisma" | "kinds">, findings: Finding[] | null): Promise<BaselinePlan> {
  const entry = await kept(deps.prisma, deps.kinds);
  const plan = findings ? entry.baselines.get(findings) : entry.withoutScan;
  if (plan) return plan;
  const planned = entry.report.then((report) => planBaseline(deps, findings, report));
  if (findings) entry.baselines.set(findings, planned);
  else entry.withoutScan = planned;
  planned.catch(() => {
    if (findings) entry.baselines.delete(findings);
    else entry.withoutScan = undefined;
  });
  return planned;
}
