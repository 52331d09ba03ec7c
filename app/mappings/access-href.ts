import type { AccessQuery } from "@/lib/inventory/views/access-rows";
import { searchHref } from "../components/page-links";

const DEFAULTS = { sort: "cluster", dir: "asc", page: 1, pageSize: 50 };

/** The /mappings URL of the per-SA view for a query with some fields changed. */
export function accessHref(query: AccessQuery, change: Partial<AccessQuery> = {}): string {
  return searchHref("/mappings", { ...query, ...change }, DEFAULTS);
}
