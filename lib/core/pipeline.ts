import "server-only";
// The one pipeline every server action, /api/v1 route and SCIM call runs:
// authenticate -> validate (zod) -> authorize (permission map) -> handler ->
// audit row -> result. Operations whose audit the pipeline writes run their
// handler inside the pipeline's transaction and the row is written in that same
// transaction; operations whose domain service audits richer rows itself do so
// inside their own transaction (see AuditSpec in ./operation).
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { currentUser } from "@/lib/auth/authenticate";
import { refusal } from "@/lib/auth/permissions";
import { refreshSession, type SessionUser } from "@/lib/auth/sessions";
import { getPrisma } from "@/lib/db";
import { DomainError, type ActionResult } from "./errors";
import { nulCharacterPath } from "./nul-text";
import type { Caller, Operation, OperationContext, PipelineAudit, Principal } from "./operation";

/** Long enough for handlers that call AWS inside the pipeline's transaction (e.g. re-running prechecks). */
const TRANSACTION_TIMEOUT_MS = 60_000;

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const issue of issues) {
      // A union none of whose shapes fit: the closest one (fewest issues) names the fields, not "Invalid input".
      if (issue.code === "invalid_union" && issue.errors.length > 0) {
        add(issue.errors.reduce((a, b) => (b.length < a.length ? b : a)), [...prefix, ...issue.path]);
        continue;
      }
      const key = [...prefix, ...issue.path].map(String).join(".") || "_";
      (out[key] ??= []).push(issue.message);
    }
  };
  add(error.issues, []);
  return out;
}

export interface PipelineCall {
  /**
   * Who is calling; defaults to the session cookie or Authorization header of the current request.
   * May throw a DomainError("unauthenticated") that says what credential the caller must send.
   */
  authenticate?: () => Promise<Principal | null>;
  /**
   * The raw input, read once the caller is authenticated (instead of `raw`): for a protocol whose
   * answer to an unauthenticated caller must not depend on its body (SCIM: 401 before 400 or 413).
   */
  readInput?: () => Promise<unknown>;
}

export async function runPipeline<S extends z.ZodType, T>(op: Operation<S, T, Caller>, given: unknown, call: PipelineCall = {}): Promise<ActionResult<T>> {
  const requestId = randomUUID();
  try {
    const principal = await (call.authenticate ?? currentUser)();
    // The SCIM client calls SCIM operations only, and nothing else calls them.
    if (op.access === "scim" ? principal?.kind !== "scim" : principal?.kind === "scim") {
      throw new DomainError("unauthenticated", op.access === "scim" ? "This operation is the IdP's SCIM client's: send the SCIM secret." : "The SCIM secret is accepted by /scim/v2 only.");
    }
    const user: SessionUser | null = principal?.kind === "scim" ? null : principal;
    if (!principal && op.access !== "public") throw new DomainError("unauthenticated", "Sign in first: your session is missing or has expired.");
    const raw = call.readInput ? await call.readInput() : given;
    const nul = nulCharacterPath(raw);
    if (nul) throw new DomainError("invalid", `Invalid input: ${nul}: must not contain the NUL character (\\u0000)`, { [nul]: ["must not contain the NUL character (\\u0000)"] });
    const parsed = op.input.safeParse(raw);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      throw new DomainError("invalid", `Invalid input: ${Object.entries(fields).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ")}`, fields);
    }
    if (user && op.access !== "public" && op.access !== "signed-in" && op.access !== "scim") {
      // The role's permission, and people-only permissions (reviews) refused to service tokens.
      const refused = refusal(user, op.access);
      if (refused) throw new DomainError("forbidden", refused);
    }
    const prisma = await getPrisma();
    // Any mutation keeps its browser session alive (sliding idle expiry); reads never write.
    if (op.audit !== "read-only" && user?.session) await refreshSession(prisma, user.session.id);
    const ctx: OperationContext<z.infer<S>> = { user, input: parsed.data, prisma, tx: null, requestId };
    const audit = op.audit;
    if (typeof audit === "object" && "event" in audit) {
      const data = await prisma.$transaction(async (tx) => {
        const result = await op.handler({ ...ctx, tx });
        await writeAudit(tx, audit, principal?.login ?? "anonymous", parsed.data, result, requestId);
        return result;
      }, { timeout: TRANSACTION_TIMEOUT_MS });
      return { ok: true, data };
    }
    return { ok: true, data: await op.handler(ctx) };
  } catch (e) {
    if (e instanceof DomainError) return { ok: false, error: { code: e.code, message: e.message, fields: e.fields, ...(e.reason ? { reason: e.reason } : {}) } };
    console.error(JSON.stringify({ level: "error", requestId, action: op.name, error: (e as Error).message, stack: (e as Error).stack }));
    return { ok: false, error: { code: "internal", message: `Something went wrong on our side (request ${requestId}). Try again; if it persists, give this id to your RoleGate admin.` } };
  }
}

async function writeAudit<I, T>(tx: Parameters<typeof recordAudit>[0], audit: PipelineAudit<I, T>, actor: string, input: I, result: T, requestId: string) {
  await recordAudit(tx, {
    actor,
    event: audit.event,
    subject: audit.subject?.(input, result) ?? null,
    details: audit.details?.(input, result) ?? { requestId },
  });
  for (const row of audit.followUps?.(input, result) ?? []) await recordAudit(tx, { actor, ...row });
}
