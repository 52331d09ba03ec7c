import { handleApi } from "@/lib/api/handler";
import { getRequestSpec } from "@/lib/requests/api-specs";

export const dynamic = "force-dynamic";

/** GET /api/v1/requests/{id} */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleApi(getRequestSpec, { id: (await params).id });
}
