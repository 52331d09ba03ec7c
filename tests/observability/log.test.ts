import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, routeOf, setRequestActor, withRequestContext } from "@/lib/observability/log";
import { routeLabel } from "@/lib/observability/metrics";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(stream), lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("JSON logs", () => {
  it("carry level, request id, route and actor of the request being served", () => {
    const { logger, entries } = capture();
    withRequestContext({ requestId: "req-123", route: "/requests", method: "GET" }, () => {
      logger.info("before sign-in is known");
      setRequestActor("alice");
      logger.warn({ detail: 1 }, "after");
    });
    logger.info("outside any request");
    const [before, after, outside] = entries();
    expect(before).toMatchObject({ level: "info", requestId: "req-123", route: "/requests", method: "GET", service: "rolegate" });
    expect(before).not.toHaveProperty("actor");
    expect(after).toMatchObject({ level: "warn", requestId: "req-123", actor: "alice", detail: 1 });
    expect(outside).not.toHaveProperty("requestId");
  });

  it("never write a secret handed to them in the usual places", () => {
    const { logger, lines } = capture();
    const secrets = ["Bearer rg_live_token_1", "rolegate_session=abc123cookie", "hunter2-password", "oidc-client-secret-9", "api-token-7", "postgres://u:dbpass@h/db", "AKIAEXAMPLE/secretkey"];
    logger.info({
      authorization: secrets[0],
      cookie: secrets[1],
      password: secrets[2],
      clientSecret: secrets[3],
      token: secrets[4],
      databaseUrl: secrets[5],
      req: { headers: { authorization: secrets[0], cookie: secrets[1] } },
      headers: { "set-cookie": secrets[1] },
      credentials: { secretAccessKey: secrets[6], sessionToken: secrets[4] },
      config: { oidc: { clientSecret: secrets[3] } },
    }, "everything sensitive at once");
    const out = lines.join("\n");
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain("[redacted]");
  });

  it("log the path without its query string and label metrics without ids", () => {
    expect(routeOf("/api/auth/oidc/callback?code=secret-code&state=s")).toBe("/api/auth/oidc/callback");
    expect(routeOf(undefined)).toBe("/");
    expect(routeLabel("/requests/3f1c2b9a-1d2e-4f5a-8b9c-0d1e2f3a4b5c")).toBe("/requests/:id");
    expect(routeLabel("/api/v1/tokens/42")).toBe("/api/v1/tokens/:id");
    expect(routeLabel("/_next/static/chunks/app.js")).toBe("/_next/*");
  });
});

describe("log scrubbing of strings", () => {
  it("removes bearer tokens and URL passwords from messages and error texts", () => {
    const { logger, lines } = capture();
    logger.error({ err: new Error("connect to postgres://rolegate:db-pass-77@db:5432/rg failed") }, "Authorization was Bearer tok-abc-123");
    const out = lines.join("\n");
    expect(out).not.toContain("db-pass-77");
    expect(out).not.toContain("tok-abc-123");
    expect(out).toContain("postgres://rolegate:[redacted]@db:5432/rg");
  });
});
