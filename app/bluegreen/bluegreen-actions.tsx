"use client";
import { cleanUpRetiredIssuerAction } from "@/lib/actions/clean-up-retired-issuer";
import { copyMappingsToGreenAction } from "@/lib/actions/copy-mappings-to-green";
import { repointIrsaToGreenAction } from "@/lib/actions/repoint-irsa-to-green";
import { FileError, FiledRequestLink, useFileRequest } from "../components/ui/file-request";

type Props =
  | { kind: "copy" | "repoint"; blue: string; green: string; label: string; allowed: boolean }
  | { kind: "cleanup"; issuer: string; label: string; allowed: boolean };

/** Files one Blue/Green request (copy, re-point or clean-up); nothing changes before it is approved. */
export function BlueGreenAction(props: Props) {
  const { pending, filing, filedId, error, file } = useFileRequest();
  if (!props.allowed) return <span className="text-xs text-slate-500">Your role may not file requests.</span>;
  if (filedId) return <FiledRequestLink id={filedId} testId={`bluegreen-${props.kind}-filed`} />;
  const run = () =>
    props.kind === "cleanup"
      ? cleanUpRetiredIssuerAction({ issuer: props.issuer })
      : props.kind === "copy"
        ? copyMappingsToGreenAction({ blue: props.blue, green: props.green })
        : repointIrsaToGreenAction({ blue: props.blue, green: props.green });
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={pending}
        data-testid={`bluegreen-${props.kind}`}
        className="rounded bg-slate-800 px-3 py-1 text-sm text-white hover:bg-slate-700 disabled:opacity-50"
        onClick={() => file(run)}
      >
        {filing ? "Filing…" : props.label}
      </button>
      <FileError error={error} />
    </span>
  );
}
