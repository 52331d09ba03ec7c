"use client";
import { fileTightenedTrustAction } from "@/lib/actions/file-tightened-trust";
import { FileError, FiledRequestLink, useFileRequest } from "../../components/ui/file-request";

/** Files the previewed trust as an IAM request; the IAM team still approves it. */
export function FileTightenedTrustButton({ roleArn }: { roleArn: string }) {
  const { pending, filedId, error, file } = useFileRequest();
  if (filedId) return <FiledRequestLink id={filedId} testId="tightened-trust-filed">Tightened trust filed: awaiting IAM approval</FiledRequestLink>;
  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        disabled={pending}
        data-testid="file-tightened-trust"
        onClick={() => file(() => fileTightenedTrustAction({ arn: roleArn }))}
        className="rounded bg-slate-900 px-2 py-1 text-xs text-white disabled:opacity-50"
      >
        File this change
      </button>
      <FileError error={error} />
    </div>
  );
}
