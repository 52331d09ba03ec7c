// /migration's list: each candidate's stage, and filtering, sorting and paging
// on the server (pure), so a fleet with thousands of IRSA service accounts is
// one page of rows, not one table per cluster.
import { z } from "zod";
import { contains, pagingFields, sortAndPage, type Page } from "@/lib/inventory/views/paging";
import type { MigrationRow } from "./service";

export const MIGRATION_STAGES = ["stays-on-irsa", "other-association", "to-migrate", "migrating", "to-clean-up", "cleaning-up", "done"] as const;
export type MigrationStage = (typeof MIGRATION_STAGES)[number];

export const STAGE_LABELS: Record<MigrationStage, string> = {
  "stays-on-irsa": "Stays on IRSA (Pod Identity cannot work there)",
  "other-association": "Has another association",
  "to-migrate": "Ready for step 1",
  migrating: "Step 1 in progress",
  "to-clean-up": "Ready for step 2",
  "cleaning-up": "Step 2 in progress",
  done: "Done",
};

const OPEN = new Set(["pending", "changes_requested", "approved", "applying"]);
const ENDED_WITHOUT_CHANGE = new Set(["rejected", "cancelled", "expired", "failed"]);

/** Where a candidate stands, and so which step (if any) the page offers. */
export function stageOf(row: Pick<MigrationRow, "blocked" | "association" | "roleArn" | "migration" | "cleanup">): MigrationStage {
  if (row.blocked) return "stays-on-irsa";
  if (row.association && row.association.roleArn !== row.roleArn) return "other-association";
  if (!row.migration || ENDED_WITHOUT_CHANGE.has(row.migration.status)) return "to-migrate";
  if (OPEN.has(row.migration.status)) return "migrating";
  if (!row.cleanup || ENDED_WITHOUT_CHANGE.has(row.cleanup.status)) return "to-clean-up";
  return OPEN.has(row.cleanup.status) ? "cleaning-up" : "done";
}

export const MIGRATION_SORTS = ["cluster", "serviceAccount", "role", "stage"] as const;

export const migrationQuerySchema = z.object({
  cluster: z.string().trim().max(100).optional().catch(undefined),
  namespace: z.string().trim().max(253).optional().catch(undefined),
  stage: z.enum(MIGRATION_STAGES).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(MIGRATION_SORTS).catch("cluster"),
  ...pagingFields,
});
export type MigrationQuery = z.infer<typeof migrationQuerySchema>;

const SORT_KEYS: Record<MigrationQuery["sort"], (r: MigrationRow) => string | number> = {
  cluster: (r) => r.cluster,
  serviceAccount: (r) => `${r.namespace}/${r.serviceAccount}`,
  role: (r) => r.roleArn.split("/").pop() ?? r.roleArn,
  stage: (r) => MIGRATION_STAGES.indexOf(stageOf(r)),
};

export function queryMigrationRows(rows: readonly MigrationRow[], q: MigrationQuery): Page<MigrationRow> {
  const kept = rows.filter(
    (r) =>
      (!q.cluster || r.cluster === q.cluster) &&
      (!q.namespace || r.namespace === q.namespace) &&
      (!q.stage || stageOf(r) === q.stage) &&
      contains(q.q, r.serviceAccount, r.namespace, r.roleArn),
  );
  return sortAndPage(kept, SORT_KEYS[q.sort], q.dir, q.page, q.pageSize, [(r) => r.key]);
}

/** The values each filter offers: only those some candidate has. */
export function migrationFacets(rows: readonly MigrationRow[]) {
  const sorted = (values: string[]) => [...new Set(values)].sort();
  const stages = new Set(rows.map(stageOf));
  return {
    clusters: sorted(rows.map((r) => r.cluster)),
    namespaces: sorted(rows.map((r) => r.namespace)),
    stages: MIGRATION_STAGES.filter((s) => stages.has(s)),
  };
}
