import { serveOperation } from "@/lib/core/http";
import { createApprovalPolicyOp, listApprovalPoliciesOp } from "@/lib/api/operations/policies";

export const dynamic = "force-dynamic";

/** GET /api/v1/approval-policies: the `listApprovalPoliciesOp` operation (lib/api/operations/policies.ts). */
export async function GET(request: Request) {
  return serveOperation(listApprovalPoliciesOp, request);
}

/** POST /api/v1/approval-policies: the `createApprovalPolicyOp` operation (lib/api/operations/policies.ts). */
export async function POST(request: Request) {
  return serveOperation(createApprovalPolicyOp, request);
}
