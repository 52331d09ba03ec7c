import type { ReactNode } from "react";

type Option = string | { value: string; label: string };
export type FilterField =
  | { kind: "select"; name: string; label: string; any: string; options: readonly Option[] }
  | { kind: "text"; name: string; label: string; placeholder?: string }
  | { kind: "date"; name: string; label: string };

/** A list view's query: its filters by field name, and the sort and page size the filters keep. */
export type FilterQuery = { sort: string; dir: string; pageSize?: number } & Record<string, unknown>;

/** A filter's current value as its control shows it (a date as its UTC day). */
function valueOf(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return v === undefined || v === null ? "" : String(v);
}

const control = "rounded border border-slate-300 px-2 py-1";

/** Label tied by id, so a control's accessible name is its label only (not its options' text). */
function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">{label}</label>
      {children}
    </div>
  );
}

function Control({ id, field, value }: { id: string; field: FilterField; value: string }) {
  if (field.kind === "select") {
    return (
      <select id={id} name={field.name} defaultValue={value} className={control}>
        <option value="">{field.any}</option>
        {field.options.map((o) => {
          const { value, label } = typeof o === "string" ? { value: o, label: o } : o;
          return <option key={value} value={value}>{label}</option>;
        })}
      </select>
    );
  }
  return <input id={id} type={field.kind === "date" ? "date" : undefined} name={field.name} defaultValue={value} placeholder={field.kind === "text" ? field.placeholder : undefined} className={control} />;
}

/**
 * A plain GET form: the filters live in the URL, so a view can be bookmarked
 * and shared. Each field shows the query's value of its name; the query's sort,
 * direction and page size, and `keep` (e.g. the view), ride along unchanged.
 */
export function FilterBar({ action, id, fields, query, keep = {}, clearHref = action }: { action: string; id: string; fields: FilterField[]; query: FilterQuery; keep?: Record<string, string>; clearHref?: string }) {
  const hidden = { ...keep, sort: query.sort, dir: query.dir, ...(query.pageSize === undefined ? {} : { pageSize: query.pageSize }) };
  return (
    <form method="get" action={action} className="mb-4 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
      {fields.map((f) => (
        <Field key={f.name} id={`${id}-${f.name}`} label={f.label}>
          <Control id={`${id}-${f.name}`} field={f} value={valueOf(query[f.name])} />
        </Field>
      ))}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">Apply filters</button>
      <a href={clearHref} className="px-2 py-1.5 text-slate-600 hover:underline">Clear</a>
    </form>
  );
}
