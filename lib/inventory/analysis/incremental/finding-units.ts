// The findings side: findings are kept per unit (cluster, role, role x
// cluster, association, node role, OIDC provider) and a delta only marks the
// units it touches (index.dirty). findingsOf() re-runs the marked units with
// the same per-unit functions the full analysis runs, so the result equals
// analyzeSnapshot()'s findings without re-running the untouched ones.
import { addonMissingForCluster } from "../findings/addon-missing";
import { associationRoleFindingsFor } from "../findings/association-role";
import { bothMechanismsForCluster } from "../findings/both-mechanisms";
import { deletedClusterFindingsForRole, orphanProviderFinding } from "../findings/deleted-cluster-issuer";
import { sortFindings } from "../findings";
import { irsaAnnotationFindingsForCluster } from "../findings/irsa-annotation";
import { irsaSubjectFindingsForRole } from "../findings/irsa-subjects";
import { nodeRoleFindingsFor } from "../findings/node-role";
import { podIdentityTrustFinding } from "../findings/pod-identity-trust";
import { podFindingsForCluster } from "../findings/pods";
import { IRSA_ANNOTATION, type Finding } from "../findings/types";
import { runSteps, runStepsYielding, type Steps } from "../steps";
import { addTo, takeFrom } from "./collections";
import type { AnalysisIndex } from "./state";
import { flat } from "@/lib/util/intern";

function computeUnit(index: AnalysisIndex, unit: string): Finding[] {
  const colon = unit.indexOf(":");
  const kind = unit.slice(0, colon);
  const key = unit.slice(colon + 1);
  const ctx = { snapshot: index.snapshot, roles: index.roles, clustersByPath: index.clustersByPath, irsaEdgeKeys: index.irsaEdges };
  switch (kind) {
    case "cluster": {
      const c = index.refs.get(key)?.cluster;
      return c ? [...addonMissingForCluster(c), ...bothMechanismsForCluster(c), ...podFindingsForCluster(c), ...irsaAnnotationFindingsForCluster(ctx, c)] : [];
    }
    case "role": {
      const r = index.roles.get(key);
      return r ? deletedClusterFindingsForRole(ctx, r) : [];
    }
    case "provider": {
      const p = index.snapshot.oidcProviders.find((x) => x.arn === key);
      const roles = [...(index.staleRefs.get(key) ?? [])].sort((a, b) => index.roleSeq.get(a)! - index.roleSeq.get(b)!);
      const f = p && orphanProviderFinding(ctx, p, roles);
      return f ? [f] : [];
    }
    case "rc": {
      const [roleArn, clusterArn] = key.split("|") as [string, string];
      const r = index.roles.get(roleArn);
      return r && index.refs.has(clusterArn) ? irsaSubjectFindingsForRole(ctx, r, clusterArn) : [];
    }
    case "node":
      return nodeRoleFindingsFor(ctx, key);
    case "assoc": {
      const e = index.podIdentity.get(key);
      if (!e) return [];
      const sameRole = [...(index.assocByRole.get(e.roleArn) ?? [])].map((k) => index.associations.get(k)!.a);
      const f = podIdentityTrustFinding(ctx, e);
      return [...(f ? [f] : []), ...associationRoleFindingsFor(ctx, e, sameRole)];
    }
  }
  throw new Error(`unknown finding unit ${unit}`);
}

// A fix's document and diff are the same text for every mapping of a role (at 100,000 associations: 64 M
// characters over 33,000 findings, 1 M of them distinct): each distinct text is kept once per index.
const fixTexts = new WeakMap<AnalysisIndex, Map<string, string>>();

function setUnit(index: AnalysisIndex, unit: string, found: Finding[]): void {
  let texts = fixTexts.get(index);
  if (!texts) fixTexts.set(index, (texts = new Map()));
  const intern = (s: string) => texts.get(s) ?? (texts.set(s, s), s);
  for (const f of found) {
    // Kept for as long as the index: the texts built from templates, flat (lib/util/intern.ts).
    f.id = flat(f.id);
    f.title = flat(f.title);
    f.detail = flat(f.detail);
    if (f.fix?.json) f.fix.json = intern(f.fix.json);
    if (f.fix?.diff) f.fix.diff = intern(f.fix.diff);
  }
  if (found.length) index.units.set(unit, found);
  else index.units.delete(unit);
}

/** The findings of the current model, re-running only the units deltas touched since the last call. */
export function findingsOf(index: AnalysisIndex): Finding[] {
  return runSteps(findingsOfSteps(index));
}

/** findingsOf without holding the event loop for more than `sliceMs` at a time (the first call runs every unit). */
export function findingsOfAsync(index: AnalysisIndex, sliceMs?: number): Promise<Finding[]> {
  return runStepsYielding(findingsOfSteps(index), sliceMs);
}

/** findingsOf one unit per step. */
export function* findingsOfSteps(index: AnalysisIndex): Steps<Finding[]> {
  if (index.findings) return index.findings;
  if (index.annotationRoles.size) {
    for (const c of index.snapshot.clusters) {
      if (c.serviceAccounts.some((sa) => index.annotationRoles.has(sa.annotations[IRSA_ANNOTATION]!))) index.dirty.add(`cluster:${c.arn}`);
    }
    index.annotationRoles.clear();
  }
  // Role units first: they say which providers each role references stale.
  for (const unit of [...index.dirty].filter((u) => u.startsWith("role:"))) {
    yield;
    const roleArn = unit.slice("role:".length);
    for (const f of index.units.get(unit) ?? []) {
      takeFrom(index.staleRefs, f.oidcProviderArn!, roleArn);
      index.dirty.add(`provider:${f.oidcProviderArn}`);
    }
    const found = computeUnit(index, unit);
    for (const f of found) {
      addTo(index.staleRefs, f.oidcProviderArn!, roleArn);
      index.dirty.add(`provider:${f.oidcProviderArn}`);
    }
    setUnit(index, unit, found);
    index.dirty.delete(unit);
  }
  for (const unit of [...index.dirty]) {
    yield;
    setUnit(index, unit, computeUnit(index, unit));
    index.dirty.delete(unit);
  }
  const all: Finding[] = [];
  for (const list of index.units.values()) for (const f of list) all.push(f);
  const sorted = sortFindings(all);
  // A delta applied while findingsOfAsync yielded leaves units dirty: then this result is not cached.
  if (index.dirty.size === 0 && index.annotationRoles.size === 0) index.findings = sorted;
  return sorted;
}
