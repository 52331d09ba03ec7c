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

/** Sorts a copy by the key (then the tie-breakers, always ascending) and cuts one page; the page is clamped to the last one. */
export function sortAndPage<T>(rows: readonly T[], key: Key<T>, dir: "asc" | "desc", page: number, pageSize: number, ties: Key<T>[] = []): Page<T> {
  const sign = dir === "desc" ? -1 : 1;
  const cmp = (a: string | number, b: string | number) => (typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b)));
  const sorted = [...rows].sort((a, b) => sign * cmp(key(a), key(b)) || ties.reduce((r, t) => r || cmp(t(a), t(b)), 0));
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages);
  return { rows: sorted.slice((current - 1) * pageSize, current * pageSize), total: sorted.length, page: current, pages, pageSize };
}

export const contains = (q: string | undefined, ...values: (string | undefined)[]) =>
  !q || values.some((v) => v !== undefined && v.toLowerCase().includes(q.toLowerCase()));
