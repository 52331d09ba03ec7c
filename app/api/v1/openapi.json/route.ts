import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

/** GET /api/v1/openapi.json: generated from the operations' zod schemas (lib/api/openapi.ts). */
export function GET() {
  return Response.json(openApiDocument());
}
