// SCIM 2.0 /Users for IdP provisioning (Okta, Entra ID): list/filter and create. Logic: lib/scim.
import { handleScim, readScimBody } from "@/lib/scim/http";
import { scimJson } from "@/lib/scim/errors";
import { createScimUser, listScimUsers } from "@/lib/scim/users";

export const dynamic = "force-dynamic";

/** GET /scim/v2/Users?filter=userName eq "..."&startIndex=1&count=100 */
export async function GET(request: Request): Promise<Response> {
  return handleScim(request, async (deps) => {
    const q = new URL(request.url).searchParams;
    return scimJson(await listScimUsers(deps, { filter: q.get("filter") ?? undefined, startIndex: q.get("startIndex") ?? undefined, count: q.get("count") ?? undefined }));
  });
}

/** POST /scim/v2/Users: 201 with the resource and its Location. */
export async function POST(request: Request): Promise<Response> {
  return handleScim(request, async (deps) => {
    const user = await createScimUser(deps, await readScimBody(request));
    return scimJson(user, 201, { location: user.meta.location });
  });
}
