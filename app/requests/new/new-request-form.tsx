"use client";
// Filing is picking: the cluster from the watched ones, namespace and service
// account from the inventory (a new name is checked as it is typed), the role
// from a picker. Prechecks run as soon as cluster, service account and role are
// known, before the justification; each field is checked when it is left.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createRequestAction } from "@/lib/actions/create-request";
import type { FilingChoices, Prefill } from "@/lib/inventory/views/filing-choices";
import { namespaceError, serviceAccountError } from "@/lib/trust/names";
import { Combobox } from "./combobox";
import { FilingPrechecks, type Check } from "./filing-prechecks";
import { RolePicker } from "./role-picker";
import { useLivePrechecks } from "./use-live-prechecks";

type Kind = "create" | "update" | "delete";

export function NewRequestForm({ choices, prefill }: { choices: FilingChoices; prefill: Partial<Prefill> }) {
  const router = useRouter();
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
  const [left, setLeft] = useState<Record<string, boolean>>({});
  const [serverFields, setServerFields] = useState<Record<string, string[]>>({});
  const leave = (name: string) => () => setLeft((l) => ({ ...l, [name]: true }));

  const clusterSas = choices.serviceAccounts.filter((s) => s.cluster === cluster);
  const namespaces = [...new Set(clusterSas.map((s) => s.namespace))];
  const sas = clusterSas.filter((s) => s.namespace === namespace);
  const existingSa = sas.find((s) => s.name === serviceAccount);
  const expiry = expiresAt ? new Date(expiresAt) : null;

  // Checked as typed (names) or when left (the rest); the server checks everything again.
  const errors: Record<string, string | null> = {
    cluster: left.cluster && !cluster ? "Pick the cluster the workload runs on." : null,
    namespace: namespace || left.namespace ? namespaceError(namespace) : null,
    serviceAccount: serviceAccount || left.serviceAccount ? serviceAccountError(serviceAccount) : null,
    roleArn: left.roleArn && kind !== "delete" && !roleArn ? "Pick the role the pods should become." : null,
    mappingExpiresAt: expiry && !(expiry.getTime() > Date.now()) ? "The expiry must be in the future." : null,
    justification: left.justification && justification.trim().length < 10 ? "Explain why in at least 10 characters." : null,
  };
  const shown = (name: string) => errors[name] ?? serverFields[name]?.join(", ") ?? null;

  const body = {
    kind,
    cluster,
    namespace,
    serviceAccount,
    roleArn,
    targetRoleArn,
    disableSessionTags,
    sessionPolicy,
    tags: {},
    mappingExpiresAt: expiry && !errors.mappingExpiresAt ? expiry.toISOString() : "",
    includeIamFixes,
  };
  const ready = !!cluster && !namespaceError(namespace) && !serviceAccountError(serviceAccount) && (kind === "delete" || !!roleArn);
  const live = useLivePrechecks(ready ? { kind, cluster, namespace, serviceAccount, roleArn, targetRoleArn, disableSessionTags, sessionPolicy, tags: {} } : null);

  const submit = useMutation({
    mutationFn: async () => {
      const r = await createRequestAction({ ...body, justification });
      setServerFields(r.ok ? {} : (r.error.fields ?? {}));
      if (!r.ok) throw new Error(r.error.message);
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
    <form className="space-y-4" onSubmit={(e) => { e.preventDefault(); submit.mutate(); }} noValidate>
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
      <RolePicker label="Role" roles={choices.roles} cluster={cluster} value={roleArn} onChange={setRoleArn} onLeave={leave("roleArn")} error={shown("roleArn")} />
      {live.checks && <FilingPrechecks checks={live.checks} running={live.running} added={added} onAddFix={addFix} />}
      {live.error && <p role="alert" className="text-sm text-red-700">{live.error}</p>}
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
          <RolePicker label="Target role (optional, cross-account chaining)" roles={choices.roles} cluster={cluster} value={targetRoleArn} onChange={setTargetRoleArn} error={serverFields.targetRoleArn?.join(", ")} optional />
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
    </form>
  );
}
