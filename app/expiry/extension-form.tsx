"use client";
import { requestExpiryExtensionAction } from "@/lib/actions/request-expiry-extension";
import { FileError, FiledRequestLink, useFileRequest } from "../components/ui/file-request";

/** Asks for a later expiry of one time-bound mapping; an approver still has to agree. */
export function ExtensionForm({ itemId, current }: { itemId: string; current: string }) {
  const { pending, filedId, error, file } = useFileRequest();
  const suggested = new Date(new Date(current).getTime() + 7 * 86400_000).toISOString().slice(0, 16);
  if (filedId) return <FiledRequestLink id={filedId}>Extension requested: awaiting approval</FiledRequestLink>;
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const local = String(f.get("newExpiresAt"));
        file(() => requestExpiryExtensionAction({ itemId, newExpiresAt: new Date(local).toISOString(), justification: String(f.get("justification") ?? "") }));
      }}
    >
      <label className="flex flex-col text-xs">
        New expiry
        <input name="newExpiresAt" type="datetime-local" defaultValue={suggested} required className="rounded border px-1 py-0.5" />
      </label>
      <label className="flex flex-col text-xs">
        Why
        <input name="justification" minLength={10} required placeholder="Still needed because..." className="w-64 rounded border px-1 py-0.5" />
      </label>
      <button type="submit" disabled={pending} data-testid="request-extension" className="rounded bg-slate-900 px-2 py-1 text-xs text-white disabled:opacity-50">
        Request extension
      </button>
      <FileError error={error} />
    </form>
  );
}
