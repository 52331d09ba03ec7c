// Wraps the HTTP server's handler: each request gets an id (x-request-id), runs
// inside a log context (id, method, route, later the actor) and ends with one
// JSON access-log line and its metrics. Probes and scrapes log at debug level.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { log, routeOf, withRequestContext, requestContext } from "./log";
import { recordHttpRequest } from "./metrics";

const QUIET = new Set(["/livez", "/readyz", "/startupz", "/metrics", "/api/health"]);
const GIVEN_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function observeRequests(handle: (req: IncomingMessage, res: ServerResponse) => unknown) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const header = req.headers["x-request-id"];
    const requestId = typeof header === "string" && GIVEN_ID.test(header) ? header : randomUUID();
    const route = routeOf(req.url);
    const method = req.method ?? "GET";
    res.setHeader("x-request-id", requestId);
    withRequestContext({ requestId, route, method }, () => {
      const ctx = requestContext();
      res.once("finish", () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        recordHttpRequest(method, route, res.statusCode, seconds);
        const entry = { requestId, method, route, status: res.statusCode, durationMs: Math.round(seconds * 1000), ...(ctx?.actor ? { actor: ctx.actor } : {}) };
        if ((QUIET.has(route) || route.startsWith("/_next/")) && res.statusCode < 400) log().debug(entry, "request");
        else log()[res.statusCode >= 500 ? "error" : "info"](entry, "request");
      });
      void handle(req, res);
    });
  };
}
