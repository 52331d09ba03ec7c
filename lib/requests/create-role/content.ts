// How a role IAM holds differs from the one a create-role item asks for: the
// reasons an existing role is not adopted. RoleGate's own rolegate.io/ tags are
// not content.
import type { RoleContent } from "@/lib/aws/requests-gateway";
import { INLINE_POLICY_NAME, type RoleSpec } from "./input";

const sameJson = (a: string, b: string) => {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
};
const userTags = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).filter(([k]) => !k.startsWith("rolegate.io/")).sort(([a], [b]) => a.localeCompare(b)));

export function contentDifferences(spec: RoleSpec, role: RoleContent): string[] {
  const out: string[] = [];
  if (role.path !== spec.path) out.push(`path is ${role.path}, not ${spec.path}`);
  if (!sameJson(role.trustPolicy, spec.trustPolicy)) out.push("its trust policy differs");
  if (role.maxSessionDuration !== spec.maxSessionDuration) out.push(`maximum session is ${role.maxSessionDuration}s, not ${spec.maxSessionDuration}s`);
  if ((role.description ?? "") !== (spec.description ?? "")) out.push("its description differs");
  if ((role.permissionsBoundaryArn ?? "") !== (spec.permissionsBoundaryArn ?? "")) out.push(`permissions boundary is ${role.permissionsBoundaryArn ?? "none"}, not ${spec.permissionsBoundaryArn ?? "none"}`);
  const want = [...spec.managedPolicyArns].sort().join(",");
  if ([...role.attachedPolicyArns].sort().join(",") !== want) out.push(`attached policies are [${role.attachedPolicyArns.join(", ")}], not [${spec.managedPolicyArns.join(", ")}]`);
  const inline: Record<string, string> = spec.inlinePolicy ? { [INLINE_POLICY_NAME]: spec.inlinePolicy } : {};
  const names = [...new Set([...Object.keys(role.inlinePolicies), ...Object.keys(inline)])];
  if (names.some((n) => role.inlinePolicies[n] === undefined || inline[n] === undefined || !sameJson(role.inlinePolicies[n]!, inline[n]!))) out.push("its inline policies differ");
  if (JSON.stringify(userTags(role.tags)) !== JSON.stringify(userTags(spec.tags))) out.push("its tags differ");
  return out;
}
