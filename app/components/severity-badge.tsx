import type { Severity } from "@/lib/inventory/analysis";

const STYLE: Record<Severity, string> = {
  high: "bg-red-100 text-red-800 ring-red-200",
  medium: "bg-amber-100 text-amber-800 ring-amber-200",
  low: "bg-sky-100 text-sky-800 ring-sky-200",
  info: "bg-slate-100 text-slate-700 ring-slate-200",
};

export function SeverityBadge({ severity, count }: { severity: Severity; count?: number }) {
  return (
    <span data-severity={severity} className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${STYLE[severity]}`}>
      {severity}
      {count !== undefined && <span>{count}</span>}
    </span>
  );
}

const MECH: Record<string, { label: string; style: string }> = {
  irsa: { label: "IRSA", style: "bg-violet-100 text-violet-800" },
  "pod-identity": { label: "Pod Identity", style: "bg-emerald-100 text-emerald-800" },
  both: { label: "both", style: "bg-orange-100 text-orange-800" },
};

export function MechanismBadge({ mechanism }: { mechanism: string }) {
  const m = MECH[mechanism] ?? { label: mechanism, style: "bg-slate-100 text-slate-700" };
  return <span data-mechanism={mechanism} className={`rounded px-1.5 py-0.5 text-xs font-medium ${m.style}`}>{m.label}</span>;
}
