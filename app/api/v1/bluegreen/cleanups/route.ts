import { serveOperation } from "@/lib/core/http";
import { cleanUpRetiredIssuerOp } from "@/lib/api/operations/lifecycle";

export const dynamic = "force-dynamic";

/** POST /api/v1/bluegreen/cleanups: the `cleanUpRetiredIssuerOp` operation (lib/api/operations/lifecycle.ts). */
export async function POST(request: Request) {
  return serveOperation(cleanUpRetiredIssuerOp, request);
}
