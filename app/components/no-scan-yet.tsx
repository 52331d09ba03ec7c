/** Shown before the first inventory scan has saved a snapshot. */
export function NoScanYet({ canScan }: { canScan: boolean }) {
  return (
    <p data-testid="no-scan" className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">
      No inventory scan has finished yet. {canScan ? "Press Rescan on the Overview page to read every cluster and role now." : "Ask an admin or requester to run a scan."}
    </p>
  );
}
