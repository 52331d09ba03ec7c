import "server-only";
// The SCIM 2.0 /Users endpoints: which operation each method runs, what it reads
// and how its result is answered (RFC 7644: 201 with Location on create, 204 on
// delete, ListResponse for queries). app/scim/v2/Users/** serve them.
import type { User } from "@/lib/db/generated/client";
import { scimJson } from "./errors";
import type { ScimEndpoint } from "./http";
import { scimCreateUserOp, scimDeleteUserOp, scimGetUserOp, scimListUsersOp, scimPatchUserOp, scimReplaceUserOp } from "./operations";
import { LIST_SCHEMA, toScimUser } from "./resource";
import type { ScimUserChange, ScimUserPage } from "./users";

const userResponse = (r: ScimUserChange, baseUrl: string) => scimJson(toScimUser(r.user, baseUrl));

/** GET /scim/v2/Users?filter=userName eq "..."&startIndex=1&count=100 */
export const listUsers: ScimEndpoint<ScimUserPage> = {
  op: scimListUsersOp,
  reads: { query: ["filter", "startIndex", "count"] },
  render: (page, baseUrl) =>
    scimJson({ schemas: [LIST_SCHEMA], totalResults: page.total, startIndex: page.startIndex, itemsPerPage: page.rows.length, Resources: page.rows.map((u) => toScimUser(u, baseUrl)) }),
};

/** POST /scim/v2/Users: 201 with the resource and its Location. */
export const createUser: ScimEndpoint<ScimUserChange> = {
  op: scimCreateUserOp,
  reads: "body",
  invalid: "invalidValue",
  render: (r, baseUrl) => {
    const user = toScimUser(r.user, baseUrl);
    return scimJson(user, 201, { location: user.meta.location });
  },
};

export const getUser: ScimEndpoint<User> = {
  op: scimGetUserOp,
  render: (user, baseUrl) => scimJson(toScimUser(user, baseUrl)),
};

export const replaceUser: ScimEndpoint<ScimUserChange> = { op: scimReplaceUserOp, reads: "body", invalid: "invalidValue", render: userResponse };

export const patchUser: ScimEndpoint<ScimUserChange> = { op: scimPatchUserOp, reads: "body", invalid: "invalidSyntax", render: userResponse };

export const deleteUser: ScimEndpoint<Awaited<ReturnType<typeof scimDeleteUserOp.handler>>> = { op: scimDeleteUserOp, render: () => new Response(null, { status: 204 }) };
