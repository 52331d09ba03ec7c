/** IRSA vs Pod Identity totals over scan history, as an SVG line chart. */
export function TrendChart({ points }: { points: { scanId: string; at: string; irsa: number; podIdentity: number }[] }) {
  const W = 640;
  const H = 180;
  const pad = 30;
  const max = Math.max(1, ...points.map((p) => Math.max(p.irsa, p.podIdentity)));
  const x = (i: number) => pad + (points.length === 1 ? (W - 2 * pad) / 2 : (i * (W - 2 * pad)) / (points.length - 1));
  const y = (v: number) => H - pad - (v / max) * (H - 2 * pad);
  const line = (key: "irsa" | "podIdentity") => points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ");
  const last = points[points.length - 1];
  return (
    <figure data-testid="usage-trend" className="rounded border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-lg font-semibold">Trend over the last {points.length} scan{points.length === 1 ? "" : "s"}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`IRSA ${last?.irsa ?? 0} and Pod Identity ${last?.podIdentity ?? 0} in the latest scan`} className="w-full max-w-3xl">
        <line x1={pad} y1={H - pad} x2={W - pad} y2={H - pad} stroke="#cbd5e1" />
        <text x={4} y={y(max) + 4} fontSize="10" fill="#64748b">{max}</text>
        <text x={4} y={H - pad + 4} fontSize="10" fill="#64748b">0</text>
        <path d={line("irsa")} fill="none" stroke="#8b5cf6" strokeWidth="2" />
        <path d={line("podIdentity")} fill="none" stroke="#10b981" strokeWidth="2" />
        {points.map((p, i) => (
          <g key={p.scanId}>
            <circle cx={x(i)} cy={y(p.irsa)} r="3" fill="#8b5cf6"><title>{`${p.at.slice(0, 16)} IRSA ${p.irsa}`}</title></circle>
            <circle cx={x(i)} cy={y(p.podIdentity)} r="3" fill="#10b981"><title>{`${p.at.slice(0, 16)} Pod Identity ${p.podIdentity}`}</title></circle>
          </g>
        ))}
        {points.length > 0 && (
          <>
            <text x={pad} y={H - 8} fontSize="10" fill="#64748b">{points[0]!.at.slice(0, 16).replace("T", " ")}</text>
            <text x={W - pad} y={H - 8} fontSize="10" fill="#64748b" textAnchor="end">{last!.at.slice(0, 16).replace("T", " ")}</text>
          </>
        )}
      </svg>
      <p className="text-xs text-slate-600">
        <span className="text-violet-700">■</span> IRSA service accounts <span className="ml-3 text-emerald-700">■</span> Pod Identity associations
      </p>
    </figure>
  );
}
