// One role: who can assume it, its trust policy statement by statement with the
// ones that let a known service account in highlighted, findings and fixes.
import "server-only";
import { evaluateTrust, irsaRequest, openPodIdentityStatements, parseTrustPolicy, podIdentityRequest, type TrustPolicy } from "@/lib/trust";
import type { Finding, PatternEdge, SaRoleMapping, SnapshotAnalysis } from "../analysis";
import type { InventorySnapshot, SnapshotRole } from "../snapshot-types";

export interface TrustStatementView {
  index: number;
  sid?: string;
  effect: string;
  /** Pretty JSON of the statement as written. */
  json: string;
  /** Service accounts ("cluster/ns/sa via mechanism") this statement matched for, capped. */
  matchedBy: string[];
}

interface RoleDetail {
  role: SnapshotRole;
  mappings: SaRoleMapping[];
  patterns: PatternEdge[];
  findings: Finding[];
  statements: TrustStatementView[];
  /** Some Allow lets pods.eks.amazonaws.com in without any condition: the role page offers a tighter trust. */
  podIdentityOpen: boolean;
  parseError?: string;
}

const MAX_EVALUATIONS = 300;
const MAX_LABELS = 5;

function rawStatements(text: string): unknown[] {
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch {
    return [];
  }
}

export function roleDetail(snapshot: InventorySnapshot, analysis: SnapshotAnalysis, arn: string): RoleDetail | null {
  const role = snapshot.roles.find((r) => r.arn === arn);
  if (!role) return null;
  const mappings = analysis.mappings.filter((m) => m.roleArn === arn);
  const raw = rawStatements(role.trustPolicy);
  const matched = raw.map(() => [] as string[]);
  let policy: TrustPolicy | null = null;
  let parseError: string | undefined;
  try {
    policy = parseTrustPolicy(role.trustPolicy);
  } catch (e) {
    parseError = (e as Error).message;
  }
  if (policy) {
    const issuers = new Map(snapshot.clusters.map((c) => [c.name, c.oidcIssuer]));
    for (const m of mappings.slice(0, MAX_EVALUATIONS)) {
      const requests = [];
      const issuer = issuers.get(m.cluster);
      if (m.irsa && issuer) requests.push({ label: "IRSA", req: irsaRequest({ mechanism: "irsa", issuer, namespace: m.namespace, serviceAccount: m.serviceAccount }) });
      if (m.podIdentity) {
        const pi = m.podIdentity;
        requests.push({ label: "Pod Identity", req: podIdentityRequest({ mechanism: "pod-identity", namespace: pi.namespace, serviceAccount: pi.serviceAccount, clusterArn: pi.clusterArn, sessionTags: pi.sessionTags }) });
      }
      for (const { label, req } of requests) {
        try {
          for (const s of evaluateTrust(policy, req).statements) {
            const list = matched[s.index];
            if (s.matched && list && list.length < MAX_LABELS) list.push(`${m.cluster}/${m.namespace}/${m.serviceAccount} (${label}${s.effect === "Deny" ? ", denied" : ""})`);
          }
        } catch {
          // A name the trust engine refuses cannot match a statement either.
        }
      }
    }
  }
  const statements = raw.map((st, index) => {
    const s = st as { Sid?: string; Effect?: string };
    return { index, sid: s.Sid, effect: s.Effect ?? "?", json: JSON.stringify(st, null, 2), matchedBy: matched[index] ?? [] };
  });
  return {
    role,
    mappings,
    patterns: analysis.edges.patterns.filter((p) => p.roleArn === arn),
    findings: analysis.findings.filter((f) => f.roleArn === arn || f.nodeRoleArn === arn || f.targetRoleArn === arn),
    statements,
    podIdentityOpen: policy ? openPodIdentityStatements(policy).length > 0 : false,
    parseError,
  };
}
