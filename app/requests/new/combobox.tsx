"use client";
// A text field with a filtered list under it (cmdk: the combobox/listbox roles,
// arrow keys and Enter come from the library). The typed text is the value, so a
// name that is not in the list can still be entered (e.g. a new service account).
import { Command } from "cmdk";
import { useId, useState, type ReactNode } from "react";

export interface ComboOption {
  value: string;
  label: ReactNode;
  keywords?: string[];
}

export function Combobox({ label, value, onChange, onPick = onChange, onLeave, options, placeholder, error, hint, empty }: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** An option is chosen (default: its value becomes the text). */
  onPick?: (value: string) => void;
  /** The field is left (blur): validate it now. */
  onLeave?: () => void;
  options: ComboOption[];
  placeholder?: string;
  error?: string | null;
  hint?: ReactNode;
  empty?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const messageId = useId();
  return (
    <div className="text-sm">
      <span aria-hidden className="block">{label}</span>
      <Command label={label} loop className="relative mt-1">
        <Command.Input
          value={value}
          onValueChange={onChange}
          onFocus={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            onLeave?.();
          }}
          placeholder={placeholder}
          aria-invalid={!!error}
          aria-describedby={messageId}
          className={`block w-full rounded border px-2 py-1 ${error ? "border-red-700" : ""}`}
        />
        {/* Always rendered (hidden when closed): the input's aria-controls names it. The mousedown keeps the focus in the input while an option is clicked. */}
        <Command.List hidden={!open} onMouseDown={(e) => e.preventDefault()} className="absolute z-20 mt-1 max-h-72 w-full overflow-y-auto rounded border bg-white p-1 shadow-lg">
          <Command.Empty className="px-2 py-1 text-slate-600">{empty ?? "Nothing matches."}</Command.Empty>
          {options.map((o) => (
            <Command.Item
              key={o.value}
              value={o.value}
              keywords={o.keywords}
              onSelect={() => {
                onPick(o.value);
                setOpen(false);
              }}
              className="cursor-pointer rounded px-2 py-1 data-[selected=true]:bg-indigo-50"
            >
              {o.label}
            </Command.Item>
          ))}
        </Command.List>
      </Command>
      <span id={messageId} className={`block text-xs ${error ? "text-red-700" : "text-slate-600"}`}>{error ?? hint}</span>
    </div>
  );
}
