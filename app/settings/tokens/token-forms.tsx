"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createPersonalTokenAction } from "@/lib/actions/create-personal-token";
import { createServiceTokenAction } from "@/lib/actions/create-service-token";
import { revokeTokenAction } from "@/lib/actions/revoke-token";
import { ConfirmButton, CopyButton, useHydrated } from "../../components/ui";

const input = "rounded border border-slate-300 px-2 py-1 text-sm";
const button = "rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50";

export function TokenForms({ admin }: { admin: boolean }) {
  const router = useRouter();
  const [transition, start] = useTransition();
  // A form action React has not attached yet cannot run: the buttons wait for hydration.
  const hydrated = useHydrated();
  const pending = transition || !hydrated;
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const submit = (service: boolean) => (form: FormData) =>
    start(async () => {
      setError(null);
      setShown(null);
      const days = Number(form.get("expiresInDays"));
      const name = String(form.get("name") ?? "");
      const r = service
        ? await createServiceTokenAction({ name, role: String(form.get("role")), expiresInDays: days })
        : await createPersonalTokenAction({ name, expiresInDays: days });
      if (!r.ok) return setError(r.error.message);
      setShown(r.data.token);
      router.refresh();
    });
  return (
    <div className="space-y-4">
      {error && <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800">{error}</p>}
      {shown && (
        <div role="status" className="rounded border border-green-300 bg-green-50 p-3 text-sm">
          Copy this token now; it will not be shown again:
          <code data-testid="new-token" className="mt-1 block break-all font-mono">{shown}</code>
          <span className="mt-2 block"><CopyButton text={shown} label="Copy token" /></span>
        </div>
      )}
      <form action={submit(false)} className="flex flex-wrap items-end gap-2">
        <label className="text-sm">Personal token name <input name="name" required maxLength={64} className={input} /></label>
        <label className="text-sm">Expires in (days) <input name="expiresInDays" type="number" min={1} max={365} defaultValue={90} className={`${input} w-20`} /></label>
        <button type="submit" disabled={pending} className={button}>Create personal token</button>
      </form>
      {admin && (
        <form action={submit(true)} className="flex flex-wrap items-end gap-2">
          <label className="text-sm">Service name <input name="name" required maxLength={48} pattern="[a-z0-9][a-z0-9-]*" className={input} /></label>
          <label className="text-sm">Role{" "}
            <select name="role" className={input} defaultValue="auditor">
              {["requester", "approver", "auditor", "admin"].map((r) => <option key={r}>{r}</option>)}
            </select>
          </label>
          <label className="text-sm">Expires in (days) <input name="expiresInDays" type="number" min={1} max={365} defaultValue={90} className={`${input} w-20`} /></label>
          <button type="submit" disabled={pending} className={button}>Create service token</button>
        </form>
      )}
    </div>
  );
}

export function RevokeButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <ConfirmButton
      disabled={pending}
      aria-label={`Revoke ${name}`}
      title={`Revoke ${name}?`}
      description="Every script using this token gets 401 from now on. This cannot be undone: create a new token instead."
      confirmLabel="Revoke token"
      onConfirm={() => start(async () => void (await revokeTokenAction({ id }), router.refresh()))}
      className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50"
    >
      Revoke
    </ConfirmButton>
  );
}
