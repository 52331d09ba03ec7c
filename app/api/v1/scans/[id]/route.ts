import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { handleApi } from "@/lib/core/http";

export const dynamic = "force-dynamic";

/** GET /api/v1/scans/{id}: status, live progress, errors and counts of one inventory scan. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleApi(
    {
      name: "get-scan",
      permission: "inventory:read",
      input: z.object({ id: z.uuid("must be a scan id (UUID)") }),
      handler: async ({ prisma, input }) => {
        const scan = await prisma.scan.findUnique({ where: { id: input.id } });
        if (!scan) throw new DomainError("not_found", `No scan ${input.id}.`);
        return scan;
      },
    },
    await params,
  );
}
