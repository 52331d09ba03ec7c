// Label and field selectors in the API server's syntax. Field selectors only
// accept the fields the real server indexes for each kind, so a client that
// works here also works against EKS.
import { badRequest } from "./status";

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits on commas that are not inside "in (a,b)" sets. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p.length > 0);
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  return key;
}
function checkValue(value: string, raw: string): string {
  if (!VALUE.test(value)) throw badRequest(`unable to parse requirement: invalid label value "${value}" in "${raw}"`);
  return value;
}

function parseLabelRequirement(raw: string): Requirement {
  let m = raw.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/);
  if (m) {
    const key = checkKey(m[1]!, raw);
    const values = new Set(m[3]!.split(",").map((v) => checkValue(v.trim(), raw)));
    return m[2] === "in" ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!);
  }
  m = raw.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/);
  if (m) {
    const key = checkKey(m[1]!, raw);
    const value = checkValue(m[3]!, raw);
    return m[2] === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = raw.match(/^!\s*(\S+)$/);
  if (m) {
    const key = checkKey(m[1]!, raw);
    return (l) => !(key in l);
  }
  const key = checkKey(raw, raw);
  return (l) => key in l;
}

export function parseLabelSelector(selector: string | null): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const reqs = splitTopLevel(selector).map(parseLabelRequirement);
  return (labels) => reqs.every((r) => r(labels));
}

export function parseFieldSelector(
  selector: string | null,
  supported: readonly string[],
): (fields: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const reqs = splitTopLevel(selector).map((raw) => {
    const m = raw.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${raw}'`);
    const field = m[1]!.trim();
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    const value = m[3]!.trim();
    return m[2] === "!=" ? (f: Record<string, string>) => f[field] !== value : (f: Record<string, string>) => f[field] === value;
  });
  return (fields) => reqs.every((r) => r(fields));
}
