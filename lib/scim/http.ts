import "server-only";
// The HTTP face of SCIM: its own bearer secret (ROLEGATE_SCIM_TOKEN, compared in
// constant time), SCIM error bodies, application/scim+json. Route files stay thin.
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { ScimError, scimErrorResponse } from "./errors";
import type { ScimDeps } from "./users";

/** IdPs send one user at a time: anything bigger is not a SCIM user. */
const MAX_BODY_BYTES = 256 * 1024;

const digest = (s: string) => createHash("sha256").update(s).digest();

function authorize(request: Request, secret: string): void {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!presented || !timingSafeEqual(digest(presented), digest(secret))) {
    throw new ScimError(401, "Authentication failed: send the SCIM secret (ROLEGATE_SCIM_TOKEN) as a Bearer token.");
  }
}

export async function readScimBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ScimError(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new ScimError(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, "The body is not valid JSON.", "invalidSyntax");
  }
}

/** Runs a SCIM operation: 404 when SCIM is off, 401 without the secret, SCIM errors for the rest. */
export async function handleScim(request: Request, run: (deps: ScimDeps) => Promise<Response>): Promise<Response> {
  try {
    const config = getConfig();
    if (!config.scim) throw new ScimError(404, "SCIM provisioning is not enabled on this RoleGate (set ROLEGATE_SCIM_TOKEN).");
    authorize(request, config.scim.token);
    const baseUrl = config.publicUrl ?? new URL(request.url).origin;
    return await run({ prisma: await getPrisma(), mode: config.mode, baseUrl });
  } catch (e) {
    if (e instanceof ScimError) {
      const res = scimErrorResponse(e);
      if (e.status === 401) res.headers.set("www-authenticate", 'Bearer realm="rolegate-scim"');
      return res;
    }
    const requestId = randomUUID();
    console.error(JSON.stringify({ level: "error", requestId, action: "scim", error: (e as Error).message, stack: (e as Error).stack }));
    return scimErrorResponse(new ScimError(500, `Something went wrong on RoleGate's side (request ${requestId}).`));
  }
}
