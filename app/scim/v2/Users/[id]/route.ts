// SCIM 2.0 /Users/{id}: read, replace, patch (active=false deactivates), delete.
// Operations and wire format: lib/scim (endpoints.ts, run by the one pipeline).
import { deleteUser, getUser, patchUser, replaceUser } from "@/lib/scim/endpoints";
import { serveScim } from "@/lib/scim/http";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export function GET(request: Request, context: Params): Promise<Response> {
  return serveScim(getUser, request, context);
}

export function PUT(request: Request, context: Params): Promise<Response> {
  return serveScim(replaceUser, request, context);
}

export function PATCH(request: Request, context: Params): Promise<Response> {
  return serveScim(patchUser, request, context);
}

export function DELETE(request: Request, context: Params): Promise<Response> {
  return serveScim(deleteUser, request, context);
}
