import "server-only";
// A run that goes on after its POST has answered (an inventory scan, a mappings
// refresh): POST starts it, or joins the one running, and answers 202 with its id;
// GET <path>/{id} follows it through the row the run keeps up to date.
import { z } from "zod";
import type { AuditEventType } from "@/lib/audit/events";
import type { Permission } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/core/errors";
import { callerOf, defineOperation, type OperationContext } from "@/lib/core/operation";
import type { PrismaClient } from "@/lib/db/generated/client";
import { started } from "./schemas";

type Started<K extends string> = { [P in K]: string | null } & { alreadyRunning: boolean; done: Promise<unknown> };

export function backgroundRun<K extends string, S extends Started<K>>(run: {
  names: { start: string; get: string };
  /** What the run is called in messages and id validation ("scan", "refresh"). */
  noun: string;
  /** The id's field in the 202 answer. */
  idField: K;
  path: `/api/v1/${string}`;
  access: { start: Permission; read: Permission };
  /** The audit event the service writes with the run's row (none when joining a running one). */
  event: AuditEventType;
  summary: { start: string; get: string };
  start: (ctx: OperationContext<object>, login: string) => Promise<S>;
  find: (prisma: PrismaClient, id: string) => Promise<{ id: string; status: string } | null>;
}) {
  const start = defineOperation({
    name: run.names.start,
    access: run.access.start,
    input: z.object({}).strict(),
    handler: async (ctx) => {
      const r = await run.start(ctx, callerOf(ctx).login);
      const id = r[run.idField];
      // The run goes on after the response; its progress is stored on its row.
      r.done.catch((e) => console.error(JSON.stringify({ level: "error", requestId: ctx.requestId, [run.idField]: id, error: (e as Error).message })));
      return { [run.idField]: id, alreadyRunning: r.alreadyRunning } as Pick<S, K | "alreadyRunning">;
    },
    audit: { recordedBy: "handler", events: [run.event] },
    http: { method: "POST", path: run.path, status: 202, summary: run.summary.start, errors: [400, 403], output: started(run.idField) },
  });
  const get = defineOperation({
    name: run.names.get,
    access: run.access.read,
    input: z.object({ id: z.uuid(`must be a ${run.noun} id (UUID)`) }),
    handler: async ({ prisma, input }) => {
      const row = await run.find(prisma, input.id);
      if (!row) throw new DomainError("not_found", `No ${run.noun} ${input.id}.`);
      return row;
    },
    audit: "read-only",
    http: { method: "GET", path: `${run.path}/{id}`, status: 200, summary: run.summary.get, errors: [400, 404], output: z.looseObject({ id: z.string(), status: z.string() }) },
  });
  return { start, get };
}
