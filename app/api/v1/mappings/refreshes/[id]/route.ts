import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { handleApi } from "@/lib/core/http";

export const dynamic = "force-dynamic";

/** GET /api/v1/mappings/refreshes/{id}: progress of a refresh. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleApi(
    {
      name: "get-mapping-refresh",
      permission: "mappings:read",
      input: z.object({ id: z.uuid("must be a refresh id (UUID)") }),
      handler: async ({ prisma, input }) => {
        const refresh = await prisma.mappingRefresh.findUnique({ where: { id: input.id } });
        if (!refresh) throw new DomainError("not_found", `No refresh ${input.id}.`);
        return refresh;
      },
    },
    await params,
  );
}
