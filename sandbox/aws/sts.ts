// STS over awsQuery (Version 2011-06-15): GetCallerIdentity and AssumeRole.
//
// AssumeRole evaluates the role's trust policy loosely: only statements with an
// AWS principal count ("*", the caller's account id, arn:aws:iam::<acct>:root,
// the caller's ARN, or the role ARN behind an assumed-role session), with an
// action matching sts:AssumeRole (wildcards allowed). Conditions are ignored.
// An explicit Deny that matches wins. A missing role is AccessDenied, as in AWS.
import type { SandboxContext } from "../context";
import type { SandboxRole } from "../model";
import type { Accounts, Caller } from "./accounts";
import { AwsError } from "./errors";
import { intParam, parseQueryParams, queryError, queryResult, required, type Params, type XmlValue } from "./query-protocol";
import type { AwsRequest, AwsResponse, RoutedCall } from "./wire";

const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * IAM action wildcard, case-insensitive. Greedy two-pointer with backtrack to
 * the last star, not a RegExp: trust policies are caller-edited data and a
 * `.*` chain built from them backtracks exponentially. O(pattern x value).
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (p[pi] === "*") {
      star = pi++;
      mark = vi;
    } else if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

function principalMatches(principal: unknown, caller: Caller): boolean {
  if (principal === "*") return true;
  if (!principal || typeof principal !== "object") return false;
  const aws = asList((principal as { AWS?: string | string[] }).AWS);
  const names = new Set([caller.accountId, `arn:aws:iam::${caller.accountId}:root`, caller.arn]);
  if (caller.assumedRole) names.add(caller.assumedRole.roleArn);
  return aws.some((p) => p === "*" || names.has(p));
}

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
}

function trustAllows(role: SandboxRole, caller: Caller): boolean {
  let statements: Statement[];
  try {
    statements = asList((JSON.parse(role.assumeRolePolicyDocument) as { Statement?: Statement | Statement[] }).Statement);
  } catch {
    return false;
  }
  const matching = statements.filter(
    (s) => principalMatches(s.Principal, caller) && asList(s.Action).some((a) => wildcardMatch(a, "sts:AssumeRole")),
  );
  if (matching.some((s) => s.Effect === "Deny")) return false;
  return matching.some((s) => s.Effect === "Allow");
}

function parseRoleArn(arn: string): { accountId: string; roleName: string } | null {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:[^\s]*\/)?([\w+=,.@-]+)$/.exec(arn);
  return m ? { accountId: m[1]!, roleName: m[2]! } : null;
}

function assumeRole(ctx: SandboxContext, accounts: Accounts, caller: Caller, params: Params, region: string): Record<string, XmlValue> {
  const roleArn = required(params, "RoleArn");
  const sessionName = required(params, "RoleSessionName");
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      400,
    );
  }
  const parsed = parseRoleArn(roleArn);
  if (!parsed) throw new AwsError("ValidationError", `${roleArn} is invalid`, 400);
  const role = ctx.world.accounts[parsed.accountId]?.roles[parsed.roleName];
  const denied = new AwsError(
    "AccessDenied",
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
  if (!role || role.arn !== roleArn || !trustAllows(role, caller)) throw denied;
  const duration = intParam(params, "DurationSeconds", 900, 43200) ?? 3600;
  if (duration > role.maxSessionDuration) {
    throw new AwsError(
      "ValidationError",
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      400,
    );
  }
  // As IAM does, a successful assumption moves the role's RoleLastUsed (GetRole
  // reports it), with the region of the STS endpoint that was called.
  role.lastUsed = { date: ctx.now().toISOString(), region };
  const { credentials, caller: session } = accounts.issue(
    { accountId: parsed.accountId, roleArn: role.arn, roleName: role.roleName, roleId: role.roleId },
    sessionName,
    duration,
  );
  return {
    Credentials: { ...credentials },
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
    SourceIdentity: params.SourceIdentity || undefined,
  };
}

export function routeSts(ctx: SandboxContext, accounts: Accounts, caller: Caller, req: AwsRequest): RoutedCall {
  const params = parseQueryParams(req.query, req.body, String(req.headers["content-type"] ?? ""));
  const action = params.Action ?? "";
  switch (action) {
    case "GetCallerIdentity":
      return {
        operation: action,
        execute: () =>
          queryResult(action, STS_XMLNS, req.requestId, { Arn: caller.arn, UserId: caller.userId, Account: caller.accountId }),
      };
    case "AssumeRole":
      return {
        operation: action,
        execute: () => queryResult(action, STS_XMLNS, req.requestId, assumeRole(ctx, accounts, caller, params, req.region)),
      };
    default:
      throw new AwsError("InvalidAction", `Could not find operation ${action} for version ${params.Version ?? "NO_VERSION_SPECIFIED"}`, 400);
  }
}

export function stsError(err: AwsError, requestId: string): AwsResponse {
  return queryError(err, STS_XMLNS, requestId);
}
