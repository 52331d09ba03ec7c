import { handleApi, queryObject } from "@/lib/core/http";
import { listMappings, mappingQuerySchema } from "@/lib/inventory/list-mappings";

export const dynamic = "force-dynamic";

/** GET /api/v1/mappings?cluster=&namespace=&q=&sort=&dir=&page=&pageSize= */
export async function GET(request: Request) {
  return handleApi(
    {
      name: "list-mappings",
      permission: "mappings:read",
      input: mappingQuerySchema,
      handler: async ({ prisma, input }) => {
        const result = await listMappings(prisma, input);
        return {
          ...result,
          rows: result.rows.map((r) => ({
            cluster: r.cluster.name,
            accountId: r.cluster.accountId,
            region: r.cluster.region,
            associationId: r.associationId,
            associationArn: r.associationArn,
            namespace: r.namespace,
            serviceAccount: r.serviceAccount,
            roleArn: r.roleArn,
            targetRoleArn: r.targetRoleArn,
            externalId: r.externalId,
            sessionTags: !r.disableSessionTags,
            ownerArn: r.ownerArn,
            createdAt: r.awsCreatedAt,
            modifiedAt: r.awsModifiedAt,
            refreshedAt: r.refreshedAt,
          })),
        };
      },
    },
    queryObject(request.url),
  );
}
