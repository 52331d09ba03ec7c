"use client";
import { migrateToPodIdentityAction } from "@/lib/actions/migrate-to-pod-identity";
import { removeIrsaSubjectAction } from "@/lib/actions/remove-irsa-subject";
import { FileError, FiledRequestLink, useFileRequest } from "../components/ui/file-request";

/** One migration step button; the step is filed as a request that still needs approval. */
export function MigrationStep({ candidateKey, step, label }: { candidateKey: string; step: "migrate" | "cleanup"; label: string }) {
  const { pending, filing, filedId, error, file } = useFileRequest();
  if (filedId) return <FiledRequestLink id={filedId} />;
  return (
    <div className="flex flex-col gap-1">
      <button
        type="button"
        disabled={pending}
        data-testid={`migration-${step}`}
        className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50"
        onClick={() => file(() => (step === "migrate" ? migrateToPodIdentityAction({ key: candidateKey }) : removeIrsaSubjectAction({ key: candidateKey })))}
      >
        {filing ? "Filing..." : label}
      </button>
      <FileError error={error} className="max-w-xs text-xs text-red-700" />
    </div>
  );
}
