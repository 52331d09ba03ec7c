// One role: who can assume it, its trust policy statement by statement with the
// ones that let a known service account in highlighted, findings and fixes.
import "server-only";
import { evaluateTrust, irsaRequest, openPodIdentityStatements, parseTrustPolicy, podIdentityRequest, type TrustPolicy } from "@/lib/trust";
import type { Finding, PatternEdge, SaRoleMapping, SnapshotAnalysis } from "../analysis";
import type { InventorySnapshot, SnapshotRole } from "../snapshot-types";
import { groupBy } from "@/lib/util/group-by";

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

/** What one role page reads of a view, by role ARN: built once per analysis, so a page at 25,000 roles and 100,000 mappings reads its own rows only. */
interface ByRole {
  roles: Map<string, SnapshotRole>;
  mappings: Map<string, SaRoleMapping[]>;
  patterns: Map<string, PatternEdge[]>;
  findings: Map<string, Finding[]>;
}

// Per analysis object: a view's analysis is never changed after it is built (changes make a new view).
const indexes = new WeakMap<SnapshotAnalysis, ByRole>();

function byRole(snapshot: InventorySnapshot, analysis: SnapshotAnalysis): ByRole {
  let index = indexes.get(analysis);
  if (!index) {
    index = {
      roles: new Map(snapshot.roles.map((r) => [r.arn, r])),
      mappings: groupBy(analysis.mappings, (m) => [m.roleArn]),
      patterns: groupBy(analysis.edges.patterns, (p) => [p.roleArn]),
      findings: groupBy(analysis.findings, (f) => [f.roleArn, f.nodeRoleArn, f.targetRoleArn]),
    };
    indexes.set(analysis, index);
  }
  return index;
}

export function roleDetail(snapshot: InventorySnapshot, analysis: SnapshotAnalysis, arn: string): RoleDetail | null {
  const index = byRole(snapshot, analysis);
  const role = index.roles.get(arn);
  if (!role) return null;
  const mappings = index.mappings.get(arn) ?? [];
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
    patterns: index.patterns.get(arn) ?? [],
    findings: index.findings.get(arn) ?? [],
    statements,
    podIdentityOpen: policy ? openPodIdentityStatements(policy).length > 0 : false,
    parseError,
  };
}
