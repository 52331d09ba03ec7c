// Real database + real sandbox over HTTP for the request workflow tests.
import { createRequestsGateway, type RequestsGateway } from "@/lib/aws/requests-gateway";
import type { Role } from "@/lib/auth/permissions";
import { createRequestRunner } from "@/lib/jobs/request-handlers";
import type { Actor, RequestsDeps } from "@/lib/requests/deps";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { openTestDatabase, type TestDatabase } from "../helpers/test-db";

export const TARGETS = [{ accountId: "111122223333", region: "us-east-1", clusters: ["*"] }];
export const PI_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped";
export const OTHER_PI_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality";

export interface World {
  sandbox: RunningSandbox;
  t: TestDatabase;
  aws: RequestsGateway;
  deps: RequestsDeps;
  close(): Promise<void>;
}

export async function openWorld(): Promise<World> {
  const sandbox = await startSandbox({ awsPort: 0, kubePort: 0 });
  const t = await openTestDatabase();
  const aws = createRequestsGateway({ endpoint: sandbox.awsEndpoint, readAttempts: 2 });
  return {
    sandbox,
    t,
    aws,
    deps: { prisma: t.prisma, aws, targets: TARGETS },
    async close() {
      aws.destroy();
      await t.close();
      await sandbox.close();
    },
  };
}

export async function makeUser(w: World, login: string, role: Role): Promise<Actor> {
  const u = await w.t.prisma.user.create({ data: { login, name: login, role } });
  return { id: u.id, login: u.login, role };
}

export function runner(w: World, leaseMs = 60_000) {
  return createRequestRunner({ ...w.deps, backoff: { tries: 4, baseMs: 1 } }, { leaseMs, log: () => {} }, async () => true);
}

export function successfulCreates(w: World) {
  return w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" }).filter((c) => c.status === 200);
}

export function sandboxAssociations(w: World, cluster: string, namespace: string, sa: string) {
  const c = w.sandbox.ctx.world.accounts["111122223333"]!.regions["us-east-1"]!.clusters[cluster]!;
  return Object.values(c.associations).filter((a) => a.namespace === namespace && a.serviceAccount === sa);
}

export const createInput = (serviceAccount: string, roleArn = PI_ROLE) => ({
  kind: "create" as const,
  cluster: "domino-green",
  namespace: "domino-compute",
  serviceAccount,
  roleArn,
  disableSessionTags: false,
  tags: {},
  justification: "Nightly job needs to read the sales bucket",
});
