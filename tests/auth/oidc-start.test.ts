// GET /api/auth/oidc/start writes nothing: it refuses an address over its sign-in
// limit from a read of the count, and the attempt is counted by the callback (the
// protocol's one writing GET). Run against a real OpenID Connect provider on
// 127.0.0.1 (oidc-provider, as the SSO browser test uses) and the real database.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { OIDC_FLOW_COOKIE } from "@/lib/auth/oidc";
import { PEER_HEADER } from "@/lib/auth/rate-limit";
import { loadConfig } from "@/lib/config/load";
import { createRuntime, setProcessRuntime, type Runtime } from "@/lib/runtime";
import { harness } from "../support/app-harness";
import { databaseChecksum, openTestDatabase, type TestDatabase } from "../support/db";

const start = await import("@/app/api/auth/oidc/start/route");
const callback = await import("@/app/api/auth/oidc/callback/route");

const PUBLIC_URL = "http://localhost:3000";
const PEER = "203.0.113.7";
/** The lowest limit ROLEGATE_SIGN_IN_LIMIT_PER_IP accepts. */
const PER_IP = 5;
let t: TestDatabase;
let idp: Server;
let issuer: string;
let rt: Runtime;
let previous: Runtime | undefined;

beforeAll(async () => {
  t = await openTestDatabase();
  harness.prisma = t.prisma;
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: "rolegate", client_secret: "oidc-start-test-secret", redirect_uris: [`${PUBLIC_URL}/api/auth/oidc/callback`], grant_types: ["authorization_code"], response_types: ["code"] }],
    pkce: { required: () => true },
  });
  idp.on("request", provider.callback());
  const config = loadConfig({
    ROLEGATE_MODE: "sandbox",
    ROLEGATE_OIDC_ISSUER: issuer,
    ROLEGATE_OIDC_CLIENT_ID: "rolegate",
    ROLEGATE_OIDC_CLIENT_SECRET: "oidc-start-test-secret",
    ROLEGATE_ROLE_MAP: "iam-team=approver",
    ROLEGATE_PUBLIC_URL: PUBLIC_URL,
    ROLEGATE_SIGN_IN_LIMIT_PER_IP: String(PER_IP),
  });
  harness.config = config;
  // The OIDC discovery is cached in the process's runtime (lib/auth/oidc.ts).
  rt = createRuntime(config, { database: { prisma: t.prisma }, env: {} });
  previous = setProcessRuntime(rt);
});
afterAll(async () => {
  setProcessRuntime(previous);
  rt?.aws.pool.destroy();
  await new Promise((resolve) => idp?.close(resolve));
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  // The callback reads the caller through next/headers; the start route reads its Request.
  harness.headers = new Headers({ [PEER_HEADER]: PEER, "user-agent": "vitest" });
});

const startRequest = () => new Request(`${PUBLIC_URL}/api/auth/oidc/start`, { headers: { [PEER_HEADER]: PEER } });
const idpDenied = () => new Request(`${PUBLIC_URL}/api/auth/oidc/callback?error=access_denied&state=x`);

describe("GET /api/auth/oidc/start", () => {
  it("redirects to the IdP with PKCE and the flow cookie, and leaves the database unchanged", async () => {
    const before = await databaseChecksum(t.prisma);
    for (let i = 0; i < PER_IP + 2; i++) {
      const res = await start.GET(startRequest());
      expect(res.status).toBe(303);
      const to = new URL(res.headers.get("location")!);
      expect(to.origin).toBe(issuer);
      expect(to.searchParams.get("code_challenge_method")).toBe("S256");
      expect(res.headers.get("set-cookie")).toContain(`${OIDC_FLOW_COOKIE}=`);
    }
    // More starts than the limit: none was counted, none refused.
    expect(await databaseChecksum(t.prisma)).toBe(before);
    expect(await t.prisma.rateLimit.count()).toBe(0);
  });

  it("refuses (429) an address whose callbacks used up its limit, still without writing; the callback counts and refuses too", async () => {
    for (let i = 0; i < PER_IP; i++) expect((await callback.GET(idpDenied())).status).toBe(303);
    expect(await t.prisma.rateLimit.findUnique({ where: { key: `ip:${PEER}` } })).toMatchObject({ count: PER_IP });
    const before = await databaseChecksum(t.prisma);
    const refused = await start.GET(startRequest());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited", message: expect.stringContaining("Too many sign-in attempts") } });
    expect(await databaseChecksum(t.prisma)).toBe(before);
    expect((await callback.GET(idpDenied())).status).toBe(429);
    // Another address is not held back by this one's attempts.
    expect((await start.GET(new Request(`${PUBLIC_URL}/api/auth/oidc/start`, { headers: { [PEER_HEADER]: "203.0.113.8" } }))).status).toBe(303);
  });
});
