// SCIM PATCH (RFC 7644 section 3.5.2) for the attributes RoleGate keeps, in the
// forms Okta and Entra ID send: {op:"replace", value:{active:false}},
// {op:"Replace", path:"active", value:"False"}, paths such as "name.givenName"
// or 'emails[type eq "work"].value'. Attributes RoleGate does not keep are ignored.
import { z } from "zod";
import { ScimError } from "./errors";
import { PATCH_SCHEMA, type UserInput } from "./resource";

const operationSchema = z.object({
  op: z.string().transform((s) => s.toLowerCase()).pipe(z.enum(["add", "replace", "remove"], "op must be add, replace or remove")),
  path: z.string().max(300).optional(),
  value: z.unknown().optional(),
}).loose();

/** The PatchOp body (the SCIM PATCH operation's input schema, lib/scim/operations.ts). */
export const patchSchema = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(PATCH_SCHEMA), `schemas must include ${PATCH_SCHEMA}`),
  Operations: z.array(operationSchema).min(1, "Operations must list at least one operation").max(100, "at most 100 operations"),
}).loose();

type Draft = Record<string, unknown> & { name?: Record<string, unknown>; emails?: Record<string, unknown>[] };

function setPath(draft: Draft, path: string, value: unknown, remove: boolean): void {
  const p = path.trim();
  const lower = p.toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:user:/, "");
  const simple = ["active", "username", "externalid", "displayname"];
  if (simple.includes(lower)) {
    const key = { active: "active", username: "userName", externalid: "externalId", displayname: "displayName" }[lower]!;
    if (remove) {
      if (key === "userName" || key === "active") throw new ScimError(400, `${key} cannot be removed`, "mutability");
      draft[key] = null;
    } else draft[key] = value;
    return;
  }
  const name = /^name\.(givenname|familyname|formatted)$/.exec(lower);
  if (name) {
    const key = { givenname: "givenName", familyname: "familyName", formatted: "formatted" }[name[1]!]!;
    draft.name = { ...(draft.name ?? {}), [key]: remove ? undefined : value };
    return;
  }
  if (lower === "name") {
    draft.name = remove ? undefined : (value as Record<string, unknown>);
    return;
  }
  if (lower === "emails" || /^emails\[.*\]\.value$/.test(lower)) {
    if (remove) draft.emails = [];
    else if (lower === "emails") draft.emails = Array.isArray(value) ? (value as Record<string, unknown>[]) : [value as Record<string, unknown>];
    else draft.emails = [{ value, type: "work", primary: true }];
    return;
  }
  if (/[^\w.:\-\[\]" ]/.test(p)) throw new ScimError(400, `"${p}" is not an attribute path`, "invalidPath");
  // Attributes RoleGate does not keep (title, locale, enterprise extension...): accepted, ignored.
}

export type PatchOperation = z.infer<typeof operationSchema>;

/** Applies the (validated) operations to the current resource; the result is validated like a PUT body. */
export function applyPatch(current: UserInput, operations: readonly PatchOperation[]): unknown {
  const draft: Draft = structuredClone(current) as Draft;
  for (const op of operations) {
    if (op.path) {
      setPath(draft, op.path, op.value, op.op === "remove");
      continue;
    }
    if (op.op === "remove") throw new ScimError(400, "remove needs a path", "noTarget");
    if (!op.value || typeof op.value !== "object" || Array.isArray(op.value)) {
      throw new ScimError(400, `${op.op} without a path needs an object value of attributes`, "invalidValue");
    }
    for (const [key, value] of Object.entries(op.value as Record<string, unknown>)) setPath(draft, key, value, false);
  }
  return draft;
}
