import { OPENAPI } from "@/lib/api/openapi-requests";

export const dynamic = "force-static";

/** GET /api/v1/openapi.json */
export function GET() {
  return Response.json(OPENAPI);
}
