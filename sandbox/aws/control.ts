// Sandbox control endpoints on the AWS port (no SigV4): health, call log,
// fault settings, reset. Answers JSON; never AWS-shaped.
import type { ServerResponse } from "node:http";
import type { SandboxContext } from "../context";
import { parseFaultSettings } from "./fault-schema";
import { parseEventFaults } from "./cloudtrail";

export interface ControlOptions {
  /** Restores the seeded world. */
  reset: () => void;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A PUT of settings: JSON, validated by `parse` (400 with its message), then applied; answers what `apply` returns. */
function configure<T>(res: ServerResponse, body: string, parse: (json: unknown) => { ok: true; value: T } | { ok: false; error: string }, apply: (value: T) => unknown): void {
  let json: unknown;
  try {
    json = JSON.parse(body || "{}");
  } catch {
    return send(res, 400, { error: "body is not JSON" });
  }
  const parsed = parse(json);
  if (!parsed.ok) return send(res, 400, { error: parsed.error });
  return send(res, 200, apply(parsed.value));
}

export function handleControl(
  ctx: SandboxContext,
  opts: ControlOptions,
  method: string,
  url: URL,
  body: string,
  res: ServerResponse,
): void {
  const route = `${method} ${url.pathname.replace(/\/$/, "")}`;
  switch (route) {
    case "GET /_sandbox/health":
      return send(res, 200, {
        status: "ok",
        accounts: Object.values(ctx.world.accounts).map((a) => ({
          accountId: a.accountId,
          alias: a.alias,
          roles: Object.keys(a.roles).length,
          clusters: Object.values(a.regions).reduce((n, r) => n + Object.keys(r.clusters).length, 0),
        })),
        lastCallSeq: ctx.calls.lastSeq,
      });
    case "GET /_sandbox/calls": {
      const sinceRaw = url.searchParams.get("sinceSeq");
      const sinceSeq = sinceRaw === null || sinceRaw === "" ? undefined : Number(sinceRaw);
      if (sinceSeq !== undefined && !Number.isFinite(sinceSeq)) return send(res, 400, { error: "sinceSeq must be a number" });
      return send(
        res,
        200,
        ctx.calls.list({
          service: url.searchParams.get("service") || undefined,
          operation: url.searchParams.get("operation") || undefined,
          sinceSeq,
        }),
      );
    }
    case "GET /_sandbox/calls/counts":
      return send(res, 200, ctx.calls.countsByAnswer());
    case "DELETE /_sandbox/calls":
      ctx.calls.clear();
      return send(res, 200, { cleared: true });
    case "GET /_sandbox/faults":
      return send(res, 200, ctx.faults.current());
    case "PUT /_sandbox/faults":
      return configure(res, body, parseFaultSettings, (v) => {
        ctx.faults.configure(v);
        return ctx.faults.current();
      });
    // CloudTrail events (aws/cloudtrail.ts): the queue's URL, counts, the latest events; faults for the next ones.
    case "GET /_sandbox/events":
      if (!ctx.cloudTrail) return send(res, 404, { error: "this sandbox emits no events" });
      return send(res, 200, { ...ctx.cloudTrail.status(), events: ctx.cloudTrail.list() });
    case "PUT /_sandbox/events": {
      const feed = ctx.cloudTrail;
      if (!feed) return send(res, 404, { error: "this sandbox emits no events" });
      return configure(res, body, parseEventFaults, (v) => {
        feed.configure(v);
        return feed.status();
      });
    }
    case "POST /_sandbox/reset":
      opts.reset();
      return send(res, 200, { reset: true });
    case "GET /_sandbox/world":
      return send(res, 200, ctx.world);
    default:
      return send(res, 404, { error: `unknown sandbox endpoint ${route}` });
  }
}
