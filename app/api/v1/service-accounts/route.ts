import { serveOperation } from "@/lib/core/http";
import { listServiceAccountsOp } from "@/lib/api/operations/inventory";

export const dynamic = "force-dynamic";

/** GET /api/v1/service-accounts: the `listServiceAccountsOp` operation (lib/api/operations/inventory.ts). */
export async function GET(request: Request) {
  return serveOperation(listServiceAccountsOp, request);
}
