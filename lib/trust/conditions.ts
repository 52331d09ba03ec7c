import { arnMatches } from "./arn";
import { matchWildcard, unescapePolicyValue } from "./wildcard";
import {
  TrustPolicyError,
  type BaseOperator,
  type ConditionClause,
  type ConditionOperator,
  type ContextInput,
} from "./types";

const BASES: readonly BaseOperator[] = [
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
  "StringLike", "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
  "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals",
  "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "Null",
];
const BY_LOWER = new Map(BASES.map((b) => [b.toLowerCase(), b]));

/**
 * Negated operators are evaluated as NOT(positive counterpart), which gives
 * IAM's documented results: several policy values combine as NOR, and a key
 * missing from the request makes the condition true.
 */
const NEGATED: Partial<Record<BaseOperator, BaseOperator>> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
  NumericNotEquals: "NumericEquals",
  DateNotEquals: "DateEquals",
  NotIpAddress: "IpAddress",
};

function isNegated(base: BaseOperator): boolean {
  return NEGATED[base] !== undefined;
}

/** Parses e.g. "ForAnyValue:StringLikeIfExists". Throws TrustPolicyError naming unknown operators. */
export function parseOperator(raw: string): ConditionOperator {
  let rest = raw.trim();
  let set: ConditionOperator["set"] = null;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === "foranyvalue") set = "ForAnyValue";
    else if (prefix === "forallvalues") set = "ForAllValues";
    else throw new TrustPolicyError(`unknown condition operator "${raw}"`);
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (/ifexists$/i.test(rest)) {
    ifExists = true;
    rest = rest.slice(0, -"IfExists".length);
  }
  const base = BY_LOWER.get(rest.toLowerCase());
  // "NullIfExists" is meaningless (Null already tests existence) and IAM rejects it.
  if (!base || (base === "Null" && (ifExists || set))) {
    throw new TrustPolicyError(`unknown condition operator "${raw}"`);
  }
  return { raw, base, set, ifExists };
}

/** Context with case-insensitive keys; empty lists count as absent. */
export class RequestContext {
  private readonly map = new Map<string, string[]>();
  constructor(input: ContextInput) {
    for (const [k, v] of Object.entries(input)) {
      const values = Array.isArray(v) ? v : [v];
      if (values.length > 0) this.map.set(k.toLowerCase(), values);
    }
  }
  get(key: string): string[] | undefined {
    return this.map.get(key.toLowerCase());
  }
}

function toNumber(s: string): number | null {
  if (s.trim() === "") return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function toDate(s: string): number | null {
  // Epoch seconds are accepted alongside ISO 8601, as in IAM.
  if (/^\d+$/.test(s.trim())) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** IPv4 CIDR containment; IPv6 is only compared literally (no RoleGate request carries an IP). */
function ipMatches(cidr: string, value: string): boolean {
  const [net, bitsText] = cidr.split("/");
  const a = ipv4(net ?? "");
  const b = ipv4(value);
  if (a === null || b === null) return cidr.toLowerCase() === value.toLowerCase();
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

function compare(op: BaseOperator, policy: string, value: string): boolean {
  switch (op) {
    case "StringEquals":
      return unescapePolicyValue(policy) === value;
    case "StringEqualsIgnoreCase":
      return unescapePolicyValue(policy).toLowerCase() === value.toLowerCase();
    case "StringLike":
      return matchWildcard(policy, value, { policyEscapes: true });
    case "ArnEquals":
    case "ArnLike":
      return arnMatches(policy, value);
    case "Bool":
      return policy.toLowerCase() === value.toLowerCase();
    case "BinaryEquals":
      return policy === value;
    case "IpAddress":
      return ipMatches(policy, value);
    default:
      break;
  }
  const numeric = op.startsWith("Numeric");
  const p = numeric ? toNumber(policy) : toDate(policy);
  const v = numeric ? toNumber(value) : toDate(value);
  if (p === null || v === null) return false;
  const rel = op.replace(/^(Numeric|Date)/, "");
  if (rel === "Equals") return v === p;
  if (rel === "LessThan") return v < p;
  if (rel === "LessThanEquals") return v <= p;
  if (rel === "GreaterThan") return v > p;
  return v >= p;
}

interface ClauseResult {
  ok: boolean;
  /** Human explanation, mainly useful when ok is false. */
  why: string;
  /** The key was absent from the request. */
  missing: boolean;
}

function show(values: readonly string[]): string {
  return values.length === 1 ? JSON.stringify(values[0]) : `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
}

export function evaluateClause(clause: ConditionClause, ctx: RequestContext): ClauseResult {
  const { operator: op, key, values: policyValues } = clause;
  const present = ctx.get(key);
  const label = `${op.raw} on ${key}`;

  if (op.base === "Null") {
    const wantsAbsent = policyValues.map((v) => v.toLowerCase() === "true");
    const ok = wantsAbsent.some((w) => w === (present === undefined));
    const why = present === undefined ? `${key} is absent` : `${key} is present`;
    return { ok, why: `${label}: ${why}`, missing: present === undefined };
  }

  if (present === undefined) {
    // AWS: missing key -> no match, except ...IfExists (true), negated operators
    // (true), ForAllValues (vacuously true) and ForAnyValue (false).
    let ok: boolean;
    if (op.ifExists) ok = true;
    else if (op.set === "ForAllValues") ok = true;
    else if (op.set === "ForAnyValue") ok = false;
    else ok = isNegated(op.base);
    return { ok, why: `${label}: key not present in the request`, missing: true };
  }

  const positive = NEGATED[op.base] ?? op.base;
  const negated = positive !== op.base;
  const valueMatches = (v: string) => policyValues.some((p) => compare(positive, p, v));
  // Per request value: positive ops need one policy value to match, negated ops need none.
  const perValue = (v: string) => (negated ? !valueMatches(v) : valueMatches(v));

  let ok: boolean;
  if (op.set === "ForAllValues") ok = present.every(perValue);
  else if (op.set === "ForAnyValue") ok = present.some(perValue);
  // Plain operator on a multi-valued key: match if any request value matches, then negate as a whole.
  else ok = negated ? !present.some(valueMatches) : present.some(valueMatches);

  const why = ok
    ? `${label}: ${show(present)} satisfies ${show(policyValues)}`
    : `${label}: request value ${show(present)} does not satisfy ${show(policyValues)}`;
  return { ok, why, missing: false };
}
