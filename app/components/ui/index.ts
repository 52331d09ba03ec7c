// The shared building blocks of the pages: one table (SortedTable: with a sortable
// header), one filter bar, one way to show a time, one copy button, one button that
// runs an action, one confirmation.
export { ActionButton } from "./action-button";
export { Arn } from "./arn";
export { ConfirmButton } from "./confirm-button";
export { CopyButton } from "./copy-button";
export { DataTable } from "./data-table";
export { PageHeader } from "./page-header";
export { FilterBar, type FilterField, type FilterQuery } from "./filter-bar";
export { RequestMappingLink } from "./request-mapping-link";
export { SortableHeader, type SortColumn, type SortDir } from "./sortable-header";
export { SortedTable } from "./sorted-table";
export { Time, exactTime, relativeTime } from "./time";
export { useHydrated } from "./use-hydrated";
