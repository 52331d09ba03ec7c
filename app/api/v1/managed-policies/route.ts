import { serveOperation } from "@/lib/core/http";
import { managedPoliciesOp } from "@/lib/api/operations/requests";

export const dynamic = "force-dynamic";

/** GET /api/v1/managed-policies: the `managedPoliciesOp` operation (lib/api/operations/requests.ts). */
export async function GET(request: Request) {
  return serveOperation(managedPoliciesOp, request);
}
