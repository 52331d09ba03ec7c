"use client";
// The /templates page's controls: file a template (an item of kind "template"
// through the request form's action), map one matched service account now, and
// revoke a template with a reason.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createRequestAction } from "@/lib/actions/create-request";
import { fileTemplateMappingAction } from "@/lib/actions/file-template-mapping";
import { revokeTemplateAction } from "@/lib/actions/revoke-template";
import { FileError, FiledRequestLink, useFileRequest } from "@/app/components/ui/file-request";
import { useHydrated } from "@/app/components/ui/use-hydrated";

const input = "w-full rounded border border-slate-300 px-2 py-1 text-sm";

export function NewTemplateForm() {
  const { pending, filedId, error, file } = useFileRequest();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="mb-4 rounded bg-slate-900 px-3 py-1.5 text-sm text-white" onClick={() => setOpen(true)} data-testid="new-template">
        New template
      </button>
    );
  }
  return (
    <form
      className="mb-6 grid max-w-3xl grid-cols-2 gap-2 rounded border border-slate-200 p-3"
      data-testid="template-form"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const text = (k: string) => String(f.get(k) ?? "").trim();
        file(() =>
          createRequestAction({
            kind: "template",
            name: text("name"),
            clusters: text("clusters").split(",").map((c) => c.trim()).filter(Boolean),
            namespace: text("namespace"),
            serviceAccountPattern: text("serviceAccountPattern"),
            roleArn: text("roleArn"),
            targetRoleArn: text("targetRoleArn"),
            mappingTtlDays: text("mappingTtlDays"),
            maxMappings: text("maxMappings"),
            expiresAt: text("expiresAt"),
            justification: text("justification"),
          }),
        );
      }}
    >
      <label className="text-xs">Template name<input name="name" required className={input} placeholder="domino-jobs (an existing name files its next version)" /></label>
      <label className="text-xs">Clusters<input name="clusters" required className={input} placeholder="names, globs or blue+green, comma-separated" /></label>
      <label className="text-xs">Namespace<input name="namespace" required className={input} defaultValue="domino-compute" /></label>
      <label className="text-xs">Service-account pattern<input name="serviceAccountPattern" required className={input} placeholder="dmjob-*" /></label>
      <label className="col-span-2 text-xs">Role ARN<input name="roleArn" required className={input} placeholder="arn:aws:iam::111122223333:role/domino/…" /></label>
      <label className="col-span-2 text-xs">Target role ARN<input name="targetRoleArn" className={input} placeholder="optional: a role in another account" /></label>
      <label className="text-xs">Days each mapping lasts<input placeholder="optional" name="mappingTtlDays" type="number" min={1} max={366} className={input} /></label>
      <label className="text-xs">Maximum mappings<input placeholder="optional" name="maxMappings" type="number" min={1} className={input} /></label>
      <label className="text-xs">Template expires<input name="expiresAt" type="date" className={input} /></label>
      <label className="text-xs">Justification<input name="justification" className={input} placeholder="optional" /></label>
      <div className="col-span-2 flex items-center gap-3">
        <button type="submit" disabled={pending} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50" data-testid="template-submit">
          File for approval
        </button>
        {filedId && <FiledRequestLink id={filedId} testId="template-filed" />}
        <FileError error={error} className="text-sm text-red-700" />
      </div>
    </form>
  );
}

export function MapNowButton({ id, cluster, serviceAccount }: { id: string; cluster: string; serviceAccount: string }) {
  const { pending, filedId, error, file } = useFileRequest();
  if (filedId) return <FiledRequestLink id={filedId}>Mapped under the template: applying</FiledRequestLink>;
  return (
    <>
      <button type="button" disabled={pending} onClick={() => file(() => fileTemplateMappingAction({ id, cluster, serviceAccount }))} className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50" data-testid={`map-now-${serviceAccount}`}>
        Map now
      </button>
      <FileError error={error} />
    </>
  );
}

/**
 * `revoked`: the template is revoked already; the form shows nothing then, except the outcome of a revocation
 * made here, which stays after the page refreshes to the revoked template (mounted in the same place, it keeps its state).
 */
export function RevokeTemplateForm({ id, revoked }: { id: string; revoked: boolean }) {
  const router = useRouter();
  const [result, setResult] = useState<{ id?: string | null; error?: string; done?: boolean } | null>(null);
  const [submitting, setPending] = useState(false);
  const hydrated = useHydrated();
  const pending = submitting || !hydrated;
  if (result?.done) {
    return result.id ? <FiledRequestLink id={result.id} testId="template-revocation">Revoked: the removal of its mappings awaits approval</FiledRequestLink> : <span className="text-sm" role="status">Revoked (it had made no mapping).</span>;
  }
  if (revoked) return null;
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        setPending(true);
        const r = await revokeTemplateAction({ id, justification: String(new FormData(e.currentTarget).get("justification") ?? "") });
        setPending(false);
        setResult(r.ok ? { id: r.data.id, done: true } : { error: r.error.message });
        if (r.ok) router.refresh();
      }}
    >
      <input name="justification" required minLength={10} placeholder="Why revoke (10+ characters)" className="rounded border border-slate-300 px-2 py-0.5 text-xs" aria-label="Reason to revoke" />
      <button type="submit" disabled={pending} className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50" data-testid="revoke-template">
        Revoke
      </button>
      <FileError error={result?.error} />
    </form>
  );
}
