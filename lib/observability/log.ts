// JSON logs (pino) with the request's id, route and actor. One logger and one
// request context per process, kept on globalThis: the start-up script and the
// Next.js bundle are separate module copies that must share them.
//
// Secrets never reach a log line: the fields that can carry one are redacted by
// path, and request lines carry the path without its query string.
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";

export interface RequestContext {
  requestId: string;
  route: string;
  method: string;
  actor?: string;
}

/** Paths pino replaces with "[redacted]" wherever a caller logs them. */
export const REDACT_PATHS = [
  "authorization",
  "cookie",
  "password",
  "secret",
  "token",
  "clientSecret",
  "databaseUrl",
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.secret",
  "*.token",
  "*.clientSecret",
  "*.databaseUrl",
  "*.sessionToken",
  "*.secretAccessKey",
  'headers["set-cookie"]',
  'req.headers["set-cookie"]',
  "req.headers.authorization",
  "req.headers.cookie",
];

export function createLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      level: process.env.ROLEGATE_LOG_LEVEL || "info",
      base: { service: "rolegate" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      // The active request's id, route and actor on every line logged while serving it.
      mixin: () => {
        const ctx = requestContext();
        return ctx ? { requestId: ctx.requestId, route: ctx.route, method: ctx.method, ...(ctx.actor ? { actor: ctx.actor } : {}) } : {};
      },
    },
    destination,
  );
}

const KEY = Symbol.for("rolegate.log");
type Holder = { [KEY]?: { logger?: Logger; als: AsyncLocalStorage<RequestContext> } };
function shared() {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= { als: new AsyncLocalStorage<RequestContext>() });
}

/** The process's logger (JSON on stdout). */
export function log(): Logger {
  const s = shared();
  return (s.logger ??= createLogger());
}

export function requestContext(): RequestContext | undefined {
  return shared().als.getStore();
}

/** Runs `fn` with `ctx` as the current request (every log line inside carries it). */
export function withRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return shared().als.run(ctx, fn);
}

/** Names the signed-in user on the current request's log lines. */
export function setRequestActor(actor: string): void {
  const ctx = requestContext();
  if (ctx) ctx.actor = actor;
}

/** The route part of a URL for logs and metric labels: the path only (a query string can carry a code or token). */
export function routeOf(url: string | undefined): string {
  const pathname = (url ?? "/").split("?")[0]!.split("#")[0]!;
  return pathname || "/";
}
