import { handleApi, queryObject } from "@/lib/core/http";
import { readJsonBody } from "@/lib/core/read-body";
import { createRequestSpec, listRequestsSpec } from "@/lib/requests/api-specs";

export const dynamic = "force-dynamic";

/** GET /api/v1/requests?tab=mine|review|all&status=&cluster=&q=&page=&pageSize= */
export async function GET(request: Request) {
  return handleApi(listRequestsSpec, queryObject(request.url), 200, request);
}

/** POST /api/v1/requests -> 201 {id, status, prechecks} */
export async function POST(request: Request) {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return handleApi(createRequestSpec, body.body, 201, request);
}
