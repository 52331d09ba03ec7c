import type { ReactNode } from "react";
import { DataTable } from "./data-table";
import { SortableHeader, type SortColumn, type SortDir } from "./sortable-header";

/**
 * A list view's table: a DataTable whose header sorts on the server. `href` is the
 * view's URL builder (query, change); a new sort goes back to the first page.
 */
export function SortedTable<K extends string, Q extends { sort: K; dir: SortDir }, R>({
  testId,
  columns,
  query,
  href,
  rows,
  empty,
  ...rendered
}: {
  testId: string;
  columns: readonly SortColumn<K>[];
  query: Q;
  href: (query: Q, change: { sort: K; dir: SortDir; page: number }) => string;
  rows: readonly R[];
  /** Why there are no rows. */
  empty?: string;
} & (
  | { row: (r: R) => ReactNode }
  /** The rows already rendered (e.g. one client component given the rows' values). */
  | { body: ReactNode }
)) {
  return (
    <DataTable
      testId={testId}
      columns={columns.length}
      head={<SortableHeader columns={columns} sort={query.sort} dir={query.dir} href={(sort, dir) => href(query, { sort, dir, page: 1 })} />}
      empty={rows.length === 0 && empty}
    >
      {"body" in rendered ? rendered.body : rows.map(rendered.row)}
    </DataTable>
  );
}
