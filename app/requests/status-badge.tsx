const COLORS: Record<string, string> = {
  pending: "bg-amber-100 text-amber-900",
  changes_requested: "bg-orange-100 text-orange-950",
  approved: "bg-blue-100 text-blue-900",
  applying: "bg-blue-100 text-blue-900",
  applied: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
  rejected: "bg-red-100 text-red-900",
};

export function StatusBadge({ status, testId = "request-status" }: { status: string; testId?: string }) {
  return <span data-testid={testId} className={`rounded px-2 py-0.5 text-xs font-medium ${COLORS[status] ?? "bg-slate-100 text-slate-700"}`}>{status.replace("_", " ")}</span>;
}
