import { handleApi } from "@/lib/core/http";
import { refreshPrechecksSpec } from "@/lib/requests/api-specs";

export const dynamic = "force-dynamic";

/** POST /api/v1/requests/{id}/prechecks: run the request's prechecks again; stores and returns {id, prechecks, prechecksAt}. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleApi(refreshPrechecksSpec, { id: (await params).id }, 200, request);
}
