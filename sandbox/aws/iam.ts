// IAM over awsQuery (Version 2010-05-08). Operations live in iam-roles.ts,
// iam-managed.ts and iam-oidc.ts; this module only maps Action names and renders the wire shape.
import type { SandboxContext } from "../context";
import type { Caller } from "./accounts";
import { AwsError } from "./errors";
import { managedPolicyOperations } from "./iam-managed";
import { oidcOperations } from "./iam-oidc";
import { roleOperations } from "./iam-roles";
import { parseQueryParams, queryError, queryResult } from "./query-protocol";
import type { AwsRequest, AwsResponse, RoutedCall } from "./wire";

const IAM_XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/";
const operations = { ...roleOperations, ...managedPolicyOperations, ...oidcOperations };

export function routeIam(ctx: SandboxContext, caller: Caller, req: AwsRequest): RoutedCall {
  const params = parseQueryParams(req.query, req.body, String(req.headers["content-type"] ?? ""));
  const action = params.Action ?? "";
  const op = Object.prototype.hasOwnProperty.call(operations, action) ? operations[action] : undefined;
  if (!op) {
    throw new AwsError("InvalidAction", `Could not find operation ${action} for version ${params.Version ?? "NO_VERSION_SPECIFIED"}`, 400);
  }
  const routed: RoutedCall = {
    operation: action,
    execute: () => {
      const account = ctx.world.accounts[caller.accountId];
      if (!account) throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
      const result = op(ctx, account, params);
      routed.result = result;
      return queryResult(action, IAM_XMLNS, req.requestId, result);
    },
  };
  return routed;
}

export function iamError(err: AwsError, requestId: string): AwsResponse {
  return queryError(err, IAM_XMLNS, requestId);
}
