// EKS writes for the request workflow: create / update / delete a Pod Identity
// association, each with an idempotency token. Retries are the caller's job
// (the apply job backs off itself), so the pool given here should not retry.
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  UpdatePodIdentityAssociationCommand,
  type PodIdentityAssociation,
} from "@aws-sdk/client-eks";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import type { AwsLocation } from "./types";

export interface CreateAssociationInput {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  policy?: string;
  tags?: Record<string, string>;
  clientRequestToken: string;
}

export interface UpdateAssociationInput {
  clusterName: string;
  associationId: string;
  roleArn?: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  policy?: string;
  clientRequestToken: string;
}

export interface AssociationWriteResult {
  associationId: string;
  associationArn?: string;
  roleArn?: string;
  externalId?: string;
  awsRequestId?: string;
}

function result(a: PodIdentityAssociation | undefined, requestId: string | undefined, fallbackId: string): AssociationWriteResult {
  return {
    associationId: a?.associationId ?? fallbackId,
    associationArn: a?.associationArn,
    roleArn: a?.roleArn,
    externalId: a?.externalId,
    awsRequestId: requestId,
  };
}

export class EksWriter {
  constructor(private readonly pool: AwsClientPool) {}

  async createAssociation(location: AwsLocation, input: CreateAssociationInput): Promise<AssociationWriteResult> {
    try {
      const out = await this.pool.eksFor(location).send(new CreatePodIdentityAssociationCommand({ ...input }));
      return result(out.association, out.$metadata.requestId, "");
    } catch (e) {
      throw toAwsCallError("CreatePodIdentityAssociation", e);
    }
  }

  async updateAssociation(location: AwsLocation, input: UpdateAssociationInput): Promise<AssociationWriteResult> {
    try {
      const out = await this.pool.eksFor(location).send(new UpdatePodIdentityAssociationCommand({ ...input }));
      return result(out.association, out.$metadata.requestId, input.associationId);
    } catch (e) {
      throw toAwsCallError("UpdatePodIdentityAssociation", e);
    }
  }

  async deleteAssociation(location: AwsLocation, clusterName: string, associationId: string): Promise<AssociationWriteResult> {
    try {
      const out = await this.pool
        .eksFor(location)
        .send(new DeletePodIdentityAssociationCommand({ clusterName, associationId }));
      return result(out.association, out.$metadata.requestId, associationId);
    } catch (e) {
      throw toAwsCallError("DeletePodIdentityAssociation", e);
    }
  }
}
