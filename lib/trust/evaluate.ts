import { RequestContext, evaluateClause } from "./conditions";
import { matchStatementPrincipal } from "./principal";
import { matchWildcard } from "./wildcard";
import type {
  ActionDecision,
  PolicyStatement,
  StatementResult,
  TrustPolicy,
  TrustRequest,
  TrustResult,
} from "./types";

/** Action / NotAction check: case-insensitive, `*` and `?` wildcards. */
export function actionCovered(st: PolicyStatement, action: string): boolean {
  const hit = st.actions.some((a) => matchWildcard(a, action, { ignoreCase: true }));
  return st.actionNegated ? !hit : hit;
}

interface ConditionCheck {
  ok: boolean;
  why: string;
}

function checkConditions(st: PolicyStatement, ctx: RequestContext, unknownKeys: readonly string[] = []): ConditionCheck {
  for (const clause of st.conditions) {
    const r = evaluateClause(clause, ctx);
    if (!r.ok) {
      const unknown = r.missing && unknownKeys.some((k) => k.toLowerCase() === clause.key.toLowerCase());
      return { ok: false, why: `condition failed: ${r.why}${unknown ? " (its value is unknown for this request)" : ""}` };
    }
  }
  return { ok: true, why: st.conditions.length ? "all conditions hold" : "no conditions" };
}

interface Evaluated {
  result: StatementResult;
  /** Which stage failed, for choosing the most helpful reason. */
  stage: "principal" | "action" | "condition" | "applies";
}

function sidLabel(st: { index: number; sid?: string }): string {
  return st.sid ? `statement ${st.index} (Sid "${st.sid}")` : `statement ${st.index}`;
}

function evaluateStatement(st: PolicyStatement, req: TrustRequest, ctx: RequestContext): Evaluated {
  const base = { index: st.index, effect: st.effect, ...(st.sid !== undefined ? { sid: st.sid } : {}) };
  const principal = matchStatementPrincipal(st, req.principal);
  if (!principal.ok) return { stage: "principal", result: { ...base, matched: false, actions: [], why: principal.why } };
  const covered = req.actions.filter((a) => actionCovered(st, a));
  if (covered.length === 0) {
    const kw = st.actionNegated ? "NotAction" : "Action";
    return { stage: "action", result: { ...base, matched: false, actions: [], why: `${kw} does not cover ${req.actions.join(" or ")}` } };
  }
  const cond = checkConditions(st, ctx, req.unknownKeys);
  if (!cond.ok) return { stage: "condition", result: { ...base, matched: false, actions: [], why: cond.why } };
  const verb = st.effect === "Allow" ? "allows" : "explicitly denies";
  const rest = req.actions.filter((a) => !covered.includes(a));
  const why = `${verb} ${covered.join(" and ")}${rest.length ? `; does not cover ${rest.join(" or ")}` : ""} (${cond.why})`;
  return { stage: "applies", result: { ...base, matched: true, actions: covered, why } };
}

function decide(action: string, evals: Evaluated[]): ActionDecision {
  const applying = evals.filter((e) => e.result.actions.includes(action));
  const denies = applying.filter((e) => e.result.effect === "Deny").map((e) => e.result.index);
  if (denies.length) return { action, decision: "explicit-deny", statements: denies };
  const allows = applying.filter((e) => e.result.effect === "Allow").map((e) => e.result.index);
  return { action, decision: allows.length ? "allowed" : "implicit-deny", statements: allows };
}

/** The Allow statement that got furthest for this action, to explain an implicit deny. */
function closest(action: string, evals: Evaluated[], req: TrustRequest): Evaluated | undefined {
  const rank = { applies: 3, condition: 2, action: 1, principal: 0 } as const;
  const candidates = evals.filter((e) => e.result.effect === "Allow" && !e.result.actions.includes(action));
  const useful = candidates.filter((e) => e.stage !== "action" || req.actions.length === 1);
  return useful.sort((a, b) => rank[b.stage] - rank[a.stage])[0];
}

function explain(decisions: ActionDecision[], evals: Evaluated[], req: TrustRequest, policy: TrustPolicy): string {
  const by = (d: ActionDecision) =>
    `${d.action} by ${d.statements.map((i) => sidLabel(policy.statements[i] ?? { index: i })).join(" and ")}`;
  const allowed = decisions.filter((d) => d.decision === "allowed");
  if (allowed.length === decisions.length) {
    return `Allowed: ${req.subject} may assume the role (${allowed.map(by).join("; ")}).`;
  }
  const deny = decisions.find((d) => d.decision === "explicit-deny");
  if (deny) {
    return `Denied: ${deny.statements.map((i) => sidLabel(policy.statements[i] ?? { index: i })).join(" and ")} explicitly denies ${deny.action} for ${req.subject}.`;
  }
  const missing = decisions.find((d) => d.decision === "implicit-deny") as ActionDecision;
  const partial = allowed.length ? `${allowed.map(by).join("; ")} is allowed, but ` : "";
  const tagHint =
    missing.action === "sts:TagSession" ? " (needed because session tags are enabled; disable them with --no-session-tags if the association does)" : "";
  const near = closest(missing.action, evals, req);
  const nearText = near ? `; closest: ${sidLabel(near.result)} ${near.result.why}` : "";
  return `Not allowed: ${partial}no statement allows ${missing.action} for ${req.subject}${tagHint}${nearText}.`;
}

/**
 * IAM evaluation for one role trust policy: for each required action, an
 * explicit Deny wins, else any matching Allow, else implicit deny. The request
 * succeeds only if every action is allowed (statements may differ per action).
 */
export function evaluateTrust(policy: TrustPolicy, req: TrustRequest): TrustResult {
  const ctx = new RequestContext(req.context);
  const evals = policy.statements.map((st) => evaluateStatement(st, req, ctx));
  const decisions = req.actions.map((a) => decide(a, evals));
  return {
    allowed: decisions.every((d) => d.decision === "allowed"),
    mechanism: req.mechanism,
    reason: explain(decisions, evals, req, policy),
    statements: evals.map((e) => e.result),
    actions: decisions,
  };
}
