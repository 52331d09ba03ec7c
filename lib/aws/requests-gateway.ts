// The AWS calls of the request workflow in one object, so services and tests
// pass plain data: prechecks read through `reader` (SDK retries on), apply writes
// through `writer` (SDK retries off: the apply job backs off and records attempts).
import { AwsClientPool } from "./clients";
import { EksLookup, EksWriter } from "./eks";
import { IamReader, IamWriter, NodeRoleReader } from "./iam";
import { ManagedPolicyCatalogue, RoleCreationGateway } from "./iam-role-creation";

export type { AssociationWriteResult, CreateAssociationInput, UpdateAssociationInput } from "./eks";
export type { NodeRolePolicies, RoleTrust } from "./iam";
export type { ManagedPolicyInfo, NewRole, RoleContent } from "./iam-role-creation";

export interface RequestsGateway {
  eks: EksLookup;
  iam: IamReader;
  nodeRoles: NodeRoleReader;
  writer: EksWriter;
  iamWriter: IamWriter;
  /** create-role items: role content reads and the role's writes (retries off, like iamWriter). */
  roles: RoleCreationGateway;
  /** AWS's managed policies, for the create-role picker (reads, SDK retries on). */
  policies: ManagedPolicyCatalogue;
  destroy(): void;
}

/** The request workflow's gateway on a pool: reads with `readAttempts` SDK attempts, writes with one. */
export function requestsGatewayOn(pool: AwsClientPool, readAttempts = 4): Omit<RequestsGateway, "destroy"> {
  const reads = pool.withSettings({ maxAttempts: readAttempts });
  const writes = pool.withSettings({ maxAttempts: 1 });
  return { eks: new EksLookup(reads), iam: new IamReader(reads), nodeRoles: new NodeRoleReader(reads), writer: new EksWriter(writes), iamWriter: new IamWriter(writes), roles: new RoleCreationGateway(writes), policies: new ManagedPolicyCatalogue(reads) };
}

/** A gateway with a pool of its own (tests, tools); destroy() closes it. The app's comes from lib/runtime.ts. */
export function createRequestsGateway(settings: { endpoint?: string; readAttempts?: number }): RequestsGateway {
  const pool = new AwsClientPool({ endpoint: settings.endpoint });
  return { ...requestsGatewayOn(pool, settings.readAttempts), destroy: () => pool.destroy() };
}
