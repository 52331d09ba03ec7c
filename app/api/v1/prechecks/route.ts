import { handleApi } from "@/lib/core/http";
import { readJsonBody } from "@/lib/core/read-body";
import { precheckSpec } from "@/lib/requests/api-specs";

export const dynamic = "force-dynamic";

/** POST /api/v1/prechecks: the prechecks of a request body, without filing it (live form checks). */
export async function POST(request: Request) {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return handleApi(precheckSpec, body.body, 200, request);
}
