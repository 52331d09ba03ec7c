import { serveOperation } from "@/lib/core/http";
import { fileTightenedTrustOp, getTightenedTrustOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** GET /api/v1/roles/{arn}/tightened-trust: the `getTightenedTrustOp` operation (lib/api/operations/lifecycle.ts). */
export async function GET(request: Request, context: { params: Promise<{ arn: string }> }) {
  return serveOperation(getTightenedTrustOp, request, context);
}

/** POST /api/v1/roles/{arn}/tightened-trust: the `fileTightenedTrustOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request, context: { params: Promise<{ arn: string }> }) {
  return serveOperation(fileTightenedTrustOp, request, context);
}
