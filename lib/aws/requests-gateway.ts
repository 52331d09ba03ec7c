// The AWS calls of the request workflow in one object, so services and tests
// pass plain data: prechecks read through `reader` (SDK retries on), apply writes
// through `writer` (SDK retries off: the apply job backs off and records attempts).
import type { AppConfig } from "@/lib/config/schema";
import { AwsClientPool } from "./clients";
import { EksLookup } from "./eks-lookup";
import { EksWriter } from "./eks-write";
import { IamReader } from "./iam-read";
import { IamWriter } from "./iam-write";
import { NodeRoleReader } from "./node-roles";

export type { AssociationWriteResult, CreateAssociationInput, UpdateAssociationInput } from "./eks-write";
export type { RoleTrust } from "./iam-read";
export type { NodeRolePolicies } from "./node-roles";

export interface RequestsGateway {
  eks: EksLookup;
  iam: IamReader;
  nodeRoles: NodeRoleReader;
  writer: EksWriter;
  iamWriter: IamWriter;
  destroy(): void;
}

export function createRequestsGateway(settings: { endpoint?: string; readAttempts?: number }): RequestsGateway {
  const reads = new AwsClientPool({ endpoint: settings.endpoint, maxAttempts: settings.readAttempts ?? 4 });
  const writes = new AwsClientPool({ endpoint: settings.endpoint, maxAttempts: 1 });
  return {
    eks: new EksLookup(reads),
    iam: new IamReader(reads),
    nodeRoles: new NodeRoleReader(reads),
    writer: new EksWriter(writes),
    iamWriter: new IamWriter(writes),
    destroy() {
      reads.destroy();
      writes.destroy();
    },
  };
}

const KEY = Symbol.for("rolegate.aws.requests");

export function getRequestsGateway(config: AppConfig): RequestsGateway {
  const holder = globalThis as { [KEY]?: RequestsGateway };
  holder[KEY] ??= createRequestsGateway({ endpoint: config.sandbox?.awsEndpoint });
  return holder[KEY];
}
