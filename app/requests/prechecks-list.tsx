type Check = { id: string; item: number; status: string; message: string; fix?: { kind: string; json: unknown } };

const MARK: Record<string, string> = { pass: "✓", warn: "!", fail: "✗" };

export function PrechecksList({ checks }: { checks: Check[] }) {
  if (!checks.length) return <p className="text-sm text-slate-500">No prechecks yet.</p>;
  return (
    <ul className="space-y-2 text-sm" data-testid="prechecks">
      {checks.map((c, i) => (
        <li key={`${c.id}-${c.item}-${i}`} data-status={c.status} className={c.status === "fail" ? "text-red-800" : c.status === "warn" ? "text-amber-800" : "text-green-800"}>
          <span className="font-mono">{MARK[c.status] ?? "?"}</span> <b>{c.id}</b>: {c.message}
          {c.fix && (
            <details className="ml-5 text-slate-700">
              <summary>Suggested fix ({c.fix.kind})</summary>
              <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(c.fix.json, null, 2)}</pre>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}
