import { serveOperation } from "@/lib/core/http";
import { createTokenOp, listTokensOp } from "@/lib/api/operations/auth";

export const dynamic = "force-dynamic";

/** GET /api/v1/tokens: the `listTokensOp` operation (lib/api/operations/auth.ts). */
export async function GET(request: Request) {
  return serveOperation(listTokensOp, request);
}

/** POST /api/v1/tokens: the `createTokenOp` operation (lib/api/operations/auth.ts). */
export async function POST(request: Request) {
  return serveOperation(createTokenOp, request);
}
