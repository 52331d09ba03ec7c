import { serveOperation } from "@/lib/core/http";
import { startScanOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** POST /api/v1/scans: the `startScanOp` operation (lib/api/operations/inventory.ts). */
export async function POST(request: Request) {
  return serveOperation(startScanOp, request);
}
