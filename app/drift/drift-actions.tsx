"use client";
import { resolveDriftAction } from "@/lib/actions/resolve-drift";
import { FileError, FiledRequestLink, useFileRequest } from "../components/ui/file-request";

const LABELS: Record<string, string> = { adopt: "Adopt", revoke: "Revoke", reapply: "Re-apply", restore: "Restore approved" };

/** The action buttons of one drift finding; each files a request that still needs approval. */
export function DriftActions({ findingKey, actions, allowed }: { findingKey: string; actions: string[]; allowed: boolean }) {
  const { pending, filedId, error, file } = useFileRequest();
  if (!allowed) return <span className="text-xs text-slate-500">Your role may not file requests.</span>;
  if (filedId) return <FiledRequestLink id={filedId} />;
  return (
    <div className="flex flex-wrap items-center gap-1">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          disabled={pending}
          data-testid={`drift-${action}`}
          className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50"
          onClick={() => file(() => resolveDriftAction({ action, key: findingKey }))}
        >
          {LABELS[action] ?? action}
        </button>
      ))}
      <FileError error={error} />
    </div>
  );
}
