// The prechecks of a request's association items count a role its create-role
// item will create as existing, with the trust it will be born with: the IAM
// reader answers for it while IAM has no such role (once created, IAM answers).
import type { RequestItem } from "@/lib/db/generated/client";
import type { RequestsGateway, RoleTrust } from "@/lib/aws/requests-gateway";
import { CREATE_ROLE_KIND, roleSpecOf } from "./input";

export type BornRole = Omit<RoleTrust, "lastUsed">;

/** The roles of a request's create-role items not applied yet. */
export function bornRolesOf(items: Pick<RequestItem, "kind" | "status" | "roleArn" | "roleSpec">[]): BornRole[] {
  return items.flatMap((i) => {
    const spec = i.kind === CREATE_ROLE_KIND && i.status !== "applied" ? roleSpecOf(i.roleSpec) : null;
    return spec && i.roleArn ? [{ arn: i.roleArn, name: spec.roleName, trustPolicy: spec.trustPolicy }] : [];
  });
}

export function withBornRoles(aws: RequestsGateway, born: BornRole[]): RequestsGateway {
  if (born.length === 0) return aws;
  // A view of the reader with getRole overridden; every other read is the reader's own.
  const iam: RequestsGateway["iam"] = Object.create(aws.iam);
  iam.getRole = async (location, roleArn) => {
    const real = await aws.iam.getRole(location, roleArn);
    const role = born.find((b) => b.arn === roleArn);
    return real ?? (role ? { ...role, lastUsed: null } : null);
  };
  return { ...aws, iam };
}
