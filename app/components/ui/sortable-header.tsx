import Link from "next/link";

export type SortDir = "asc" | "desc";
export interface SortColumn<K extends string> {
  /** null: a column that does not sort. */
  key: K | null;
  label: string;
}

/**
 * The header row of a server-sorted table: each sortable column links to the
 * same view sorted by it (again: the other way), and says its state in aria-sort.
 */
export function SortableHeader<K extends string>({
  columns,
  sort,
  dir,
  href,
}: {
  columns: readonly SortColumn<K>[];
  sort: K;
  dir: SortDir;
  /** The URL of this view sorted by `key` in `dir`, first page. */
  href: (key: K, dir: SortDir) => string;
}) {
  return (
    <tr>
      {columns.map((c) => {
        if (!c.key) return <th key={c.label} className="px-3 py-2">{c.label}</th>;
        const active = sort === c.key;
        const next: SortDir = active && dir === "asc" ? "desc" : "asc";
        return (
          <th key={c.label} className="px-3 py-2" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
            <Link href={href(c.key, next)} className="hover:underline">
              {c.label} {active ? (dir === "asc" ? "▲" : "▼") : ""}
            </Link>
          </th>
        );
      })}
    </tr>
  );
}
