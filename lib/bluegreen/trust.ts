// IRSA trust edits for a Blue/Green move (pure):
// - repoint: for every statement that trusts the Blue issuer, a copy for the
//   Green issuer with the same subjects (condition keys renamed from the Blue
//   host to the Green host), unless an equivalent Green statement exists;
// - clean-up: remove ONLY the retired issuer — statements whose sole principal
//   is its provider are dropped; a statement that also names other providers
//   keeps them and only loses the retired provider and its condition keys.
//   Statements that do not name the retired provider are never touched.
import { formatPolicy, readPolicy, textDiff, type RawPolicy, type RawStatement } from "@/lib/inventory/fixes";
import { asList, oneOrMany } from "@/lib/inventory/fixes/policy-json";
import { canAssume } from "@/lib/trust";

/** "https://oidc.eks.../id/X" or "oidc.eks.../id/X" -> "oidc.eks.../id/X". */
export const issuerHost = (issuer: string) => issuer.replace(/^https:\/\//i, "").replace(/\/+$/, "");
export const providerArnFor = (accountId: string, host: string) => `arn:aws:iam::${accountId}:oidc-provider/${issuerHost(host)}`;

const eqi = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const federatedOf = (st: RawStatement): string[] =>
  st.Principal && typeof st.Principal === "object" ? asList((st.Principal as Record<string, unknown>).Federated).map(String) : [];
/** Host part of an OIDC provider ARN (arn:aws:iam::<acct>:oidc-provider/<host>). */
const hostOfProvider = (arn: string) => arn.split(":oidc-provider/")[1] ?? "";
const keyHost = (key: string) => (key.includes(":") ? key.slice(0, key.lastIndexOf(":")) : "");

export const trustsProvider = (st: RawStatement, providerArn: string) => federatedOf(st).some((f) => eqi(f, providerArn));

/** Comparable form of a statement: no Sid, lower-cased keys and actions, sorted values. */
export function normalizeStatement(st: RawStatement): string {
  const cond = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
  const c = Object.keys(cond)
    .sort()
    .map((op) => [op.toLowerCase(), Object.keys(cond[op]!).map((k) => [k.toLowerCase(), asList(cond[op]![k]).map(String).sort()]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))]);
  const principal = st.Principal && typeof st.Principal === "object"
    ? Object.keys(st.Principal as object).sort().map((k) => [k, asList((st.Principal as Record<string, unknown>)[k]).map((v) => String(v).toLowerCase()).sort()])
    : st.Principal;
  return JSON.stringify({ e: st.Effect, p: principal, np: st.NotPrincipal, a: asList(st.Action).map((a) => String(a).toLowerCase()).sort(), na: st.NotAction, c });
}

/** The statement rewritten for another issuer (principal and condition keys); keys of other issuers are dropped. */
export function statementForIssuer(st: RawStatement, fromProviderArn: string, toProviderArn: string): RawStatement {
  const fromHost = hostOfProvider(fromProviderArn);
  const toHost = hostOfProvider(toProviderArn);
  const otherHosts = federatedOf(st).filter((f) => !eqi(f, fromProviderArn)).map(hostOfProvider).filter(Boolean);
  const out: RawStatement = structuredClone(st);
  if (typeof out.Sid === "string" && out.Sid) out.Sid = `${out.Sid.replace(/Blue$/i, "")}Green`.replace(/[^A-Za-z0-9]/g, "");
  else delete out.Sid;
  out.Principal = { Federated: toProviderArn };
  if (st.Condition) {
    const cond: Record<string, Record<string, unknown>> = {};
    for (const [op, keys] of Object.entries(st.Condition as Record<string, Record<string, unknown>>)) {
      const next: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(keys)) {
        const h = keyHost(k);
        if (h && eqi(h, fromHost)) next[`${toHost}${k.slice(h.length)}`] = structuredClone(v);
        else if (h && otherHosts.some((o) => eqi(o, h))) continue;
        else next[k] = structuredClone(v);
      }
      if (Object.keys(next).length) cond[op] = next;
    }
    out.Condition = cond;
  }
  return out;
}

export interface TrustEdit {
  before: RawPolicy;
  after: RawPolicy;
  /** Statements added (repoint) or indexes of the original statements removed/changed (clean-up). */
  added: RawStatement[];
  removed: number[];
  changed: number[];
  diff: string;
}

const finish = (before: RawPolicy, after: RawPolicy, added: RawStatement[], removed: number[], changed: number[], labels: [string, string]): TrustEdit => ({
  before,
  after,
  added,
  removed,
  changed,
  diff: textDiff(formatPolicy(before), formatPolicy(after), labels),
});

/**
 * An Allow statement whose only conditions are exact :sub (and :aud) values of the issuer is already
 * granted when the policy lets every one of those service accounts in through that issuer, whatever
 * the shape of the statements doing it (one list, several statements).
 */
function alreadyGranted(policy: RawPolicy, st: RawStatement, providerArn: string): boolean {
  if (st.Effect !== "Allow") return false;
  const host = hostOfProvider(providerArn);
  const cond = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
  const ops = Object.keys(cond);
  if (ops.length !== 1 || ops[0] !== "StringEquals") return false;
  const keys = Object.keys(cond.StringEquals!);
  const subKey = keys.find((k) => eqi(k, `${host}:sub`));
  if (!subKey || keys.some((k) => !eqi(k, `${host}:sub`) && !(eqi(k, `${host}:aud`) && asList(cond.StringEquals![k]).map(String).includes("sts.amazonaws.com")))) return false;
  const subjects = asList(cond.StringEquals![subKey]).map(String);
  const accountId = providerArn.split(":")[4];
  try {
    return subjects.every((sub) => {
      const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(sub);
      return !!m && canAssume(JSON.stringify(policy), { mechanism: "irsa", issuer: host, namespace: m[1]!, serviceAccount: m[2]!, providerAccount: accountId }).allowed;
    });
  } catch {
    return false;
  }
}

/** Add a Green statement for every Blue statement that has no equivalent Green statement yet. */
/** Whether the Green twin of this statement is missing (the statement would be added by repointTrust). */
export function needsGreenTwin(trustPolicy: string, st: RawStatement, blueProviderArn: string, greenProviderArn: string): boolean {
  const policy = readPolicy(trustPolicy);
  const green = statementForIssuer(st, blueProviderArn, greenProviderArn);
  return !policy.Statement.map(normalizeStatement).includes(normalizeStatement(green)) && !alreadyGranted(policy, green, greenProviderArn);
}

/** The :sub values a statement's conditions give for the provider's issuer ([] when it has no :sub condition). */
export function subjectValues(st: RawStatement, providerArn: string): string[] {
  const host = hostOfProvider(providerArn);
  const cond = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
  return Object.values(cond).flatMap((keys) => Object.entries(keys).filter(([k]) => eqi(k, `${host}:sub`)).flatMap(([, v]) => asList(v).map(String)));
}

export function repointTrust(trustPolicy: string, blueProviderArn: string, greenProviderArn: string, include: (st: RawStatement) => boolean = () => true): TrustEdit {
  const before = readPolicy(trustPolicy);
  const after = readPolicy(trustPolicy);
  const seen = new Set(after.Statement.map(normalizeStatement));
  const sids = new Set(after.Statement.map((s) => s.Sid).filter(Boolean));
  const added: RawStatement[] = [];
  for (const st of before.Statement) {
    if (!trustsProvider(st, blueProviderArn) || !include(st)) continue;
    const green = statementForIssuer(st, blueProviderArn, greenProviderArn);
    const norm = normalizeStatement(green);
    if (seen.has(norm) || alreadyGranted(after, green, greenProviderArn)) continue;
    if (typeof green.Sid === "string") {
      let sid = green.Sid;
      for (let i = 2; sids.has(sid); i++) sid = `${green.Sid}${i}`;
      green.Sid = sid;
      sids.add(sid);
    }
    seen.add(norm);
    added.push(green);
    after.Statement.push(green);
  }
  return finish(before, after, added, [], [], ["current trust", "with the Green issuer"]);
}

/** Remove the retired issuer's provider (and its condition keys) only. */
export function cleanupTrust(trustPolicy: string, retiredProviderArn: string): TrustEdit {
  const before = readPolicy(trustPolicy);
  const after = readPolicy(trustPolicy);
  const retiredHost = hostOfProvider(retiredProviderArn);
  const removed: number[] = [];
  const changed: number[] = [];
  after.Statement = after.Statement.filter((st, i) => {
    if (!trustsProvider(st, retiredProviderArn)) return true;
    const principal = st.Principal as Record<string, unknown>;
    const keep = federatedOf(st).filter((f) => !eqi(f, retiredProviderArn));
    if (keep.length === 0 && Object.keys(principal).length === 1) {
      removed.push(i);
      return false;
    }
    if (keep.length) principal.Federated = oneOrMany(keep);
    else delete principal.Federated;
    if (st.Condition) {
      const cond = st.Condition as Record<string, Record<string, unknown>>;
      for (const op of Object.keys(cond)) {
        for (const k of Object.keys(cond[op]!)) if (eqi(keyHost(k), retiredHost)) delete cond[op]![k];
        if (Object.keys(cond[op]!).length === 0) delete cond[op];
      }
      if (Object.keys(cond).length === 0) delete st.Condition;
    }
    changed.push(i);
    return true;
  });
  return finish(before, after, [], removed, changed, ["current trust", "without the retired issuer"]);
}
