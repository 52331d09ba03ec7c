"use client";
import { adoptBaselineAction } from "@/lib/actions/adopt-baseline";
import { FileError, FiledRequestLink, useFileRequest } from "../components/ui/file-request";

/** Admins: adopt the estate (minus the associations with findings) as the baseline, in one request. */
export function BaselineButton({ adoptable, setApart }: { adoptable: number; setApart: number }) {
  const { pending, filedId, error, file } = useFileRequest();
  if (filedId) return <FiledRequestLink id={filedId}>Baseline request filed: awaiting approval</FiledRequestLink>;
  return (
    <span>
      <button type="button" disabled={pending || adoptable === 0} data-testid="adopt-baseline" className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-50" onClick={() => file(() => adoptBaselineAction({}))}>
        Adopt estate as baseline ({adoptable}; {setApart} with findings set apart)
      </button>
      <FileError error={error} className="ml-2 text-sm text-red-700" />
    </span>
  );
}
