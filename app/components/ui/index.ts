// The shared building blocks of the pages: one table, one sortable header, one
// filter bar, one way to show a time, one copy button, one confirmation.
export { Arn } from "./arn";
export { ConfirmButton } from "./confirm-button";
export { CopyButton } from "./copy-button";
export { DataTable } from "./data-table";
export { FilterBar, type FilterField } from "./filter-bar";
export { SortableHeader, type SortColumn, type SortDir } from "./sortable-header";
export { Time, exactTime, relativeTime } from "./time";
