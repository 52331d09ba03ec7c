import { handleApi, queryObject } from "@/lib/core/http";
import { getRequestSpec } from "@/lib/requests/api-specs";

export const dynamic = "force-dynamic";

/** GET /api/v1/requests/{id}[?prechecks=fresh]: with prechecks=fresh the prechecks run again (and are stored) first. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleApi(getRequestSpec, { ...queryObject(request.url), id: (await params).id }, 200, request);
}
