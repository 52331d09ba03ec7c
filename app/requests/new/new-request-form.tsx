"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createRequestAction } from "@/lib/actions/create-request";
import { runPrechecksAction } from "@/lib/actions/run-prechecks";
import type { ActionResult } from "@/lib/core/errors";
import { PrechecksList } from "../prechecks-list";

const FIELDS = [
  { name: "cluster", label: "Cluster", placeholder: "domino-green" },
  { name: "namespace", label: "Namespace", placeholder: "domino-compute" },
  { name: "serviceAccount", label: "Service account", placeholder: "svc-nightly-etl" },
  { name: "roleArn", label: "Role ARN", placeholder: "arn:aws:iam::111122223333:role/..." },
  { name: "targetRoleArn", label: "Target role ARN (optional, cross-account)", placeholder: "" },
] as const;

export function NewRequestForm() {
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>({ kind: "create", cluster: "", namespace: "domino-compute", serviceAccount: "", roleArn: "", targetRoleArn: "", justification: "", sessionPolicy: "" });
  const [disableSessionTags, setDisableSessionTags] = useState(false);
  const [includeIamFixes, setIncludeIamFixes] = useState(false);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const input = () => ({ ...values, disableSessionTags, tags: {}, includeIamFixes });
  /** Runs an action with the form's input: its field errors are shown beside the fields, its message thrown. */
  const run = async <T,>(action: (input: unknown) => Promise<ActionResult<T>>): Promise<T> => {
    const r = await action(input());
    setFields(r.ok ? {} : (r.error.fields ?? {}));
    if (!r.ok) throw new Error(r.error.message);
    return r.data;
  };
  const check = useMutation({ mutationFn: async () => (await run(runPrechecksAction)).prechecks });
  const submit = useMutation({
    mutationFn: () => run(createRequestAction),
    onSuccess: (data) => router.push(`/requests/${data.id}`),
  });
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const error = (name: string) => fields[name] && <span className="text-xs text-red-700">{fields[name]!.join(", ")}</span>;
  return (
    <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); submit.mutate(); }}>
      <label className="block text-sm">Kind
        <select value={values.kind} onChange={set("kind")} className="ml-2 rounded border px-2 py-1">
          <option value="create">create</option><option value="update">update</option><option value="delete">delete</option>
        </select>
      </label>
      {FIELDS.map((f) => (
        <label key={f.name} className="block text-sm">{f.label}
          <input name={f.name} value={values[f.name]} onChange={set(f.name)} onBlur={() => values.cluster && values.serviceAccount && check.mutate()} placeholder={f.placeholder} className="mt-1 block w-full rounded border px-2 py-1" />
          {error(f.name)}
        </label>
      ))}
      <label className="block text-sm"><input type="checkbox" checked={disableSessionTags} onChange={(e) => setDisableSessionTags(e.target.checked)} /> Disable session tags</label>
      <label className="block text-sm">Session policy (optional JSON)
        <textarea name="sessionPolicy" value={values.sessionPolicy} onChange={set("sessionPolicy")} rows={3} className="mt-1 block w-full rounded border px-2 py-1 font-mono text-xs" />
        {error("sessionPolicy")}
      </label>
      <label className="block text-sm">Justification
        <textarea name="justification" value={values.justification} onChange={set("justification")} rows={3} className="mt-1 block w-full rounded border px-2 py-1" />
        {error("justification")}
      </label>
      <div className="flex gap-2">
        <button type="button" onClick={() => check.mutate()} className="rounded bg-slate-100 px-3 py-1.5 text-sm">Run prechecks</button>
        <button type="submit" disabled={submit.isPending} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">Submit request</button>
      </div>
      {(submit.error || check.error) && <p role="alert" className="text-sm text-red-700">{(submit.error ?? check.error)!.message}</p>}
      {check.data && <PrechecksList checks={check.data} />}
      {check.data?.some((p) => p.status === "fail" && (p.fix?.kind === "trust-policy" || p.fix?.kind === "node-role-policy")) && (
        <label className="block text-sm">
          <input type="checkbox" name="includeIamFixes" checked={includeIamFixes} onChange={(e) => setIncludeIamFixes(e.target.checked)} /> Include the suggested IAM fix (trust policy / node-role policy) as IAM items: the IAM team approves them, and they are applied before the association
        </label>
      )}
    </form>
  );
}
