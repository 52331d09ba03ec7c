import { serveOperation } from "@/lib/core/http";
import { copyMappingsToGreenOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/bluegreen/copies: the `copyMappingsToGreenOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(copyMappingsToGreenOp, request);
}
