import { z } from "zod";
import { queryObject } from "@/lib/core/http";
import { runPipeline } from "@/lib/core/pipeline";
import { HTTP_STATUS } from "@/lib/core/errors";
import { exportResponse } from "@/lib/audit/export";
import { auditQuerySchema, listAudit } from "@/lib/audit/query";
import { auditScope } from "@/lib/auth/audit-scope";

export const dynamic = "force-dynamic";

const input = z.intersection(
  auditQuerySchema,
  z.object({ format: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["json", "csv"], "must be json or csv").optional()) }),
);

/**
 * GET /api/v1/audit?actor=&event=&cluster=&namespace=&serviceAccount=&roleArn=&requestId=&from=&to=&sort=&dir=&page=&pageSize=
 * Without `format`: one page as JSON {total, page, pageSize, pages, rows}.
 * With `format=json|csv`: a streamed download of every matching row in chain
 * order (at most 100,000; X-Total-Count and X-Export-Truncated tell the rest).
 */
export async function GET(request: Request) {
  const result = await runPipeline(
    {
      name: "read-audit",
      permission: "audit:read",
      input,
      handler: async ({ prisma, user, input: q }) =>
        q.format ? exportResponse(prisma, q, q.format, undefined, auditScope(user)) : listAudit(prisma, q, auditScope(user)),
    },
    queryObject(request.url),
  );
  if (!result.ok) return Response.json({ error: result.error }, { status: HTTP_STATUS[result.error.code] });
  return result.data instanceof Response ? result.data : Response.json(result.data);
}
