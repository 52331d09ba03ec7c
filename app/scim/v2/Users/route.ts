// SCIM 2.0 /Users for IdP provisioning (Okta, Entra ID): list/filter and create.
// Operations and wire format: lib/scim (endpoints.ts, run by the one pipeline).
import { createUser, listUsers } from "@/lib/scim/endpoints";
import { serveScim } from "@/lib/scim/http";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return serveScim(listUsers, request);
}

export function POST(request: Request): Promise<Response> {
  return serveScim(createUser, request);
}
