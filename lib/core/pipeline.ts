import "server-only";
// The one mutation pipeline for server actions and API routes:
// authenticate -> validate (zod) -> authorize (permission map) -> handler.
// Handlers do their change and its audit row in one transaction.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db";
import { currentUser } from "@/lib/auth/authenticate";
import { refusal, type Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/sessions";
import { DomainError, type ActionResult } from "./errors";

export interface ActionContext<I> {
  user: SessionUser;
  input: I;
  prisma: PrismaClient;
  requestId: string;
}

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export async function runPipeline<S extends z.ZodType, T>(
  spec: { name: string; permission: Permission; input: S; handler: (ctx: ActionContext<z.infer<S>>) => Promise<T> },
  raw: unknown,
  authenticate: () => Promise<SessionUser | null> = currentUser,
): Promise<ActionResult<T>> {
  const requestId = randomUUID();
  try {
    const user = await authenticate();
    if (!user) throw new DomainError("unauthenticated", "Sign in first: your session is missing or has expired.");
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      throw new DomainError("invalid", `Invalid input: ${Object.entries(fields).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ")}`, fields);
    }
    const refused = refusal(user, spec.permission);
    if (refused) throw new DomainError("forbidden", refused);
    const data = await spec.handler({ user, input: parsed.data, prisma: await getPrisma(), requestId });
    return { ok: true, data };
  } catch (e) {
    if (e instanceof DomainError) return { ok: false, error: { code: e.code, message: e.message, fields: e.fields } };
    console.error(JSON.stringify({ level: "error", requestId, action: spec.name, error: (e as Error).message, stack: (e as Error).stack }));
    return { ok: false, error: { code: "internal", message: `Something went wrong on our side (request ${requestId}). Try again; if it persists, give this id to your RoleGate admin.` } };
  }
}

/** A server action: the exported function runs the whole pipeline on every call. */
export function defineAction<S extends z.ZodType, T>(spec: {
  name: string;
  permission: Permission;
  input: S;
  handler: (ctx: ActionContext<z.infer<S>>) => Promise<T>;
}): (input: z.input<S>) => Promise<ActionResult<T>> {
  return (input) => runPipeline(spec, input);
}
