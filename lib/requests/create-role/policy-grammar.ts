// IAM's grammar for an identity-based policy (an inline role policy), checked
// before filing so a malformed document is a 400, not a failed apply:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Sizes count characters without whitespace, as IAM counts them.

export const INLINE_ROLE_POLICY_MAX = 10_240;

const TOP = new Set(["Version", "Id", "Statement"]);
const STATEMENT = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const RESOURCE = /^(\*|arn:[^:\s]*:[^:\s]*:[^:\s]*:[^:\s]*:\S.*)$/;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const strings = (v: unknown): string[] | null => (typeof v === "string" ? [v] : Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string") ? v : null);

function statementErrors(s: unknown, at: string): string[] {
  if (!isObject(s)) return [`${at} must be an object`];
  const out: string[] = [];
  if ("Principal" in s || "NotPrincipal" in s) out.push(`${at}: an identity policy names no Principal (it applies to the role it is attached to)`);
  for (const k of Object.keys(s)) if (!STATEMENT.has(k) && k !== "Principal" && k !== "NotPrincipal") out.push(`${at}: unknown element "${k}"`);
  if (s.Sid !== undefined && (typeof s.Sid !== "string" || !/^[A-Za-z0-9]*$/.test(s.Sid))) out.push(`${at}.Sid must be letters and digits only`);
  if (s.Effect !== "Allow" && s.Effect !== "Deny") out.push(`${at}.Effect must be "Allow" or "Deny"`);
  for (const [a, b, pattern, what] of [["Action", "NotAction", ACTION, "an action like s3:GetObject or *"], ["Resource", "NotResource", RESOURCE, "an ARN or *"]] as const) {
    if ((a in s) === (b in s)) {
      out.push(`${at} needs exactly one of ${a} and ${b}`);
      continue;
    }
    const key = a in s ? a : b;
    const list = strings(s[key]);
    if (!list) out.push(`${at}.${key} must be a string or a non-empty list of strings`);
    else for (const v of list) if (!pattern.test(v)) out.push(`${at}.${key} "${v}" is not ${what}`);
  }
  if (s.Condition !== undefined) {
    if (!isObject(s.Condition)) out.push(`${at}.Condition must be an object of operators`);
    else
      for (const [op, block] of Object.entries(s.Condition)) {
        if (!isObject(block)) out.push(`${at}.Condition.${op} must be an object of condition keys`);
        else for (const [key, v] of Object.entries(block)) if (!["string", "boolean", "number"].includes(typeof v) && !strings(v)) out.push(`${at}.Condition.${op}.${key} must be a value or a list of strings`);
      }
  }
  return out;
}

/** What is wrong with `doc` as an inline role policy; empty when IAM would take it. */
export function inlinePolicyErrors(doc: string): string[] {
  const size = doc.replace(/\s/g, "").length;
  if (size > INLINE_ROLE_POLICY_MAX) return [`is ${size} characters without whitespace; IAM allows at most ${INLINE_ROLE_POLICY_MAX} for a role's inline policies`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch (e) {
    return [`is not JSON (${(e as Error).message})`];
  }
  if (!isObject(parsed)) return ["must be a JSON object with a Statement"];
  const out = Object.keys(parsed).filter((k) => !TOP.has(k)).map((k) => `unknown top-level element "${k}"`);
  if (parsed.Version !== undefined && !VERSIONS.has(parsed.Version as string)) out.push(`Version must be "2012-10-17" (or the legacy "2008-10-17")`);
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement === undefined ? [] : [parsed.Statement];
  if (statements.length === 0) out.push("needs a Statement");
  statements.forEach((s, i) => out.push(...statementErrors(s, `Statement[${i}]`)));
  return out;
}
