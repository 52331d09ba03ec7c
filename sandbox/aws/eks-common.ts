// Helpers shared by the EKS operation modules: cluster lookup in the caller's
// account and region, and the list-call parameters every EKS List* shares.
import type { SandboxContext } from "../context";
import type { SandboxCluster } from "../model";
import type { Caller } from "./accounts";
import { AwsError } from "./errors";
import { decodeToken } from "./paging";

export interface EksCall {
  ctx: SandboxContext;
  caller: Caller;
  region: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export function invalidParameter(message: string, fields: Record<string, string | undefined> = {}): AwsError {
  return new AwsError("InvalidParameterException", message, 400, fields);
}

export function clustersOf(call: EksCall): Record<string, SandboxCluster> | undefined {
  return call.ctx.world.accounts[call.caller.accountId]?.regions[call.region]?.clusters;
}

export function clusterOrThrow(call: EksCall, name: string): SandboxCluster {
  const cluster = clustersOf(call)?.[name];
  if (!cluster) {
    throw new AwsError("ResourceNotFoundException", `No cluster found for name: ${name}.`, 404, { clusterName: name });
  }
  return cluster;
}

/** maxResults / nextToken of EKS List* calls; EKS rejects out-of-range sizes rather than clamping. */
export function listParams(call: EksCall, defaultMax = 100): { maxResults: number; after?: string } {
  const raw = call.query.get("maxResults");
  let maxResults = defaultMax;
  if (raw !== null) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      throw invalidParameter("maxResults must be between 1 and 100");
    }
    maxResults = n;
  }
  const token = call.query.get("nextToken");
  if (token === null || token === "") return { maxResults };
  const after = decodeToken(token);
  if (after === null) throw invalidParameter("The nextToken provided is invalid.");
  return { maxResults, after };
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidParameter(`${name} must be a string`);
  return v;
}

export function requiredString(body: Record<string, unknown>, name: string): string {
  const v = optionalString(body, name);
  if (v === undefined || v === "") throw invalidParameter(`${name} is required and cannot be empty`);
  return v;
}

export function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw invalidParameter(`${name} must be a boolean`);
  return v;
}

export function tagMap(body: Record<string, unknown>): Record<string, string> {
  const v = body.tags;
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string")) {
    throw invalidParameter("tags must be a map of strings");
  }
  const tags = v as Record<string, string>;
  if (Object.keys(tags).length > 50) throw invalidParameter("Too many tags: a resource can have at most 50 tags");
  return { ...tags };
}
