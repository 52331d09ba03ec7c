import { handleApi } from "@/lib/core/http";
import { readJsonBody } from "@/lib/core/read-body";
import { approveRequestSpec } from "@/lib/requests/api-specs";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/approve -> 200 with the new state; 403 not allowed; 409 wrong state. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const input = typeof body.body === "object" && body.body !== null ? body.body : {};
  return handleApi(approveRequestSpec, { ...input, id: (await params).id }, 200, request);
}
