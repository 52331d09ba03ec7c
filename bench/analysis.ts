// npm run bench:analysis — who-can-assume at scale: RoleGate's indexed edge
// computation vs a brute-force evaluation (every role x every service account
// through the full trust evaluator), same process, same snapshot; the edge
// sets must be identical. Prints times and the speed-up (target >= 20x).
// Usage: tsx bench/analysis.ts [--roles N] [--sas N] [--clusters N] [--seed N]
import { computeEdges } from "@/lib/inventory/analysis/edges";
import { indexRoles } from "@/lib/inventory/analysis/roles";
import { bruteForceEdges, plainEdges, plainEdgeStrings } from "@/tests/support/analysis/brute-force";
import { syntheticSnapshot } from "@/tests/support/analysis/synthetic-snapshot";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const roles = arg("roles", 5000);
const sas = arg("sas", 2000);
const clusters = arg("clusters", 4);
const seed = arg("seed", 20261101);

const ms = (t: number) => `${t.toFixed(0)} ms`;
const snapshot = syntheticSnapshot({ roles, clusters, serviceAccountsPerCluster: Math.ceil(sas / clusters), seed });
const saTotal = snapshot.clusters.reduce((n, c) => n + c.serviceAccounts.length, 0);
const assocTotal = snapshot.clusters.reduce((n, c) => n + c.associations.length, 0);
console.log(`snapshot: ${snapshot.roles.length} roles, ${saTotal} service accounts on ${clusters} clusters, ${assocTotal} associations (seed ${seed})`);

// Both sides parse each trust policy once; parsing is timed separately.
let t = performance.now();
const indexed = indexRoles(snapshot);
const parseMs = performance.now() - t;
console.log(`parse trust policies: ${ms(parseMs)}`);

computeEdges(snapshot, indexed); // warm-up (JIT), not timed
const runs: number[] = [];
let edges = computeEdges(snapshot, indexed);
for (let i = 0; i < 3; i++) {
  t = performance.now();
  edges = computeEdges(snapshot, indexed);
  runs.push(performance.now() - t);
}
const rolegateMs = Math.min(...runs);
console.log(`RoleGate indexed edges: ${ms(rolegateMs)} (best of ${runs.length}: ${runs.map(ms).join(", ")}); ${edges.irsa.length} IRSA, ${edges.podIdentity.length} Pod Identity, ${edges.patterns.length} pattern edges`);

const pairs = saTotal * snapshot.roles.length;
console.log(`brute force: ${pairs.toLocaleString("en")} role x SA evaluations ...`);
t = performance.now();
let last = t;
const brute = bruteForceEdges(snapshot, {
  onProgress: (done, total) => {
    const now = performance.now();
    if (now - last < 10_000) return;
    last = now;
    const pct = done / total;
    console.log(`  ${(pct * 100).toFixed(0)}% (${done}/${total} SAs), ${((now - t) / 1000).toFixed(0)} s elapsed, ~${(((now - t) / pct - (now - t)) / 1000).toFixed(0)} s left`);
  },
}, indexed);
const bruteMs = performance.now() - t;
console.log(`brute force: ${ms(bruteMs)}`);

const a = plainEdgeStrings(plainEdges(edges));
const b = plainEdgeStrings(brute);
const same = a.length === b.length && a.every((x, i) => x === b[i]);
console.log(`edge sets identical: ${same ? "yes" : "NO"} (${a.length} vs ${b.length})`);
if (!same) {
  const sb = new Set(b);
  const sa = new Set(a);
  console.log("only indexed:", a.filter((x) => !sb.has(x)).slice(0, 10));
  console.log("only brute force:", b.filter((x) => !sa.has(x)).slice(0, 10));
}
const ratio = bruteMs / rolegateMs;
console.log(`speed-up: ${ratio.toFixed(1)}x (target >= 20x) ${ratio >= 20 ? "MET" : "NOT MET"}`);
process.exitCode = same ? 0 : 1;
