// IRSA trust-policy edits: trust one more service account on one issuer,
// replace wildcard / missing subjects with an exact list, drop statements.
import { IRSA_ACTION, parseOidcProviderArn } from "@/lib/trust";
import { asList, oneOrMany, readPolicy, type RawPolicy, type RawStatement } from "./policy-json";

export const subjectOf = (namespace: string, sa: string) => `system:serviceaccount:${namespace}:${sa}`;

export function irsaTrustStatement(providerArn: string, subjects: string[]): RawStatement {
  const path = parseOidcProviderArn(providerArn)?.path ?? providerArn.split("oidc-provider/")[1] ?? "";
  return {
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: IRSA_ACTION,
    Condition: { StringEquals: { [`${path}:aud`]: "sts.amazonaws.com", [`${path}:sub`]: oneOrMany(subjects) } },
  };
}

const federatedOf = (st: RawStatement): string[] =>
  st.Principal && typeof st.Principal === "object" ? asList((st.Principal as Record<string, unknown>).Federated).map(String) : [];

/** Trust `subject` on the provider: appended to a single-provider StringEquals :sub list, else a new statement. */
export function addIrsaSubject(trustPolicy: string, providerArn: string, subject: string): RawPolicy {
  const doc = readPolicy(trustPolicy);
  const path = parseOidcProviderArn(providerArn)?.path;
  const st = doc.Statement.find((s) => s.Effect === "Allow" && federatedOf(s).length === 1 && federatedOf(s)[0] === providerArn);
  const eq = (st?.Condition as Record<string, Record<string, unknown>> | undefined)?.StringEquals;
  const subKey = eq && Object.keys(eq).find((k) => k.toLowerCase() === `${path}:sub`.toLowerCase());
  if (st && eq && subKey) {
    const subs = asList(eq[subKey]).map(String);
    if (!subs.includes(subject)) eq[subKey] = oneOrMany([...subs, subject]);
    return doc;
  }
  doc.Statement.push(irsaTrustStatement(providerArn, [subject]));
  return doc;
}

/** Replace the :sub condition of statement `index` with an exact StringEquals list (or add one). */
export function exactSubjects(trustPolicy: string, index: number, providerPath: string, subjects: string[]): RawPolicy {
  const doc = readPolicy(trustPolicy);
  const st = doc.Statement[index];
  if (!st) return doc;
  const cond = { ...((st.Condition as Record<string, Record<string, unknown>>) ?? {}) };
  for (const [op, keys] of Object.entries(cond)) {
    const rest = Object.fromEntries(Object.entries(keys).filter(([k]) => k.toLowerCase() !== `${providerPath}:sub`.toLowerCase()));
    if (Object.keys(rest).length) cond[op] = rest;
    else delete cond[op];
  }
  cond.StringEquals = { ...(cond.StringEquals ?? {}), [`${providerPath}:sub`]: oneOrMany(subjects) };
  st.Condition = cond;
  return doc;
}

/** Remove the given Federated providers from every statement; statements left without a principal are dropped. */
export function removeProviders(trustPolicy: string, providerArns: string[]): { policy: RawPolicy; removed: number[] } {
  const doc = readPolicy(trustPolicy);
  const drop = new Set(providerArns);
  const removed: number[] = [];
  doc.Statement = doc.Statement.filter((st, i) => {
    const fed = federatedOf(st);
    if (!fed.some((f) => drop.has(f))) return true;
    const keep = fed.filter((f) => !drop.has(f));
    const principal = st.Principal as Record<string, unknown>;
    if (keep.length === 0 && Object.keys(principal).length === 1) {
      removed.push(i);
      return false;
    }
    if (keep.length) principal.Federated = oneOrMany(keep);
    else delete principal.Federated;
    return true;
  });
  return { policy: doc, removed };
}
