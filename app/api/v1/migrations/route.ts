import { serveOperation } from "@/lib/core/http";
import { migrateToPodIdentityOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/migrations: the `migrateToPodIdentityOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(migrateToPodIdentityOp, request);
}
