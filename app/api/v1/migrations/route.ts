import { serveOperation } from "@/lib/core/http";
import { migrateToPodIdentityOp } from "@/lib/api/operations/lifecycle";
import { listMigrationCandidatesOp } from "@/lib/api/operations/lifecycle-views";

export const dynamic = "force-dynamic";

/** GET /api/v1/migrations: the `listMigrationCandidatesOp` operation (lib/api/operations/lifecycle-views.ts). */
export async function GET(request: Request) {
  return serveOperation(listMigrationCandidatesOp, request);
}

/** POST /api/v1/migrations: the `migrateToPodIdentityOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(migrateToPodIdentityOp, request);
}
