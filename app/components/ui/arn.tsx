import { CopyButton } from "./copy-button";

/** An ARN as the product shows it: monospace, wrapping anywhere (no sideways scroll), with a copy button. */
export function Arn({ arn, className = "text-xs" }: { arn: string; className?: string }) {
  return (
    <span className={`inline-flex max-w-full flex-wrap items-baseline gap-1 ${className}`}>
      <span className="break-all font-mono">{arn}</span>
      <CopyButton text={arn} label="Copy" ariaLabel={`Copy ARN ${arn}`} />
    </span>
  );
}
