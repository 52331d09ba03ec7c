// Real database + real sandbox over HTTP for the request workflow tests.
import { createRequestsGateway, type RequestsGateway } from "@/lib/aws/requests-gateway";
import type { Role } from "@/lib/auth/permissions";
import { createRequestRunner } from "@/lib/jobs/request-handlers";
import type { Actor, RequestsDeps } from "@/lib/requests/deps";
import { loadConfig } from "@/lib/config/load";
import { buildItemKinds, createRuntime, setProcessRuntime, type Runtime } from "@/lib/runtime";
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
    // The item kinds without Kubernetes access; tests that restart pods build theirs with it (buildItemKinds({ restart })).
    deps: { prisma: t.prisma, aws, targets: TARGETS, kinds: buildItemKinds() },
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

/**
 * Installs a runtime (lib/runtime.ts) pointed at this world's sandbox and database as the
 * process's, for code that reads it (server actions, API routes, pages); returns the uninstall.
 */
export function installRuntime(w: World, config: Partial<ReturnType<typeof loadConfig>> = {}): { runtime: Runtime; uninstall: () => void } {
  const base = loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_AWS_ENDPOINT: w.sandbox.awsEndpoint, ROLEGATE_SANDBOX_KUBE_ENDPOINT: w.sandbox.kubeEndpoint });
  const runtime = createRuntime({ ...base, ...config }, { database: { prisma: w.t.prisma }, env: {} });
  const previous = setProcessRuntime(runtime);
  return {
    runtime,
    uninstall() {
      setProcessRuntime(previous);
      runtime.aws.pool.destroy();
    },
  };
}
