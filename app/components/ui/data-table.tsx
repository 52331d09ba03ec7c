import type { ReactNode } from "react";

const isLabels = (head: ReactNode | readonly string[]): head is readonly string[] => Array.isArray(head) && head.every((h) => typeof h === "string");

/**
 * The product's table: a bordered, horizontally scrolling frame, a header row
 * and, when there are no rows, one line saying why.
 */
export function DataTable({
  testId,
  head,
  columns,
  empty,
  children,
}: {
  testId?: string;
  /** The <tr> of the header (SortableHeader), or the labels of columns that do not sort. */
  head: ReactNode | readonly string[];
  /** How many columns the empty line spans (default: the number of labels). */
  columns?: number;
  /** Shown instead of the rows when there are none. */
  empty?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table data-testid={testId} className="min-w-full text-left text-sm">
        <thead className="bg-slate-100 text-xs uppercase tracking-wide text-slate-600">
          {isLabels(head) ? <tr>{head.map((label) => <th key={label} className="px-3 py-2">{label}</th>)}</tr> : head}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {children}
          {empty && (
            <tr>
              <td colSpan={columns ?? (isLabels(head) ? head.length : 1)} className="px-3 py-6 text-center text-slate-600">{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
