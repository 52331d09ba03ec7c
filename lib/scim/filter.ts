// The SCIM filters IdPs send when they look a person up before creating them:
// `userName eq "alice@example.com"` (Okta, Entra ID), `externalId eq "..."`.
// Other filters are refused with scimType invalidFilter rather than ignored,
// so an IdP never mistakes "no filter applied" for "this is the match".
import { ScimError } from "./errors";

export interface Filter {
  attribute: "userName" | "externalId" | "id";
  value: string;
}

const ATTRIBUTES: Record<string, Filter["attribute"]> = { username: "userName", externalid: "externalId", id: "id" };

export function parseFilter(filter: string | undefined): Filter | null {
  if (filter === undefined || filter.trim() === "") return null;
  const m = /^\s*([A-Za-z][\w.:]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  const attribute = m && ATTRIBUTES[m[1]!.toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:user:/, "")];
  if (!m || !attribute) {
    throw new ScimError(400, `Unsupported filter ${JSON.stringify(filter.slice(0, 200))}: RoleGate supports userName eq "...", externalId eq "..." and id eq "...".`, "invalidFilter");
  }
  return { attribute, value: m[2]!.replace(/\\(.)/g, "$1") };
}
