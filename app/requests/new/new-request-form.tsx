"use client";
// Filing is picking: the cluster from the watched ones, namespace and service
// account from the inventory (a new name is checked as it is typed), the role
// from a picker. Prechecks run as soon as cluster, service account and role are
// known, before the justification; each field is checked when it is left.
// "Create a new role" files a batch instead: a create-role item (the role born
// behind approval, create-role-fields.tsx) and the create item naming its ARN.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { createRequestAction } from "@/lib/actions/create-request";
import { useHydrated } from "@/app/components/ui";
import type { FormChoices, Prefill } from "@/lib/inventory/views/filing-choices";
import { namespaceError, serviceAccountError } from "@/lib/trust/names";
import { Combobox } from "./combobox";
import { bornArn, CreateRoleFields, emptyRoleDraft, parseTags, roleItemOf, type RoleDraft } from "./create-role-fields";
import { FilingPrechecks, type Check } from "./filing-prechecks";
import { RolePicker } from "./role-picker";
import { useLivePrechecks } from "./use-live-prechecks";

type Kind = "create" | "update" | "delete";
type RoleMode = "existing" | "new";
/** In a batch of a new role, its create-role item comes first and the mapping second: the server names their fields so. */
const ROLE_ITEM = "items.0.";
const MAPPING_ITEM = "items.1.";

/** The server's field errors of one item of the batch, by field name. */
function fieldsOf(fields: Record<string, string[]>, prefix: string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
}

export function NewRequestForm({ choices, prefill, requiredBoundary }: { choices: FormChoices; prefill: Partial<Prefill>; requiredBoundary: string | null }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [kind, setKind] = useState<Kind>("create");
  const [cluster, setCluster] = useState(prefill.cluster ?? "");
  const [namespace, setNamespace] = useState(prefill.namespace ?? "domino-compute");
  const [serviceAccount, setServiceAccount] = useState(prefill.serviceAccount ?? "");
  const [roleArn, setRoleArn] = useState(prefill.roleArn ?? "");
  const [targetRoleArn, setTargetRoleArn] = useState("");
  const [expiresAt, setExpiresAt] = useState("");
  const [sessionPolicy, setSessionPolicy] = useState("");
  const [justification, setJustification] = useState("");
  const [disableSessionTags, setDisableSessionTags] = useState(false);
  const [includeIamFixes, setIncludeIamFixes] = useState(false);
  const [roleMode, setRoleMode] = useState<RoleMode>("existing");
  const [draft, setDraft] = useState<RoleDraft>(() => emptyRoleDraft(requiredBoundary));
  // What the live prechecks see of the new role: text fields as of when they were left, picks at once.
  const [checkedDraft, setCheckedDraft] = useState<RoleDraft>(draft);
  const [left, setLeft] = useState<Record<string, boolean>>({});
  const [serverFields, setServerFields] = useState<Record<string, string[]>>({});
  const leave = (name: string) => () => setLeft((l) => ({ ...l, [name]: true }));

  const clusterSas = choices.serviceAccounts.filter((s) => s.cluster === cluster);
  const namespaces = [...new Set(clusterSas.map((s) => s.namespace))];
  const sas = clusterSas.filter((s) => s.namespace === namespace);
  const existingSa = sas.find((s) => s.name === serviceAccount);
  const expiry = expiresAt ? new Date(expiresAt) : null;
  const newRole = roleMode === "new" && kind === "create";
  const account = choices.clusters.find((c) => c.name === cluster)?.accountId ?? "";
  const mappingRoleArn = newRole ? (account && draft.roleName.trim() ? bornArn(account, draft) : "") : roleArn;
  const updateDraft = (patch: Partial<RoleDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if ("managedPolicyArns" in patch || "maxSessionDuration" in patch) setCheckedDraft(next);
  };

  // Checked as typed (names) or when left (the rest); the server checks everything again.
  const errors: Record<string, string | null> = {
    cluster: left.cluster && !cluster ? "Pick the cluster the workload runs on." : null,
    namespace: namespace || left.namespace ? namespaceError(namespace) : null,
    serviceAccount: serviceAccount || left.serviceAccount ? serviceAccountError(serviceAccount) : null,
    roleArn: left.roleArn && kind !== "delete" && !newRole && !roleArn ? "Pick the role the pods should become." : null,
    roleName: newRole && left.roleName && !draft.roleName.trim() ? "Name the new role." : null,
    mappingExpiresAt: expiry && !(expiry.getTime() > Date.now()) ? "The expiry must be in the future." : null,
    justification: left.justification && justification.trim().length < 10 ? "Explain why in at least 10 characters." : null,
  };
  const mappingItem = { kind, cluster, namespace, serviceAccount, roleArn: mappingRoleArn, targetRoleArn, disableSessionTags, sessionPolicy, tags: {} };
  const ready = !!cluster && !namespaceError(namespace) && !serviceAccountError(serviceAccount) && (kind === "delete" || !!mappingRoleArn);
  const checkedRoleReady = !!account && !!checkedDraft.roleName.trim() && !parseTags(checkedDraft.tags).error;
  // A new role: the batch the form would file (create-role item, then the create item naming its ARN), checked as one.
  const live = useLivePrechecks(
    !ready ? null
    : newRole ? (checkedRoleReady ? { kind: "batch", items: [roleItemOf(checkedDraft), { ...mappingItem, roleArn: bornArn(account, checkedDraft) }] } : null)
    : mappingItem,
  );
  // The server's messages per field: from filing, else from the live prechecks' 400.
  const server = Object.keys(serverFields).length ? serverFields : live.fields;
  const mappingServer = newRole ? fieldsOf(server, MAPPING_ITEM) : server;
  const roleServer = newRole ? fieldsOf(server, ROLE_ITEM) : {};
  const shown = (name: string) => errors[name] ?? mappingServer[name]?.join(", ") ?? null;
  const roleErrors = Object.fromEntries(["roleName", "path", "description", "managedPolicyArns", "inlinePolicy", "permissionsBoundaryArn", "maxSessionDuration", "tags"].map((f) => [f, errors[f] ?? roleServer[f]?.join(", ") ?? null]));
  const bornRole = newRole ? live.bornRoles[0] ?? null : null;

  const mapping = { ...mappingItem, mappingExpiresAt: expiry && !errors.mappingExpiresAt ? expiry.toISOString() : "" };
  const body = newRole
    ? { kind: "batch", includeIamFixes, items: [roleItemOf(draft), mapping] }
    : { ...mapping, includeIamFixes };

  // A filing's field errors hold until the form changes; then the live prechecks answer for the fields again.
  const bodyKey = JSON.stringify(body);
  useEffect(() => setServerFields({}), [bodyKey]);

  const submit = useMutation({
    mutationFn: async () => {
      if (newRole && parseTags(draft.tags).error) throw new Error(`Tags: ${parseTags(draft.tags).error} Fix them, then submit again.`);
      const r = await createRequestAction({ ...body, justification });
      setServerFields(r.ok ? {} : (r.error.fields ?? {}));
      if (!r.ok) throw new Error(r.error.fields ? "The request was not filed: fix the fields marked in red, then submit again." : r.error.message);
      return r.data;
    },
    onSuccess: (data) => router.push(`/requests/${data.id}`),
  });

  const fixOf = (c: Check) => (c.fix?.json ?? {}) as { roleArn?: string; disableSessionTags?: boolean };
  const added = (c: Check) =>
    c.fix?.kind === "trust-policy" || c.fix?.kind === "node-role-policy" ? includeIamFixes
    : c.fix?.kind === "request" ? kind === "update"
    : fixOf(c).disableSessionTags ? disableSessionTags
    : fixOf(c).roleArn !== undefined && roleArn === fixOf(c).roleArn;
  const addFix = (c: Check) => {
    if (c.fix?.kind === "trust-policy" || c.fix?.kind === "node-role-policy") setIncludeIamFixes(true);
    else if (c.fix?.kind === "request") setKind("update");
    else if (fixOf(c).disableSessionTags) setDisableSessionTags(true);
    else if (fixOf(c).roleArn) setRoleArn(fixOf(c).roleArn!);
  };

  return (
    <form onSubmit={(e) => { e.preventDefault(); submit.mutate(); }} noValidate>
      {/* Until the page is interactive, what is typed or picked would be reset by hydration: the controls wait. */}
      <fieldset disabled={!hydrated} className="m-0 min-w-0 space-y-4 border-0 p-0">
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="block text-sm">What to do
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} className="mt-1 block w-full rounded border px-2 py-1">
            <option value="create">Create a mapping</option>
            <option value="update">Change the role of an existing mapping</option>
            <option value="delete">Remove a mapping</option>
          </select>
        </label>
        <div className="text-sm">
          <label htmlFor="filing-cluster" className="block">Cluster</label>
          <select id="filing-cluster" name="cluster" value={cluster} onChange={(e) => setCluster(e.target.value)} onBlur={leave("cluster")} aria-invalid={!!shown("cluster")} className="mt-1 block w-full rounded border px-2 py-1">
            <option value="">Pick a watched cluster…</option>
            {choices.clusters.map((c) => <option key={c.name} value={c.name}>{c.name} ({c.region}, account {c.accountId})</option>)}
          </select>
          <span className="block text-xs text-red-700">{shown("cluster")}</span>
        </div>
        <Combobox
          label="Namespace"
          value={namespace}
          onChange={setNamespace}
          onLeave={leave("namespace")}
          options={namespaces.map((n) => ({ value: n, label: n }))}
          error={shown("namespace")}
          empty={cluster ? "No service account of this cluster is in such a namespace yet." : "Pick a cluster first."}
        />
        <Combobox
          label="Service account"
          value={serviceAccount}
          onChange={setServiceAccount}
          onLeave={leave("serviceAccount")}
          options={sas.map((s) => ({
            value: s.name,
            label: <span>{s.name}{s.podIdentity === "unsupported" && <span className="ml-2 text-xs text-amber-900">its pods run where Pod Identity cannot work</span>}</span>,
          }))}
          error={shown("serviceAccount")}
          hint={serviceAccount && !existingSa ? "A new service account: create it in Kubernetes before its pods start." : existingSa ? "An existing service account." : `${sas.length} existing in this namespace.`}
          empty="No existing service account matches: the name you type will be a new one."
        />
      </div>
      {kind === "create" && (
        <fieldset className="text-sm">
          <legend className="mb-1">The role the pods become</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            <label className="flex items-center gap-1"><input type="radio" name="roleMode" value="existing" checked={roleMode === "existing"} onChange={() => setRoleMode("existing")} /> Pick an existing role</label>
            <label className="flex items-center gap-1"><input type="radio" name="roleMode" value="new" checked={roleMode === "new"} onChange={() => setRoleMode("new")} /> Create a new role</label>
          </div>
        </fieldset>
      )}
      {newRole ? (
        <CreateRoleFields
          draft={draft}
          onChange={updateDraft}
          accountId={account}
          requiredBoundary={requiredBoundary}
          errors={roleErrors}
          bornRole={bornRole}
          onLeave={(field) => {
            setLeft((l) => ({ ...l, [field]: true }));
            setCheckedDraft(draft);
          }}
        />
      ) : (
        <RolePicker label="Role" suggestions={choices.roleSuggestions} total={choices.roleTotal} known={choices.prefilledRole} cluster={cluster} value={roleArn} onChange={setRoleArn} onLeave={leave("roleArn")} error={shown("roleArn")} />
      )}
      {live.checks && <FilingPrechecks checks={live.checks} running={live.running} added={added} onAddFix={addFix} />}
      {live.error && <p role="alert" className="text-sm text-red-700">{Object.keys(live.fields).length ? "The prechecks run once the fields marked in red are fixed." : live.error}</p>}
      {includeIamFixes && (
        <p className="text-sm text-slate-800" data-testid="iam-fixes-included">
          The suggested IAM changes are part of this request: the IAM team approves them and RoleGate applies them before the association.{" "}
          <button type="button" onClick={() => setIncludeIamFixes(false)} className="underline">Remove them</button>
        </p>
      )}
      <label className="block text-sm">Mapping expires (optional)
        <input type="datetime-local" name="mappingExpiresAt" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} onBlur={leave("mappingExpiresAt")} aria-invalid={!!shown("mappingExpiresAt")} className="mt-1 block rounded border px-2 py-1" />
        <span className="block text-xs text-slate-600">Time-bound access: RoleGate removes the mapping at this time (your local time).</span>
        <span className="block text-xs text-red-700">{shown("mappingExpiresAt")}</span>
      </label>
      <details className="text-sm">
        <summary className="cursor-pointer">More options</summary>
        <div className="mt-2 space-y-3">
          <RolePicker label="Target role (optional, cross-account chaining)" suggestions={choices.roleSuggestions} total={choices.roleTotal} cluster={cluster} value={targetRoleArn} onChange={setTargetRoleArn} error={mappingServer.targetRoleArn?.join(", ")} optional />
          <label className="block"><input type="checkbox" checked={disableSessionTags} onChange={(e) => setDisableSessionTags(e.target.checked)} /> Turn session tags off</label>
          <label className="block">Session policy (optional JSON)
            <textarea name="sessionPolicy" value={sessionPolicy} onChange={(e) => setSessionPolicy(e.target.value)} rows={3} className="mt-1 block w-full rounded border px-2 py-1 font-mono text-xs" />
            <span className="block text-xs text-red-700">{shown("sessionPolicy")}</span>
          </label>
        </div>
      </details>
      <label className="block text-sm">Justification
        <textarea name="justification" value={justification} onChange={(e) => setJustification(e.target.value)} onBlur={leave("justification")} rows={3} aria-invalid={!!shown("justification")} className="mt-1 block w-full rounded border px-2 py-1" />
        <span className="block text-xs text-red-700">{shown("justification")}</span>
      </label>
      <button type="submit" disabled={submit.isPending} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-60">Submit request</button>
      {submit.error && <p role="alert" className="text-sm text-red-700">{submit.error.message}</p>}
      </fieldset>
    </form>
  );
}
