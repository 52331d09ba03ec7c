import type { Finding } from "@/lib/inventory/analysis";
import { CopyButton } from "./ui/copy-button";
import { RequestMappingLink } from "./ui/request-mapping-link";
import { SeverityBadge } from "./severity-badge";

/** What a finding's closed line shows; lists send only this and load the rest when it is opened. */
export type FindingHeadline = Pick<Finding, "id" | "kind" | "severity" | "title">;

export function FindingSummary({ finding }: { finding: FindingHeadline }) {
  return (
    <summary className="cursor-pointer">
      <SeverityBadge severity={finding.severity} /> <span className="font-medium">{finding.title}</span>
    </summary>
  );
}

/** A finding's detail, pods, "Request mapping" and the generated fix (JSON to copy, diff). */
export function FindingBody({ finding, canRequest = false }: { finding: Finding; canRequest?: boolean }) {
  const fix = finding.fix;
  return (
    <div className="mt-2 space-y-2">
      <p className="text-slate-700">{finding.detail}</p>
      {finding.pods && finding.pods.length > 0 && <p className="text-xs text-slate-600">Pods: {finding.pods.join(", ")}</p>}
      {canRequest && finding.cluster && <RequestMappingLink cluster={finding.cluster} namespace={finding.namespace} serviceAccount={finding.serviceAccount} roleArn={finding.roleArn} />}
      {fix && (
        <div data-testid="fix" className="space-y-2">
          <p>
            <span className="font-medium">Fix:</span> {fix.description}
            {fix.verified && <span className="ml-2 rounded bg-emerald-100 px-1.5 text-xs text-emerald-800">verified with the trust engine</span>}
          </p>
          {fix.json && (
            <div>
              <div className="mb-1 flex items-center gap-2 text-xs text-slate-600">
                Policy JSON <CopyButton text={fix.json} label="Copy JSON" />
              </div>
              <pre tabIndex={0} className="max-h-80 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{fix.json}</pre>
            </div>
          )}
          {fix.diff && (
            <div>
              <div className="mb-1 text-xs text-slate-600">Diff</div>
              <pre tabIndex={0} data-testid="fix-diff" className="max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs">
                {fix.diff.split("\n").map((line, i) => (
                  <div key={i} className={line.startsWith("+") ? "bg-emerald-100 text-emerald-900" : line.startsWith("-") ? "bg-red-100 text-red-900" : ""}>
                    {line || " "}
                  </div>
                ))}
              </pre>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

export const FINDING_FRAME = "rounded border border-slate-200 bg-white p-2 text-sm";

/** One finding, rendered whole: title with severity, expandable detail and fix. */
/** canRequest: the viewer may file requests, so the finding offers "Request mapping" pre-filled with its subject. */
export function FindingDetails({ finding, open = false, canRequest = false }: { finding: Finding; open?: boolean; canRequest?: boolean }) {
  return (
    <details open={open} data-finding-kind={finding.kind} className={FINDING_FRAME}>
      <FindingSummary finding={finding} />
      <FindingBody finding={finding} canRequest={canRequest} />
    </details>
  );
}
