import Link from "next/link";

/** "1–50 of 812" with Previous/Next links; hrefFor builds the URL of another page. */
export function PageLinks({ page, pages, total, pageSize, hrefFor, testId }: { page: number; pages: number; total: number; pageSize: number; hrefFor: (page: number) => string; testId: string }) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center justify-between text-sm text-slate-600">
      <span data-testid={testId}>
        {first}–{last} of {total}
      </span>
      <div className="flex items-center gap-2">
        {page > 1 ? <Link className="rounded border px-2 py-1 hover:bg-slate-100" href={hrefFor(page - 1)}>Previous</Link> : <span aria-disabled="true" className="px-2 py-1 text-slate-500">Previous</span>}
        <span>
          Page {Math.min(page, pages)} of {pages}
        </span>
        {page < pages ? <Link className="rounded border px-2 py-1 hover:bg-slate-100" href={hrefFor(page + 1)}>Next</Link> : <span aria-disabled="true" className="px-2 py-1 text-slate-500">Next</span>}
      </div>
    </nav>
  );
}

/** path?k=v for the values that are set and differ from their default. */
export function searchHref(path: string, values: Record<string, string | number | undefined>, defaults: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== "" && defaults[k] !== v) params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}
