import { serveOperation } from "@/lib/core/http";
import { removeIrsaSubjectOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/migrations/cleanups: the `removeIrsaSubjectOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(removeIrsaSubjectOp, request);
}
