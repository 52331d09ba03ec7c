// Server-side sorting and paging of in-memory view rows (pure).
import { z } from "zod";

export const SEVERITIES = ["high", "medium", "low", "info"] as const;
export const SEVERITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2, info: 3 };

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

export const pagingFields = {
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  pageSize: z.coerce.number().int().min(10).max(200).catch(50),
};

/** URL search params (string | string[]) -> flat strings; empty values dropped. */
export function flatParams(params: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v) || undefined]));
}

export type Key<T> = (row: T) => string | number;

// One collator for every comparison: String#localeCompare looks one up per call (same order, several times slower).
const collator = new Intl.Collator();
const cmp = (a: string | number, b: string | number) => (typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b)));

function comparator<T>(key: Key<T>, dir: "asc" | "desc", ties: Key<T>[]): (a: T, b: T) => number {
  const sign = dir === "desc" ? -1 : 1;
  return (a, b) => sign * cmp(key(a), key(b)) || ties.reduce((r, t) => r || cmp(t(a), t(b)), 0);
}

function cut<T>(sorted: T[], page: number, pageSize: number): Page<T> {
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages);
  return { rows: sorted.slice((current - 1) * pageSize, current * pageSize), total: sorted.length, page: current, pages, pageSize };
}

/** Sorts a copy by the key (then the tie-breakers, always ascending) and cuts one page; the page is clamped to the last one. */
export function sortAndPage<T>(rows: readonly T[], key: Key<T>, dir: "asc" | "desc", page: number, pageSize: number, ties: Key<T>[] = []): Page<T> {
  return cut([...rows].sort(comparator(key, dir, ties)), page, pageSize);
}

// Per rows array, its orders by name: a view's rows never change (a new scan makes new rows).
const orders = new WeakMap<readonly object[], Map<string, readonly object[]>>();

/**
 * sortAndPage(rows.filter(keep), ...) for rows that never change: each order (`name`: the sort key and direction)
 * is computed once per rows array, and a request filters the sorted rows. At 100,000 rows sorting the filtered
 * rows was most of a list page's time. Same rows, same order: the sort is stable and filtering keeps order.
 */
export function filterSortedAndPage<T extends object>(rows: readonly T[], order: { name: string; key: Key<T>; dir: "asc" | "desc"; ties?: Key<T>[] }, keep: ((row: T) => boolean) | null, page: number, pageSize: number): Page<T> {
  let byName = orders.get(rows);
  if (!byName) orders.set(rows, (byName = new Map()));
  const name = `${order.name}:${order.dir}`;
  let sorted = byName.get(name) as readonly T[] | undefined;
  if (!sorted) byName.set(name, (sorted = [...rows].sort(comparator(order.key, order.dir, order.ties ?? []))));
  if (!keep) return cut(sorted as T[], page, pageSize);
  // One pass that counts the matches and keeps only the requested page's: at 100,000 rows, copying every
  // match into a new array cost more than the filter itself.
  const from = (page - 1) * pageSize;
  const rowsOfPage: T[] = [];
  let total = 0;
  for (const r of sorted) {
    if (!keep(r)) continue;
    if (total >= from && total < from + pageSize) rowsOfPage.push(r);
    total++;
  }
  const pages = Math.max(1, Math.ceil(total / pageSize));
  // A page past the last: the last page, found with a second pass (links only ask for pages that exist).
  if (page > pages) return filterSortedAndPage(rows, order, keep, pages, pageSize);
  return { rows: rowsOfPage, total, page, pages, pageSize };
}

/** All of `checks` (null: no check, every row is kept): a filter built from the active query fields only. */
export function allOf<T>(checks: (((row: T) => boolean) | false | undefined | null | "")[]): ((row: T) => boolean) | null {
  const active = checks.filter((c): c is (row: T) => boolean => typeof c === "function");
  if (!active.length) return null;
  if (active.length === 1) return active[0]!;
  return (row) => {
    for (const check of active) if (!check(row)) return false;
    return true;
  };
}

export const contains = (q: string | undefined, ...values: (string | undefined)[]) =>
  !q || values.some((v) => v !== undefined && v.toLowerCase().includes(q.toLowerCase()));
