// JSON logs (pino) with the request's id, route and actor. One logger and one
// request context per process, kept on globalThis: the start-up script and the
// Next.js bundle are separate module copies that must share them.
//
// Secrets never reach a log line: keys that name one are redacted at any depth,
// bearer tokens and URL passwords are scrubbed from strings, and request lines
// carry the path without its query string.
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";

export interface RequestContext {
  requestId: string;
  route: string;
  method: string;
  actor?: string;
}

/** Keys whose values never reach a log line, at any depth. */
export const SECRET_KEY = /authorization|cookie|password|passwd|secret|token|credential|api[-_]?key|databaseurl|database_url|private[-_]?key/i;

/** Scrubs secrets out of strings too: bearer tokens and passwords in URLs (an error message can carry DATABASE_URL). */
export function scrubString(value: string): string {
  return value.replace(/(Bearer\s+)[^\s"']+/gi, "$1[redacted]").replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, "$1[redacted]@");
}

/** A copy of a log object with secret-named keys replaced by "[redacted]" and strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (value instanceof Error) return { type: value.name, message: scrubString(value.message), stack: value.stack ? scrubString(value.stack) : undefined };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? "[redacted]" : redact(v, depth + 1);
  return out;
}

export function createLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      level: process.env.ROLEGATE_LOG_LEVEL || "info",
      base: { service: "rolegate" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (object) => redact(object) as Record<string, unknown> },
      hooks: {
        // The message string too (e.g. an error message quoting a URL with a password).
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrubString(a) : a)) as Parameters<typeof method>);
        },
      },
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
