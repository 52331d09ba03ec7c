"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createApprovalPolicyVersionAction } from "@/lib/actions/create-approval-policy-version";

export interface PolicyDraft {
  name: string;
  /** 0 for a new policy. */
  previousVersion: number;
  requiredApprovals: number;
  approverRole: "approver" | "admin";
  accountPattern: string;
  regionPattern: string;
  clusterPattern: string;
  namespacePattern: string;
  rolePattern: string;
  active: boolean;
}

const NEW: PolicyDraft = { name: "", previousVersion: 0, requiredApprovals: 1, approverRole: "approver", accountPattern: "*", regionPattern: "*", clusterPattern: "*", namespacePattern: "*", rolePattern: "*", active: true };
type PatternName = "accountPattern" | "regionPattern" | "clusterPattern" | "namespacePattern" | "rolePattern";

// The scope of a policy: one glob per dimension of a request ("*" matches anything).
const PATTERNS: { name: PatternName; label: string; maxLength: number; placeholder: string; wide?: boolean }[] = [
  { name: "accountPattern", label: "Account pattern", maxLength: 32, placeholder: "111122223333" },
  { name: "regionPattern", label: "Region pattern", maxLength: 32, placeholder: "eu-*" },
  { name: "clusterPattern", label: "Cluster pattern", maxLength: 100, placeholder: "prod-*" },
  { name: "namespacePattern", label: "Namespace pattern", maxLength: 63, placeholder: "team-a-*" },
  { name: "rolePattern", label: "Role ARN pattern", maxLength: 256, placeholder: "arn:aws:iam::111122223333:role/team-a/*", wide: true },
];

const input = "rounded border border-slate-300 px-2 py-1 text-sm";
const button = "rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50";

/** One form for both: version 1 of a new policy, or the next version of an existing one (prefilled from its latest). */
export function PolicyForm({ policies }: { policies: PolicyDraft[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [base, setBase] = useState("");
  const [error, setError] = useState<{ message: string; fields?: Record<string, string[]> } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const draft = policies.find((p) => p.name === base) ?? NEW;
  const submit = (form: FormData) =>
    start(async () => {
      setError(null);
      setDone(null);
      const r = await createApprovalPolicyVersionAction({
        name: draft.previousVersion ? draft.name : String(form.get("name") ?? ""),
        previousVersion: draft.previousVersion,
        requiredApprovals: Number(form.get("requiredApprovals")),
        approverRole: String(form.get("approverRole")),
        accountPattern: String(form.get("accountPattern") ?? ""),
        regionPattern: String(form.get("regionPattern") ?? ""),
        clusterPattern: String(form.get("clusterPattern") ?? ""),
        namespacePattern: String(form.get("namespacePattern") ?? ""),
        rolePattern: String(form.get("rolePattern") ?? ""),
        active: form.get("active") === "on",
      });
      if (!r.ok) return setError(r.error);
      setDone(`Saved ${r.data.name} v${r.data.version}${r.data.active ? " (active)" : " (inactive)"}. Requests filed from now on use it; existing requests keep their version.`);
      setBase("");
      router.refresh();
    });
  const fieldError = (f: string) => error?.fields?.[f] && <span className="block text-xs text-red-700">{error.fields[f]!.join(", ")}</span>;
  return (
    <div className="space-y-3 rounded border border-slate-200 p-4">
      <label className="block text-sm">
        Edit{" "}
        <select aria-label="Policy to edit" value={base} onChange={(e) => { setBase(e.target.value); setError(null); }} className={input}>
          <option value="">a new policy</option>
          {policies.map((p) => <option key={p.name} value={p.name}>{p.name} (new version after v{p.previousVersion})</option>)}
        </select>
      </label>
      {error && <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800">{error.message}</p>}
      {done && <p role="status" className="rounded bg-green-50 p-3 text-sm text-green-800">{done}</p>}
      {/* key: a different base policy remounts the fields with its values. */}
      <form key={base} action={submit} className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <label className="text-sm">Name
          <input name="name" required maxLength={48} pattern="[a-z0-9][a-z0-9\-]*" defaultValue={draft.name} readOnly={!!draft.previousVersion} className={`${input} block w-full`} />
          {fieldError("name")}
        </label>
        <div className="flex gap-3">
          <label className="text-sm">Required approvals
            <input name="requiredApprovals" type="number" min={1} max={5} required defaultValue={draft.requiredApprovals} className={`${input} block w-20`} />
            {fieldError("requiredApprovals")}
          </label>
          <label className="text-sm">From role
            <select name="approverRole" defaultValue={draft.approverRole} className={`${input} block`}>
              <option value="approver">approver (IAM team)</option>
              <option value="admin">admin</option>
            </select>
          </label>
        </div>
        {PATTERNS.map((f) => (
          <label key={f.name} className={`text-sm ${f.wide ? "md:col-span-2" : ""}`}>{f.label}
            <input name={f.name} required maxLength={f.maxLength} defaultValue={draft[f.name]} placeholder={f.placeholder} className={`${input} block w-full font-mono`} />
            {fieldError(f.name)}
          </label>
        ))}
        <label className="flex items-center gap-2 text-sm">
          <input name="active" type="checkbox" defaultChecked={draft.active} /> Active (an inactive version switches the policy off)
        </label>
        <div className="md:text-right">
          <button type="submit" disabled={pending} className={button}>{draft.previousVersion ? `Create v${draft.previousVersion + 1} of ${draft.name}` : "Create policy"}</button>
        </div>
      </form>
    </div>
  );
}
