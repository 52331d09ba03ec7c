"use client";
// "Create a new role" on the new-request form (a create-role item beside the
// create item, lib/requests/create-role): name and path, description, managed
// policies picked from IAM's AWS managed catalogue (searched on the server) or
// entered as customer managed ARNs, shown as removable chips; an inline policy
// checked with the server's grammar (its errors come back per field); the
// permissions boundary (locked when the administrators require one); session
// length; tags; and the trust the role will be born with, as the server
// generates it.
import { useRef, useState } from "react";
import { MAX_MANAGED_POLICIES, MAX_ROLE_TAGS, POLICY_ARN, POLICY_ARN_MESSAGE } from "@/lib/requests/create-role/limits";
import { Combobox } from "./combobox";
import { useServerSearch, useSettled } from "./use-search";

export interface RoleDraft {
  roleName: string;
  path: string;
  description: string;
  managedPolicyArns: string[];
  inlinePolicy: string;
  permissionsBoundaryArn: string;
  maxSessionDuration: number;
  /** One `key=value` a line. */
  tags: string;
}

export const emptyRoleDraft = (requiredBoundary: string | null): RoleDraft => ({
  roleName: "",
  path: "/",
  description: "",
  managedPolicyArns: [],
  inlinePolicy: "",
  permissionsBoundaryArn: requiredBoundary ?? "",
  maxSessionDuration: 3600,
  tags: "",
});

/** The tags text as a record, or what is wrong with it. */
export function parseTags(text: string): { tags: Record<string, string>; error: string | null } {
  const tags: Record<string, string> = {};
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const eq = line.indexOf("=");
    if (eq <= 0) return { tags, error: `Line ${i + 1} ("${line.slice(0, 40)}") is not key=value.` };
    tags[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  if (lines.length > MAX_ROLE_TAGS) return { tags, error: `At most ${MAX_ROLE_TAGS} tags.` };
  return { tags, error: null };
}

/** The create-role item of the batch (the server validates it again, field by field). */
export function roleItemOf(d: RoleDraft) {
  return {
    kind: "create-role" as const,
    roleName: d.roleName.trim(),
    path: d.path.trim(),
    description: d.description,
    managedPolicyArns: d.managedPolicyArns,
    inlinePolicy: d.inlinePolicy.trim(),
    permissionsBoundaryArn: d.permissionsBoundaryArn.trim(),
    maxSessionDuration: d.maxSessionDuration,
    tags: parseTags(d.tags).tags,
  };
}

/** The ARN the role will have in the cluster's account. */
export function bornArn(accountId: string, d: Pick<RoleDraft, "roleName" | "path">): string {
  return `arn:aws:iam::${accountId}:role${d.path.trim() || "/"}${d.roleName.trim()}`;
}

const HOURS = [1, 2, 4, 6, 8, 12];
const policyName = (arn: string) => arn.split("/").pop() ?? arn;

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string | null; children: React.ReactNode }) {
  return (
    <div className="text-sm">
      <label htmlFor={id} className="block">{label}</label>
      {children}
      <span id={`${id}-message`} className={`block text-xs ${error ? "text-red-700" : "text-slate-600"}`}>{error ?? hint}</span>
    </div>
  );
}

type Policies = { policies: { name: string; arn: string; path: string }[]; total: number };

/** Managed policies: the catalogue searched on the server, customer managed ARNs typed, both as chips removable by keyboard. */
function PolicyChips({ arns, onChange, accountId, error }: { arns: string[]; onChange: (arns: string[]) => void; accountId: string; error?: string | null }) {
  const [query, setQuery] = useState("");
  const [custom, setCustom] = useState("");
  const [customError, setCustomError] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const q = useSettled(query.trim());
  const full = arns.length >= MAX_MANAGED_POLICIES;
  const search = useServerSearch<Policies>({ key: "managed-policies", path: "/api/v1/managed-policies", params: { query: q, ...(accountId ? { accountId } : {}) }, what: "search IAM's managed policies" });
  const add = (arn: string) => {
    if (full || arns.includes(arn)) return;
    onChange([...arns, arn]);
  };
  const remove = (k: number) => {
    onChange(arns.filter((_, i) => i !== k));
    // The focus goes to the next chip's button (or the previous one), else back to the search.
    requestAnimationFrame(() => {
      const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>("button");
      const next = buttons?.[Math.min(k, (buttons?.length ?? 1) - 1)];
      (next ?? document.getElementById("create-role-catalogue-anchor")?.querySelector("input"))?.focus();
    });
  };
  const addCustom = () => {
    const arn = custom.trim();
    if (!POLICY_ARN.test(arn)) return setCustomError(`The ARN ${POLICY_ARN_MESSAGE}.`);
    if (arns.includes(arn)) return setCustomError("This policy is already in the list.");
    if (full) return setCustomError(`A role can have at most ${MAX_MANAGED_POLICIES} managed policies: remove one first.`);
    add(arn);
    setCustom("");
    setCustomError(null);
  };
  const hits = (search.data?.policies ?? []).filter((p) => !arns.includes(p.arn));
  return (
    <fieldset className="space-y-2 rounded border border-slate-300 p-2">
      <legend className="px-1 text-sm font-medium">Permission policies ({arns.length} of at most {MAX_MANAGED_POLICIES})</legend>
      <ul ref={listRef} aria-label="Policies to attach" data-testid="policy-chips" className="flex flex-wrap gap-1">
        {arns.length === 0 && <li className="text-xs text-slate-700">None yet: pick AWS managed policies below, enter customer managed ones, or write an inline policy.</li>}
        {arns.map((arn, k) => (
          <li key={arn} className="flex max-w-full items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-2 pr-1 text-xs text-indigo-950" title={arn}>
            <span className="break-all">{policyName(arn)}{arn.includes(":iam::aws:") ? "" : " (customer managed)"}</span>
            <button
              type="button"
              aria-label={`Remove ${policyName(arn)}`}
              onClick={() => remove(k)}
              onKeyDown={(e) => {
                if (e.key === "Delete" || e.key === "Backspace") {
                  e.preventDefault();
                  remove(k);
                }
              }}
              className="rounded-full px-1.5 hover:bg-indigo-200 focus:bg-indigo-200"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div id="create-role-catalogue-anchor">
        <Combobox
          label="AWS managed policy"
          value={query}
          onChange={setQuery}
          onPick={(arn) => {
            add(arn);
            setQuery("");
          }}
          filter={false}
          busy={query.trim() !== q || search.isFetching}
          disabled={full}
          placeholder="Search IAM's catalogue, e.g. S3 or ReadOnly"
          error={search.isError ? search.error.message : error}
          hint={full ? `A role can have at most ${MAX_MANAGED_POLICIES} managed policies: remove one to add another.` : search.data ? `${search.data.total} match in IAM's AWS managed catalogue${search.data.total > search.data.policies.length ? ` (first ${search.data.policies.length} shown)` : ""}.` : "Searching IAM's catalogue…"}
          empty="No AWS managed policy matches."
          options={hits.map((p) => ({
            value: p.arn,
            label: (
              <span className="block" data-testid="policy-option">
                <span className="font-medium">{p.name}</span>
                <span className="block break-all text-xs text-slate-600">{p.arn}</span>
              </span>
            ),
          }))}
        />
      </div>
      <div className="text-sm">
        <label htmlFor="create-role-custom-policy" className="block">Customer managed policy ARN</label>
        <div className="mt-1 flex flex-wrap gap-2">
          <input
            id="create-role-custom-policy"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addCustom();
              }
            }}
            aria-invalid={!!customError}
            aria-describedby="create-role-custom-policy-message"
            placeholder="arn:aws:iam::111122223333:policy/…"
            disabled={full}
            className="min-w-0 flex-1 rounded border px-2 py-1 font-mono text-xs"
          />
          <button type="button" onClick={addCustom} disabled={full} className="rounded border border-slate-400 px-2 py-1 text-xs disabled:opacity-60">Add policy</button>
        </div>
        <span id="create-role-custom-policy-message" className={`block text-xs ${customError ? "text-red-700" : "text-slate-600"}`}>{customError ?? "A policy of your own account, by its ARN."}</span>
      </div>
    </fieldset>
  );
}

export function CreateRoleFields({ draft, onChange, accountId, requiredBoundary, errors, bornRole, onLeave }: {
  draft: RoleDraft;
  onChange: (patch: Partial<RoleDraft>) => void;
  /** The account of the chosen cluster (the role is born there); "" before a cluster is picked. */
  accountId: string;
  requiredBoundary: string | null;
  /** Per field of the item (roleName, inlinePolicy, ...): the server's messages, or the form's own. */
  errors: Record<string, string | null | undefined>;
  /** The role as the server's prechecks plan it: its ARN and the trust it will be born with. */
  bornRole: { arn: string; trustPolicy: string } | null;
  onLeave: (field: string) => void;
}) {
  const input = "mt-1 block w-full rounded border px-2 py-1";
  const described = (id: string, field: string) => ({ id, "aria-describedby": `${id}-message`, "aria-invalid": !!errors[field], onBlur: () => onLeave(field) });
  const tagError = parseTags(draft.tags).error;
  return (
    <section aria-labelledby="create-role-heading" data-testid="create-role" className="space-y-3 rounded border border-slate-300 bg-slate-50 p-3">
      <h2 id="create-role-heading" className="font-semibold">The new role</h2>
      <p className="text-sm text-slate-700">The IAM team approves the role with the mapping; RoleGate creates it first, then the association.</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="create-role-name" label="Role name" hint="Letters, digits and + = , . @ _ - (at most 64)." error={errors.roleName}>
          <input {...described("create-role-name", "roleName")} value={draft.roleName} onChange={(e) => onChange({ roleName: e.target.value })} className={input} />
        </Field>
        <Field id="create-role-path" label="Path" hint="Begins and ends with /, e.g. /workloads/." error={errors.path}>
          <input {...described("create-role-path", "path")} value={draft.path} onChange={(e) => onChange({ path: e.target.value })} className={`${input} font-mono`} />
        </Field>
      </div>
      {accountId && draft.roleName.trim() && <p className="break-all text-xs text-slate-700">Its ARN: <span data-testid="born-arn" className="font-mono">{bornArn(accountId, draft)}</span></p>}
      <Field id="create-role-description" label="Description (optional)" error={errors.description}>
        <input {...described("create-role-description", "description")} value={draft.description} onChange={(e) => onChange({ description: e.target.value })} className={input} />
      </Field>
      <PolicyChips arns={draft.managedPolicyArns} onChange={(managedPolicyArns) => onChange({ managedPolicyArns })} accountId={accountId} error={errors.managedPolicyArns} />
      <Field id="create-role-inline" label="Inline policy (optional JSON)" hint="Checked against IAM's policy grammar and size limit when you leave the field." error={errors.inlinePolicy}>
        <textarea {...described("create-role-inline", "inlinePolicy")} value={draft.inlinePolicy} onChange={(e) => onChange({ inlinePolicy: e.target.value })} rows={5} spellCheck={false} placeholder='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}' className={`${input} font-mono text-xs`} />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          id="create-role-boundary"
          label="Permissions boundary"
          hint={requiredBoundary ? "Required by your administrators for every new role: it cannot be changed here." : "Optional: a managed policy ARN that caps what the role can ever do."}
          error={errors.permissionsBoundaryArn}
        >
          <input
            {...described("create-role-boundary", "permissionsBoundaryArn")}
            value={draft.permissionsBoundaryArn}
            readOnly={!!requiredBoundary}
            onChange={(e) => onChange({ permissionsBoundaryArn: e.target.value })}
            className={`${input} font-mono text-xs ${requiredBoundary ? "bg-slate-100 text-slate-800" : ""}`}
          />
        </Field>
        <Field id="create-role-session" label="Maximum session duration" error={errors.maxSessionDuration}>
          <select {...described("create-role-session", "maxSessionDuration")} value={draft.maxSessionDuration} onChange={(e) => onChange({ maxSessionDuration: Number(e.target.value) })} className={input}>
            {HOURS.map((h) => <option key={h} value={h * 3600}>{h} hour{h > 1 ? "s" : ""}</option>)}
          </select>
        </Field>
      </div>
      <Field id="create-role-tags" label="Tags (optional, one key=value a line)" error={errors.tags ?? tagError}>
        <textarea {...described("create-role-tags", "tags")} value={draft.tags} onChange={(e) => onChange({ tags: e.target.value })} rows={2} spellCheck={false} placeholder="team=data-science" className={`${input} font-mono text-xs`} />
      </Field>
      <div className="text-sm">
        <h3 className="font-medium">The trust it will be born with</h3>
        {bornRole ? (
          <>
            <p className="text-xs text-slate-700">Only EKS Pod Identity, only from this account and the request&apos;s clusters (aws:SourceAccount, aws:SourceArn): no other association in the account can use the role.</p>
            <pre data-testid="born-trust" tabIndex={0} aria-label="Generated trust policy" className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded border bg-white p-2 font-mono text-xs">{JSON.stringify(JSON.parse(bornRole.trustPolicy), null, 2)}</pre>
          </>
        ) : (
          <p className="text-xs text-slate-700" data-testid="born-trust-pending">Pick the cluster and service account and name the role: the server generates the trust here, with the prechecks.</p>
        )}
      </div>
    </section>
  );
}
