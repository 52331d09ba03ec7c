// Filing create-role items: each role is born in the account of the create item
// that names its ARN (else of the batch's first item), trusted by Pod Identity from
// the clusters of the batch's create items, and checked against the admin's
// mandatory permissions boundary (ROLEGATE_REQUIRED_PERMISSIONS_BOUNDARY).
import { DomainError } from "@/lib/core/errors";
import type { Prisma } from "@/lib/db/generated/client";
import type { FiledItem } from "../file-request";
import type { BornRole } from "./born-roles";
import { CREATE_ROLE_KIND, roleArnOf, type CreateRoleInput, type RoleSpec } from "./input";
import { clusterArn, podIdentityTrust } from "./trust";

interface Located {
  item: { kind: string; cluster: string; namespace: string; serviceAccount: string; roleArn?: string | null };
  location: { accountId: string; region: string };
}

export interface PlannedRoles {
  items: FiledItem[];
  born: BornRole[];
}

export function planRoles(roles: { input: CreateRoleInput; field: string }[], located: Located[], requiredBoundary?: string): PlannedRoles {
  if (roles.length === 0) return { items: [], born: [] };
  const invalid = (field: string, message: string) => new DomainError("invalid", "Invalid input", { [field]: [message] });
  const first = located[0];
  if (!first) throw invalid(roles[0]!.field, "a create-role item needs a create item in the same batch: the role is born in the account of that item's cluster");
  const names = new Set<string>();
  const items: FiledItem[] = [];
  const born: BornRole[] = [];
  for (const { input, field } of roles) {
    if (names.has(input.roleName.toLowerCase())) throw invalid(`${field}roleName`, `role ${input.roleName} is created twice in this batch`);
    names.add(input.roleName.toLowerCase());
    if (requiredBoundary && input.permissionsBoundaryArn !== requiredBoundary) {
      throw invalid(`${field}permissionsBoundaryArn`, `must be ${requiredBoundary}: new roles carry the permissions boundary the administrators require`);
    }
    const namesIt = located.find((l) => l.item.kind === "create" && l.item.roleArn && l.item.roleArn === roleArnOf(l.location.accountId, input));
    const home = namesIt ?? first;
    const arn = roleArnOf(home.location.accountId, input);
    const creates = located.filter((l) => l.item.kind === "create" && l.location.accountId === home.location.accountId);
    const clusters = (creates.length ? creates : [home]).map((l) => clusterArn(l.location.accountId, l.location.region, l.item.cluster));
    const { kind: _kind, ...fields } = input;
    const spec: RoleSpec = { ...fields, trustPolicy: podIdentityTrust(home.location.accountId, clusters) };
    items.push({
      kind: CREATE_ROLE_KIND, cluster: home.item.cluster, accountId: home.location.accountId, region: home.location.region,
      namespace: home.item.namespace, serviceAccount: home.item.serviceAccount, roleArn: arn, roleSpec: spec as unknown as Prisma.InputJsonValue,
    });
    born.push({ arn, name: input.roleName, trustPolicy: spec.trustPolicy });
  }
  return { items, born };
}
