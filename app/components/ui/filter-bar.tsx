import type { ReactNode } from "react";

type Option = string | { value: string; label: string };
export type FilterField =
  | { kind: "select"; name: string; label: string; value?: string; any: string; options: readonly Option[] }
  | { kind: "text"; name: string; label: string; value?: string; placeholder?: string }
  | { kind: "date"; name: string; label: string; value?: string };

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

function Control({ id, field }: { id: string; field: FilterField }) {
  if (field.kind === "select") {
    return (
      <select id={id} name={field.name} defaultValue={field.value ?? ""} className={control}>
        <option value="">{field.any}</option>
        {field.options.map((o) => {
          const { value, label } = typeof o === "string" ? { value: o, label: o } : o;
          return <option key={value} value={value}>{label}</option>;
        })}
      </select>
    );
  }
  return <input id={id} type={field.kind === "date" ? "date" : undefined} name={field.name} defaultValue={field.value ?? ""} placeholder={field.kind === "text" ? field.placeholder : undefined} className={control} />;
}

/**
 * A plain GET form: the filters live in the URL, so a view can be bookmarked
 * and shared. `keep` carries what the filters do not change (sort, page size, view).
 */
export function FilterBar({ action, id, fields, keep, clearHref }: { action: string; id: string; fields: FilterField[]; keep: Record<string, string | number>; clearHref: string }) {
  return (
    <form method="get" action={action} className="mb-4 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
      {fields.map((f) => (
        <Field key={f.name} id={`${id}-${f.name}`} label={f.label}>
          <Control id={`${id}-${f.name}`} field={f} />
        </Field>
      ))}
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">Apply filters</button>
      <a href={clearHref} className="px-2 py-1.5 text-slate-600 hover:underline">Clear</a>
    </form>
  );
}
