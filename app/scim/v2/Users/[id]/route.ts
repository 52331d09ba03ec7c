// SCIM 2.0 /Users/{id}: read, replace, patch (active=false deactivates), delete. Logic: lib/scim.
import { handleScim, readScimBody } from "@/lib/scim/http";
import { scimJson } from "@/lib/scim/errors";
import { deleteScimUser, getScimUser, patchScimUser, replaceScimUser } from "@/lib/scim/users";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Params): Promise<Response> {
  return handleScim(request, async (deps) => scimJson(await getScimUser(deps, (await params).id)));
}

export async function PUT(request: Request, { params }: Params): Promise<Response> {
  return handleScim(request, async (deps) => scimJson(await replaceScimUser(deps, (await params).id, await readScimBody(request))));
}

export async function PATCH(request: Request, { params }: Params): Promise<Response> {
  return handleScim(request, async (deps) => scimJson(await patchScimUser(deps, (await params).id, await readScimBody(request))));
}

export async function DELETE(request: Request, { params }: Params): Promise<Response> {
  return handleScim(request, async (deps) => {
    await deleteScimUser(deps, (await params).id);
    return new Response(null, { status: 204 });
  });
}
