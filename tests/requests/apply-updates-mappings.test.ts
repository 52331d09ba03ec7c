// An applied request shows on /mappings at once: the apply writes the cached
// association in the transaction that records the item (no refresh needed),
// and each cached mapping links back to the requests about its service account.
import { describe, expect, it } from "vitest";
import { listMappings, mappingQuerySchema } from "@/lib/inventory/list-mappings";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { OTHER_PI_ROLE } from "../support/constants";
import { createInput, runner, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, mappings: true });
const { alice, ivy } = w.users;

const cached = (sa: string) => w.prisma.podIdentityAssociation.findMany({ where: { serviceAccount: sa, namespace: "domino-compute", cluster: { name: "domino-green" } } });
const listed = async (sa: string) => (await listMappings(w.prisma, mappingQuerySchema.parse({ cluster: "domino-green", namespace: "domino-compute", q: sa }))).rows;

async function applied(input: Parameters<typeof createRequest>[2]) {
  const r = await createRequest(w.deps, alice, input);
  await approveRequest(w.deps, ivy, { id: r.id });
  await runner(w).drain();
  expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("applied");
  return r.id;
}

describe("an applied request on /mappings", () => {
  it("create, update and delete change the cached association at once, and the row links to its requests", async () => {
    const lastRefresh = await w.prisma.mappingRefresh.count();
    expect(await cached("svc-cache")).toHaveLength(0);

    const created = await applied(createInput("svc-cache"));
    const inAws = sandboxAssociations(w, "domino-green", "domino-compute", "svc-cache")[0]!;
    const [row] = await cached("svc-cache");
    expect(row).toMatchObject({ associationId: inAws.associationId, roleArn: inAws.roleArn });
    const [listedRow] = await listed("svc-cache");
    expect(listedRow?.requests).toEqual([{ id: created, kind: "create", status: "applied" }]);

    const updated = await applied({ ...createInput("svc-cache", OTHER_PI_ROLE), kind: "update" });
    expect((await cached("svc-cache")).map((r) => r.roleArn)).toEqual([OTHER_PI_ROLE]);
    expect((await listed("svc-cache"))[0]?.requests.map((r) => r.id)).toEqual([updated, created]);

    await applied({ ...createInput("svc-cache"), kind: "delete", roleArn: undefined });
    expect(await cached("svc-cache")).toHaveLength(0);
    // No refresh ran: the apply itself kept the cache right.
    expect(await w.prisma.mappingRefresh.count()).toBe(lastRefresh);
  }, 60_000);

  it("a failed apply leaves the cache as it was", async () => {
    w.sandbox.ctx.faults.configure({ failNext: { CreatePodIdentityAssociation: 10 } });
    const r = await createRequest(w.deps, alice, createInput("svc-cache-fail"));
    await approveRequest(w.deps, ivy, { id: r.id });
    await runner(w).drain();
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("failed");
    expect(await cached("svc-cache-fail")).toHaveLength(0);
  });
});
