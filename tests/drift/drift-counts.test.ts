// The overview's drift counts (countDrift: only the associations of approved
// service accounts are read) equal the counts of the full report /drift shows
// (computeDrift), for every kind: seeded out-of-band associations, an approved
// association deleted in AWS (missing), one changed out of band, and a cluster
// whose last refresh failed (its approved associations cannot be missing).
import { DeletePodIdentityAssociationCommand, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { describe, expect, it } from "vitest";
import { EksGateway } from "@/lib/aws";
import { computeDrift } from "@/lib/drift/compute";
import { countDrift } from "@/lib/drift/counts";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { LOC, OTHER_PI_ROLE, TARGETS } from "../support/constants";
import { createInput, runner } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, reset: "once" });
const { alice, ivy } = w.users;

async function refresh() {
  await (await startMappingRefresh({ prisma: w.prisma, eks: new EksGateway(w.pool), targets: TARGETS }, "test")).done;
}

async function appliedAssociation(serviceAccount: string): Promise<string> {
  const { id } = await createRequest(w.deps, alice, createInput(serviceAccount));
  await approveRequest(w.deps, ivy, { id });
  await runner(w).drain();
  const r = await w.prisma.request.findUniqueOrThrow({ where: { id }, include: { items: true } });
  expect(r.status).toBe("applied");
  return r.items[0]!.resultAssociationId!;
}

/** Both ways of counting agree; returns the counts. */
async function agreed() {
  const counts = await countDrift(w.prisma, w.deps.kinds);
  expect(counts).toEqual((await computeDrift(w.prisma, w.deps.kinds)).counts);
  return counts;
}

describe("drift counts for the overview", () => {
  it("equal the full report's counts for out-of-band, missing and changed associations", async () => {
    await refresh();
    const seeded = await agreed();
    expect(seeded["out-of-band"]).toBe(await w.prisma.podIdentityAssociation.count());
    expect(seeded.missing + seeded.changed).toBe(0);

    // Approved and in force: neither out of band nor drift.
    await appliedAssociation("svc-count-kept");
    await refresh();
    expect(await agreed()).toEqual(seeded);

    const gone = await appliedAssociation("svc-count-missing");
    await w.pool.eksFor(LOC).send(new DeletePodIdentityAssociationCommand({ clusterName: "domino-green", associationId: gone }));
    const moved = await appliedAssociation("svc-count-changed");
    await w.pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: "domino-green", associationId: moved, roleArn: OTHER_PI_ROLE }));
    await refresh();
    expect(await agreed()).toEqual({ "out-of-band": seeded["out-of-band"], missing: 1, changed: 1 });

    // A cluster whose refresh failed cannot prove absence: nothing of it is missing.
    await w.prisma.cluster.updateMany({ where: { name: "domino-green" }, data: { lastRefreshError: "AccessDenied" } });
    expect(await agreed()).toEqual({ "out-of-band": seeded["out-of-band"], missing: 0, changed: 1 });
  }, 180_000);
});
