// The last migration step's IAM edit: remove ONE service account's IRSA subject
// from the statements of ONE cluster's OIDC provider. Statements of other
// providers (other clusters) and other subjects are left exactly as they are; a
// statement whose only subject was this one is dropped. Wildcard subjects that
// also match the SA are reported (not edited): removing them would cut others off.
import { asList, oneOrMany, readPolicy, type RawPolicy, type RawStatement } from "@/lib/inventory/fixes/policy-json";
import { subjectOf } from "@/lib/inventory/fixes/irsa-trust";
import { matchWildcard } from "@/lib/trust";

export const providerArnOf = (accountId: string, issuer: string) => `arn:aws:iam::${accountId}:oidc-provider/${issuer.replace(/^https:\/\//, "")}`;

const federatedOf = (st: RawStatement): string[] =>
  st.Principal && typeof st.Principal === "object" ? asList((st.Principal as Record<string, unknown>).Federated).map(String) : [];

// StringLike with IAM semantics through lib/trust's linear matcher (a RegExp
// built from a policy value can be made to backtrack for minutes).
const likeMatch = (pattern: string, value: string) => matchWildcard(pattern, value, { policyEscapes: true });

export interface SubjectRemoval {
  policy: RawPolicy;
  /** Statement indexes (of the original policy) edited or dropped. */
  edited: number[];
  dropped: number[];
  /** Wildcard :sub patterns on this provider that still match the SA (left in place). */
  wildcards: string[];
}

export function removeIrsaSubject(trustPolicy: string, providerArn: string, namespace: string, serviceAccount: string): SubjectRemoval {
  const doc = readPolicy(trustPolicy);
  const subject = subjectOf(namespace, serviceAccount);
  const path = providerArn.split("oidc-provider/")[1] ?? "";
  const subKey = `${path}:sub`.toLowerCase();
  const edited: number[] = [];
  const dropped: number[] = [];
  const wildcards: string[] = [];
  const kept: RawStatement[] = [];
  doc.Statement.forEach((st, i) => {
    const fed = federatedOf(st);
    if (st.Effect !== "Allow" || !fed.includes(providerArn)) return void kept.push(st);
    const cond = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
    let touched = false;
    let emptied = false;
    for (const [op, keys] of Object.entries(cond)) {
      for (const key of Object.keys(keys)) {
        if (key.toLowerCase() !== subKey) continue;
        const values = asList(keys[key]).map(String);
        if (/like/i.test(op)) for (const v of values) if (v !== subject && /[*?]/.test(v) && likeMatch(v, subject)) wildcards.push(v);
        if (!values.includes(subject)) continue;
        const rest = values.filter((v) => v !== subject);
        touched = true;
        if (rest.length) keys[key] = oneOrMany(rest);
        else {
          emptied = true;
          delete keys[key];
        }
      }
    }
    if (!touched) return void kept.push(st);
    // A statement naming only this SA (for this provider alone) goes; with other providers it keeps them.
    if (emptied && fed.length === 1) return void dropped.push(i);
    if (emptied) {
      const principal = st.Principal as Record<string, unknown>;
      principal.Federated = oneOrMany(fed.filter((f) => f !== providerArn));
    }
    edited.push(i);
    kept.push(st);
  });
  doc.Statement = kept;
  return { policy: doc, edited, dropped, wildcards };
}
