import { z } from "zod";
import { parseOperator } from "./conditions";
import {
  TrustPolicyError,
  type ConditionClause,
  type PolicyStatement,
  type PrincipalSpec,
  type TrustPolicy,
} from "./types";

const oneOrMany = <T extends z.ZodType>(item: T, what: string) =>
  z.union([item, z.array(item).min(1, `${what} list must not be empty`)], {
    error: `${what} must be a string or a list of strings`,
  });

const Str = z.string({ error: "must be a string" });
const ConditionValue = z.union([z.string(), z.number(), z.boolean()], {
  error: "condition values must be strings, numbers or booleans",
});

const PrincipalMap = z
  .strictObject(
    {
      AWS: oneOrMany(Str, "AWS principal").optional(),
      Service: oneOrMany(Str, "Service principal").optional(),
      Federated: oneOrMany(Str, "Federated principal").optional(),
      CanonicalUser: oneOrMany(Str, "CanonicalUser principal").optional(),
    },
    { error: (iss) => (iss.code === "unrecognized_keys" ? `unknown principal type ${iss.keys.map((k) => `"${k}"`).join(", ")}` : "Principal must be \"*\" or an object") },
  )
  .refine((m) => Object.values(m).some((v) => v !== undefined), "Principal object is empty");

const PrincipalRaw = z.union([z.literal("*"), PrincipalMap], {
  error: 'Principal must be "*" or an object like {"Federated": ...}',
});

const ConditionBlock = z.record(
  z.string(),
  z.record(z.string(), z.union([ConditionValue, z.array(ConditionValue)], { error: "condition values must be a value or a list of values" }), {
    error: "each condition operator must map keys to values",
  }),
  { error: "Condition must be an object" },
);

const StatementRaw = z.strictObject(
  {
    Sid: z.string({ error: "Sid must be a string" }).optional(),
    Effect: z.enum(["Allow", "Deny"], { error: 'Effect must be "Allow" or "Deny"' }),
    Principal: PrincipalRaw.optional(),
    NotPrincipal: PrincipalRaw.optional(),
    Action: oneOrMany(Str, "Action").optional(),
    NotAction: oneOrMany(Str, "NotAction").optional(),
    Resource: oneOrMany(Str, "Resource").optional(),
    NotResource: oneOrMany(Str, "NotResource").optional(),
    Condition: ConditionBlock.optional(),
  },
  // A misspelt key such as "Condtion" would otherwise drop a restriction silently.
  { error: (iss) => (iss.code === "unrecognized_keys" ? `unknown statement element ${iss.keys.map((k) => `"${k}"`).join(", ")}` : "statement must be an object") },
);

const PolicyRaw = z.object(
  {
    Version: z.string({ error: "Version must be a string" }).optional(),
    Id: z.string({ error: "Id must be a string" }).optional(),
    Statement: z.union([StatementRaw, z.array(StatementRaw).min(1, "Statement list is empty")], {
      error: "Statement must be an object or a list of objects",
    }),
  },
  { error: "policy must be a JSON object" },
);

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
  // Unions report the least specific message; dig out the branch that went furthest.
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const inner = issue.errors.flat().sort((a, b) => b.path.length - a.path.length)[0];
    if (inner && inner.path.length > 0) return formatIssue({ ...inner, path: [...issue.path, ...inner.path] });
  }
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * IAM's GetRole/ListRoles return the document percent-encoded. Detect that
 * (the text does not start with "{" but contains %-escapes) and decode it.
 * IAM encodes "+" as %2B, so a literal "+" is only read as a space if the
 * document does not parse otherwise (form-encoded input).
 */
export function decodePolicyText(text: string): string {
  const t = text.replace(/^\uFEFF/, "").trim();
  if (t.startsWith("{") || !/%[0-9a-f]{2}/i.test(t)) return t;
  let decoded: string;
  try {
    decoded = decodeURIComponent(t);
  } catch {
    throw new TrustPolicyError("trust policy looks URL-encoded but has invalid %-escapes");
  }
  if (decoded.includes("+")) {
    try {
      JSON.parse(decoded);
    } catch {
      try {
        return decodeURIComponent(t.replace(/\+/g, "%20")).trim();
      } catch {
        /* fall through to the plain decoding */
      }
    }
  }
  return decoded.trim();
}

function toClauses(block: Record<string, Record<string, unknown>> | undefined, where: string): ConditionClause[] {
  const out: ConditionClause[] = [];
  for (const [opName, keys] of Object.entries(block ?? {})) {
    let operator;
    try {
      operator = parseOperator(opName);
    } catch (e) {
      throw new TrustPolicyError(`${where}: ${(e as Error).message}`);
    }
    for (const [key, raw] of Object.entries(keys)) {
      const values = list(raw as string | number | boolean | (string | number | boolean)[]).map(String);
      if (values.length === 0) throw new TrustPolicyError(`${where}: ${opName} ${key} has no values`);
      out.push({ operator, key, values });
    }
  }
  return out;
}

function toPrincipal(raw: z.infer<typeof PrincipalRaw>): PrincipalSpec {
  if (raw === "*") return { kind: "any" };
  return {
    kind: "map",
    aws: list(raw.AWS),
    service: list(raw.Service),
    federated: list(raw.Federated),
    canonicalUser: list(raw.CanonicalUser),
  };
}

/** Parses a trust policy from JSON text, URL-encoded JSON text, or an already-parsed object. */
export function parseTrustPolicy(input: string | unknown): TrustPolicy {
  let doc: unknown = input;
  if (typeof input === "string") {
    const text = decodePolicyText(input);
    if (text === "") throw new TrustPolicyError("trust policy is empty");
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new TrustPolicyError(`trust policy is not valid JSON (${(e as Error).message})`);
    }
  }
  if (doc !== null && typeof doc === "object" && !Array.isArray(doc) && !("Statement" in doc)) {
    throw new TrustPolicyError("invalid trust policy: no Statement element");
  }
  const parsed = PolicyRaw.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new TrustPolicyError(first ? `invalid trust policy: ${formatIssue(first)}` : "invalid trust policy");
  }
  const statements: PolicyStatement[] = list(parsed.data.Statement).map((s, index) => {
    const where = `Statement[${index}]`;
    if ((s.Principal === undefined) === (s.NotPrincipal === undefined)) {
      throw new TrustPolicyError(`invalid trust policy: ${where} needs exactly one of Principal or NotPrincipal`);
    }
    if ((s.Action === undefined) === (s.NotAction === undefined)) {
      throw new TrustPolicyError(`invalid trust policy: ${where} needs exactly one of Action or NotAction`);
    }
    const st: PolicyStatement = {
      index,
      effect: s.Effect,
      principal: toPrincipal((s.Principal ?? s.NotPrincipal)!),
      principalNegated: s.Principal === undefined,
      actions: list(s.Action ?? s.NotAction),
      actionNegated: s.Action === undefined,
      resources: list(s.Resource),
      conditions: toClauses(s.Condition, `invalid trust policy: ${where}.Condition`),
    };
    if (s.Sid !== undefined) st.sid = s.Sid;
    return st;
  });
  const policy: TrustPolicy = { statements };
  if (parsed.data.Version !== undefined) policy.version = parsed.data.Version;
  if (parsed.data.Id !== undefined) policy.id = parsed.data.Id;
  return policy;
}

export type ParseResult = { ok: true; policy: TrustPolicy } | { ok: false; error: string };

export function safeParseTrustPolicy(input: string | unknown): ParseResult {
  try {
    return { ok: true, policy: parseTrustPolicy(input) };
  } catch (e) {
    if (e instanceof TrustPolicyError) return { ok: false, error: e.message };
    throw e;
  }
}
