// Cross-account chaining: the target role must trust the source role, with the
// association's external id. The id exists only after creation, so before it we
// warn; once the association exists the check passes only when the target's
// trust names that id (lib/cross-account files the update that makes it so).
import type { Precheck } from "./types";

type Statement = { Sid?: string; Effect?: string; Principal?: unknown; Action?: unknown; Condition?: Record<string, Record<string, unknown>> };

const CHAIN_ACTIONS = ["sts:AssumeRole", "sts:TagSession"];

function statementsOf(policy: string): Statement[] | undefined {
  try {
    const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch {
    return undefined;
  }
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function trustsPrincipal(policy: string, principalArn: string, externalId?: string): Statement | undefined {
  const account = principalArn.split(":")[4];
  return statementsOf(policy)?.find((s) => {
    if (s.Effect !== "Allow") return false;
    const principals = list((s.Principal as { AWS?: unknown } | undefined)?.AWS);
    const ok =
      principals.some((p) => p === principalArn || p === `arn:aws:iam::${account}:root` || p === account) &&
      list(s.Action).some((a) => typeof a === "string" && /^sts:(AssumeRole|\*)$|^\*$/i.test(a));
    return ok && (externalId === undefined || list(s.Condition?.StringEquals?.["sts:ExternalId"]).includes(externalId));
  });
}

/** The statement that lets the source role chain into the target with this external id. */
export function chainStatement(sourceRoleArn: string, externalId: string): Statement {
  return { Sid: `AllowRoleGateChain${externalId.replace(/[^A-Za-z0-9]/g, "").slice(0, 16)}`, Effect: "Allow", Principal: { AWS: sourceRoleArn }, Action: CHAIN_ACTIONS, Condition: { StringEquals: { "sts:ExternalId": externalId } } };
}

/** The target role's trust with the chain statement added; null when it already allows the source role with that id. */
export function chainedTrustPolicy(current: string, sourceRoleArn: string, externalId: string): { Version: string; Statement: Statement[] } | null {
  if (trustsPrincipal(current, sourceRoleArn, externalId)) return null;
  const doc = JSON.parse(current) as { Version?: string };
  return { Version: doc.Version ?? "2012-10-17", Statement: [...(statementsOf(current) ?? []), chainStatement(sourceRoleArn, externalId)] };
}

export const targetRolePrecheck: Precheck = {
  id: "target-role-trusts-source",
  run({ item, facts }) {
    if (item.kind === "delete" || !item.targetRoleArn || !item.roleArn) return null;
    if (facts.targetRole === null) return { status: "fail", message: `Target role ${item.targetRoleArn} does not exist.` };
    const a = facts.association;
    const externalId = a && a.roleArn === item.roleArn && a.targetRoleArn === item.targetRoleArn ? a.externalId : undefined;
    const fix = { kind: "trust-policy", json: chainStatement(item.roleArn, externalId ?? "<externalId returned by CreatePodIdentityAssociation>") };
    if (facts.targetRole === undefined) {
      return { status: "warn", message: `Could not read target role ${item.targetRoleArn} (another account): make sure it trusts ${item.roleArn} with the association's external id.`, fix };
    }
    if (externalId) {
      // Warn, not fail: a retry of the association's own apply must not be blocked by the trust it precedes.
      return trustsPrincipal(facts.targetRole.trustPolicy, item.roleArn, externalId)
        ? { status: "pass", message: `Target role ${facts.targetRole.name} trusts ${item.roleArn} with the association's external id ${externalId}.` }
        : { status: "warn", message: `Target role ${facts.targetRole.name} does not yet trust ${item.roleArn} with the association's external id ${externalId}: the chain is refused until the IAM team approves the trust update.`, fix };
    }
    const st = trustsPrincipal(facts.targetRole.trustPolicy, item.roleArn);
    // Not blocking: once the association exists RoleGate files the target's trust update itself (lib/cross-account).
    if (!st) return { status: "warn", message: `Target role ${facts.targetRole.name} does not trust ${item.roleArn} yet: once the association exists, RoleGate files the trust update with its external id for the IAM team's approval.`, fix };
    return {
      status: "warn",
      message: `Target role ${facts.targetRole.name} trusts ${item.roleArn}; its sts:ExternalId condition can only be checked once the association exists (the id is issued at creation).`,
      fix,
    };
  },
};
