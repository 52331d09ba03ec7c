"use client";
// A text field with a list of suggestions under it, following the WAI-ARIA
// combobox pattern: the input is the combobox (aria-expanded is true only while
// the listbox is shown, aria-controls names the listbox, aria-activedescendant
// the highlighted option while it is shown). cmdk gives the listbox, its options
// and the arrow keys / Home / End / Enter; the input is ours, because cmdk's own
// says aria-expanded="true" even while its list is hidden. The typed text is the
// value, so a name that is not in the list can still be entered (e.g. a new
// service account). `filter={false}`: the options are already the answer to the
// text (a server search); else they are filtered here by what is typed.
import { Command } from "cmdk";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface ComboOption {
  value: string;
  label: ReactNode;
  keywords?: string[];
}

function matches(o: ComboOption, text: string): boolean {
  const t = text.trim().toLowerCase();
  return !t || [o.value, ...(o.keywords ?? [])].some((k) => k.toLowerCase().includes(t));
}

export function Combobox({ label, value, onChange, onPick = onChange, onLeave, options, placeholder, error, hint, empty, filter = true, busy = false, disabled = false }: {
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
  /** false: `options` already answer the text (searched on the server). */
  filter?: boolean;
  /** A search for the text is under way. */
  busy?: boolean;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState("");
  const [activeId, setActiveId] = useState<string | undefined>();
  const [listId, setListId] = useState<string | undefined>();
  const inputId = useId();
  const messageId = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const shown = filter ? options.filter((o) => matches(o, value)) : options;
  const expanded = open && shown.length > 0;
  const shownKey = shown.map((o) => o.value).join("\n");

  // cmdk names the listbox itself: the input's aria-controls uses that id.
  useEffect(() => setListId(listRef.current?.id || undefined), []);
  // The highlighted option: the first one whenever the highlighted one is no longer shown.
  useEffect(() => {
    if (!expanded) return setActiveId(undefined);
    if (!shown.some((o) => o.value === active)) return setActive(shown[0]!.value);
    // By our own data-value (cmdk's option ids are stable), not by aria-selected, which cmdk may not have re-rendered yet.
    const option = [...(listRef.current?.querySelectorAll<HTMLElement>("[cmdk-item]") ?? [])].find((el) => el.dataset.value === active);
    setActiveId(option?.id || undefined);
    // shownKey stands for `shown`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expanded, active, shownKey]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (expanded) {
      if (e.key === "Escape") {
        e.preventDefault();
        setOpen(false);
      }
      return; // arrows, Home, End, Enter: cmdk's, on the listbox's options
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setOpen(true);
    } else if (e.key === "Enter" || e.key === "Home" || e.key === "End") {
      // Nothing is shown to choose: keep cmdk from choosing a hidden option (and Enter from filing the form half-filled).
      if (e.key === "Enter") e.preventDefault();
      e.stopPropagation();
    }
  };

  return (
    <div className="text-sm">
      <label htmlFor={inputId} className="block">{label}</label>
      <Command shouldFilter={false} value={active} onValueChange={setActive} loop className="relative mt-1">
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded ? activeId : undefined}
          aria-invalid={!!error}
          aria-describedby={messageId}
          aria-busy={busy || undefined}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            onLeave?.();
          }}
          onKeyDown={onKeyDown}
          placeholder={placeholder}
          className={`block w-full rounded border px-2 py-1 ${error ? "border-red-700" : ""}`}
        />
        {/* Always rendered (hidden while collapsed) so aria-controls names an element. The mousedown keeps the focus in the input while an option is clicked. */}
        <Command.List ref={listRef} label={`${label}: suggestions`} hidden={!expanded} onMouseDown={(e) => e.preventDefault()} className="absolute z-20 mt-1 max-h-72 w-full overflow-y-auto rounded border bg-white p-1 shadow-lg">
          {shown.map((o) => (
            <Command.Item
              key={o.value}
              value={o.value}
              data-value={o.value}
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
        {/* "Nothing matches" floats over what follows, like the list: no layout shift when the field is left (a click below would miss its target). */}
        <div role="status" className="pointer-events-none absolute z-20 mt-1 w-full text-xs">
          {open && shown.length === 0 && !busy && <span className="block rounded border bg-white px-2 py-1 text-slate-700 shadow-lg">{empty ?? "Nothing matches."}</span>}
        </div>
      </Command>
      <span id={messageId} className={`block text-xs ${error ? "text-red-700" : "text-slate-600"}`}>{error ?? hint}</span>
    </div>
  );
}
