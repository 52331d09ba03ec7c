// The one set-up of an integration test file: a migrated test database, the
// sandbox (AWS + Kubernetes over HTTP on random ports), the named users and the
// gateways the domain services take, reset before each test (or once per file).
//
//   const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
//   const { alice, ivy } = w.users;
//   it("...", async () => { await createRequest(w.deps, alice, ...) });
//
// The named users keep their id across resets (derived from the login), so they
// can be taken apart at the top of the file.
//
// useWorld registers the vitest hooks itself (call it at the top of the file,
// before the file's own hooks: vitest runs "before" hooks in the order they were
// registered, so the file's own beforeAll/beforeEach see a ready world). Files
// run one at a time against the one database of a run (vitest.config.ts).
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { AwsClientPool, EksGateway, eksKubeAccess } from "@/lib/aws";
import type { AwsGatewaySettings } from "@/lib/aws/clients";
import { createRequestsGateway, type RequestsGateway } from "@/lib/aws/requests-gateway";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import type { Role } from "@/lib/auth/permissions";
import type { OpenedDatabase } from "@/lib/db/drivers";
import type { PrismaClient } from "@/lib/db/generated/client";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { KubeGateway, type KubeAccess } from "@/lib/kube";
import type { Actor, RequestsDeps } from "@/lib/requests/deps";
import { buildItemKinds } from "@/lib/runtime";
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from "@/sandbox/server";
import { TARGETS } from "./constants";
import { openTestDatabase, type TestDatabase } from "./db";

export type DemoLogin = "alice" | "bob" | "ivy" | "ian" | "audrey" | "root";

export interface WorldOptions<L extends string = string> {
  /** Users created after every reset: a demo login (with its demo role) or any login with a role. */
  users?: readonly ((L & DemoLogin) | { login: L; role: Role })[];
  /** Open the test database (default true; sandbox-only tests say false). */
  database?: boolean;
  /** Start a sandbox for the file (random ports) and reset it with the database. */
  sandbox?: boolean | Omit<StartSandboxOptions, "awsPort" | "kubePort">;
  /** "each" (default): a fresh database, sandbox and users before every test; "once": before the file's first test only (its tests build on each other). */
  reset?: "each" | "once";
  /** After each reset, cache the sandbox's associations (a mappings refresh), as a running app has them. */
  mappings?: boolean;
  /** The AWS client pool's retry settings (default: 3 attempts). */
  pool?: Omit<AwsGatewaySettings, "endpoint">;
  /** Point the app harness (./app-harness.ts: next/headers, the Prisma singleton, getConfig) at this world, for tests of server actions and routes. */
  app?: boolean;
  /** Extra settings for the app harness's configuration (with `app`), e.g. ROLEGATE_SCIM_TOKEN. */
  appEnv?: Record<string, string>;
}

/** A clock the test moves by hand; back to the wall clock after every reset. */
export interface TestClock {
  now(): Date;
  set(at: Date): void;
  advance(ms: number): Date;
}

export interface World<L extends string = string> {
  readonly prisma: PrismaClient;
  /** The raw driver: SQL under Prisma (audit triggers, tampering). */
  readonly db: OpenedDatabase;
  readonly sandbox: RunningSandbox;
  readonly pool: AwsClientPool;
  readonly aws: RequestsGateway;
  /** What the request services take: prisma, the AWS gateway over the sandbox, the targets. */
  readonly deps: RequestsDeps;
  readonly kube: KubeGateway;
  /** EKS tokens minted from the sandbox credentials, verified by the sandbox's Kubernetes API (as the app reaches it). */
  readonly kubeAccess: KubeAccess & { kind: "eks" };
  readonly users: Readonly<Record<L, Actor>>;
  readonly clock: TestClock;
  makeUser(login: string, role: Role): Promise<Actor>;
  /** Empty the database, restore the sandbox's seed, clear its faults and call log, recreate the users. */
  reset(): Promise<void>;
}

const DEMO_ROLE = new Map(DEMO_USERS.map((u) => [u.login, u.role]));

/** A stable id per login (UUID-shaped), so a user is the same Actor after every reset. */
function userId(login: string): string {
  const h = createHash("sha256").update(`rolegate-test-user:${login}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function testClock(): TestClock & { reset(): void } {
  let fixed: Date | undefined;
  return {
    now: () => (fixed ? new Date(fixed) : new Date()),
    set: (at) => void (fixed = new Date(at)),
    advance(ms) {
      fixed = new Date((fixed ?? new Date()).getTime() + ms);
      return new Date(fixed);
    },
    reset: () => void (fixed = undefined),
  };
}

export function useWorld<const L extends string = never>(options: WorldOptions<L> = {}): World<L> {
  let database: TestDatabase | undefined;
  let sandbox: RunningSandbox | undefined;
  let deps: RequestsDeps | undefined;
  let pool: AwsClientPool | undefined;
  let aws: RequestsGateway | undefined;
  let kube: KubeGateway | undefined;
  let kubeAccess: (KubeAccess & { kind: "eks" }) | undefined;
  const clock = testClock();

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useWorld: ${what} is not available (outside a test, or the world was made without it)`);
    return value;
  };
  const users = {} as Record<L, Actor>;
  for (const u of options.users ?? []) {
    const spec = typeof u === "string" ? { login: u, role: DEMO_ROLE.get(u) } : u;
    if (!spec.role) throw new Error(`useWorld: ${String(u)} is not a demo user`);
    users[spec.login as L] = { id: userId(spec.login), login: spec.login, role: spec.role };
  }

  const world: World<L> = {
    get prisma() {
      return need(database, "the database").prisma;
    },
    get db() {
      return need(database, "the database").db;
    },
    get sandbox() {
      return need(sandbox, "the sandbox (sandbox: true)");
    },
    get pool() {
      return need(pool, "the AWS client pool (sandbox: true)");
    },
    get aws() {
      return need(aws, "the AWS gateway (sandbox: true)");
    },
    get deps() {
      // One object per world, so a test may swap its item kinds (w.deps.kinds = buildItemKinds({ restart }))
      // for the rest of the file. Item kinds without Kubernetes access by default; the
      // placement prechecks read Kubernetes (nodes, the agent DaemonSet, pods) as the app wires them.
      deps ??= { prisma: world.prisma, aws: world.aws, targets: TARGETS, kinds: buildItemKinds(), ...(kube ? { kube } : {}) };
      return deps;
    },
    get kube() {
      return need(kube, "the Kubernetes gateway (sandbox: true)");
    },
    get kubeAccess() {
      return need(kubeAccess, "the Kubernetes access (sandbox: true)");
    },
    users,
    clock,
    async makeUser(login, role) {
      const u = await world.prisma.user.create({ data: { login, name: login, role } });
      return { id: u.id, login: u.login, role };
    },
    async reset() {
      if (database) await database.reset();
      clock.reset();
      if (sandbox) {
        sandbox.ctx.faults.configure({});
        const res = await fetch(`${sandbox.awsEndpoint}/_sandbox/reset`, { method: "POST" });
        if (!res.ok) throw new Error(`sandbox reset answered ${res.status}`);
        sandbox.ctx.calls.clear();
      }
      for (const u of Object.values<Actor>(users)) await world.prisma.user.create({ data: { id: u.id, login: u.login, name: u.login, role: u.role } });
      if (options.mappings) {
        const refresh = await startMappingRefresh({ prisma: world.prisma, eks: new EksGateway(world.pool), targets: TARGETS }, "test");
        await refresh.done;
      }
    },
  };

  beforeAll(async () => {
    if (options.database !== false) database = await openTestDatabase();
    if (options.sandbox) {
      const extra = typeof options.sandbox === "object" ? options.sandbox : {};
      sandbox = await startSandbox({ log: () => {}, ...extra, awsPort: 0, kubePort: 0 });
      pool = new AwsClientPool({ maxAttempts: 3, ...options.pool, endpoint: sandbox.awsEndpoint });
      aws = createRequestsGateway({ endpoint: sandbox.awsEndpoint, readAttempts: 2 });
      kubeAccess = eksKubeAccess(pool, { targets: TARGETS, sandboxKubeEndpoint: sandbox.kubeEndpoint });
      kube = new KubeGateway(kubeAccess);
    }
    if (options.app) {
      const { harness } = await import("./app-harness");
      const { loadConfig } = await import("@/lib/config/load");
      harness.prisma = world.prisma;
      harness.config = loadConfig({
        ROLEGATE_MODE: "sandbox",
        ...(sandbox ? { ROLEGATE_SANDBOX_AWS_ENDPOINT: sandbox.awsEndpoint, ROLEGATE_SANDBOX_KUBE_ENDPOINT: sandbox.kubeEndpoint } : {}),
        ...options.appEnv,
      });
    }
    if (options.reset === "once") await world.reset();
  });
  if (options.reset !== "once") beforeEach(() => world.reset());
  afterAll(async () => {
    pool?.destroy();
    aws?.destroy();
    // Leave the shared database empty: a tampered audit trail or half-built state must not reach the next file or the browser tests.
    await database?.reset();
    await database?.close();
    await sandbox?.close();
    database = sandbox = pool = aws = kube = kubeAccess = undefined;
  });
  return world;
}
