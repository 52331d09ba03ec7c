// deploy/iam/ read as data: which AWS actions RoleGate's policies allow, and which
// actions RoleGate's code needs (its SDK commands, plus the actions AWS checks on
// top of some calls). Used by iam-policies.test.ts and the suite-wide call check
// (tests/setup/aws-calls.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
export const root = path.resolve(import.meta.dirname, "../..");
export const POLICY_FILES = ["rolegate-role-policy.json", "reader-policy.json", "applier-policy.json"];

interface Statement {
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  Condition?: unknown;
}

export function policyStatements(file: string): Statement[] {
  return (JSON.parse(readFileSync(path.join(root, "deploy/iam", file), "utf8")) as { Statement: Statement[] }).Statement;
}

/** Every action an Allow statement of the identity policies names. */
export function allowedActions(): Set<string> {
  const out = new Set<string>();
  for (const f of POLICY_FILES) for (const s of policyStatements(f)) if (s.Effect === "Allow") for (const a of [s.Action ?? []].flat()) out.add(a);
  return out;
}

const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
export function isAllowed(action: string, allowed = allowedActions()): boolean {
  if (NO_PERMISSION_NEEDED.has(action)) return true;
  return [...allowed].some((a) => glob(a).test(action));
}

/** AWS answers these for any caller (STS GetCallerIdentity needs no permission). */
export const NO_PERMISSION_NEEDED = new Set(["sts:GetCallerIdentity"]);

/**
 * Actions AWS authorizes on top of the call itself (the Service Authorization
 * Reference's "dependent actions"): Pod Identity associations pass their role(s),
 * and RoleGate always creates them with tags (rolegate.io/managed-by).
 */
export const DEPENDENT_ACTIONS: Record<string, string[]> = {
  "eks:CreatePodIdentityAssociation": ["iam:PassRole", "iam:GetRole", "eks:TagResource"],
  "eks:UpdatePodIdentityAssociation": ["iam:PassRole", "iam:GetRole"],
  // CreateRole with tags is also authorized as TagRole.
  "iam:CreateRole": ["iam:TagRole"],
};

const SDK = { eks: "@aws-sdk/client-eks", iam: "@aws-sdk/client-iam", sts: "@aws-sdk/client-sts", sqs: "@aws-sdk/client-sqs" } as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === "generated" ? [] : sourceFiles(p);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [p] : [];
  });
}

/** "service:Operation" for every AWS SDK command RoleGate's code sends (lib/ and app/). */
export function operationsInCode(): Map<string, string[]> {
  const exportsOf = Object.fromEntries(Object.entries(SDK).map(([s, m]) => [s, require(m) as Record<string, unknown>]));
  const out = new Map<string, string[]>();
  for (const file of [...sourceFiles(path.join(root, "lib")), ...sourceFiles(path.join(root, "app"))]) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/new (\w+)Command\(/g)) {
      const op = m[1]!;
      const services = Object.keys(SDK).filter((s) => `${op}Command` in exportsOf[s]!);
      const service =
        services.length === 1 ? services[0] : services.find((s) => new RegExp(`\\b${op}Command\\b[^;]*from "${SDK[s as keyof typeof SDK]}"`, "s").test(text));
      if (!service) throw new Error(`${path.relative(root, file)}: cannot tell which AWS service ${op}Command belongs to`);
      const action = `${service}:${op}`;
      out.set(action, [...(out.get(action) ?? []), path.relative(root, file)]);
    }
  }
  return out;
}

/** The actions a call needs: itself plus its dependent actions. */
export function actionsFor(action: string): string[] {
  return [action, ...(DEPENDENT_ACTIONS[action] ?? [])];
}

/** Allowed actions that none of these calls ("service:Operation") needs, sorted. */
export function actionsNotNeededBy(calls: Iterable<string>, allowed = allowedActions()): string[] {
  const needed = new Set([...calls].flatMap(actionsFor).map((a) => a.toLowerCase()));
  return [...allowed].filter((a) => !needed.has(a.toLowerCase())).sort();
}
