// One copy of each repeated string. JSON.parse and database rows give every
// occurrence of a value its own string: at 100,000 associations and pods, the
// namespace, phase, node names, owner kinds, role ARNs, timestamps and messages
// repeated on every row are a large part of what a process keeps. An interner
// lives for one load (a snapshot, a report); the strings it returned stay
// shared after it is dropped.

/** Returns the first equal string it was given (longer strings are returned as they are: rarely repeated, costly to hash). */
export type Intern = (s: string) => string;

export function stringInterner(maxLength = 512): Intern {
  const seen = new Map<string, string>();
  return (s) => {
    if (s.length > maxLength) return s;
    const kept = seen.get(s);
    if (kept !== undefined) return kept;
    seen.set(s, s);
    return s;
  };
}

/** One object per distinct key: equal values built many times (a kept view's rows) share the first one built. */
export function objectInterner<T>(keyOf: (value: T) => string): (value: T) => T {
  const seen = new Map<string, T>();
  return (value) => {
    const key = keyOf(value);
    const kept = seen.get(key);
    if (kept !== undefined) return kept;
    seen.set(key, value);
    return value;
  };
}

/** JSON.parse with every string value passed through `intern` (keys are interned by V8 already). */
export function parseInterned<T>(text: string, intern: Intern): T {
  return JSON.parse(text, (_key, value: unknown) => (typeof value === "string" ? intern(value) : value)) as T;
}
