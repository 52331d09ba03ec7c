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

/**
 * JSON.parse with every string value passed through `intern` (keys are interned by V8 already). `sharedMaps`:
 * property names whose values, when string-to-string maps, are shared between equal ones (a pod's credential
 * env, a resource's tags, labels or annotations: the same few maps on 100,000 objects, each its own object
 * otherwise). Callers must not edit what it returns in place.
 */
export function parseInterned<T>(text: string, intern: Intern, sharedMaps?: ReadonlySet<string>): T {
  const maps = sharedMaps?.size ? objectInterner<Record<string, string>>(JSON.stringify) : null;
  return JSON.parse(text, (key, value: unknown) => {
    if (typeof value === "string") return intern(value);
    if (maps && sharedMaps!.has(key) && isStringMap(value)) return maps(value);
    return value;
  }) as T;
}

function isStringMap(value: unknown): value is Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== "string") return false;
  return true;
}

/**
 * The same text as one flat string. V8 keeps a string built by `+` or a template as a tree of its pieces
 * (a 32-byte node per join: eight for a drift key's five parts), and a tree kept for the life of a view costs
 * about twice the flat text. Measured on 100,000 keys of four parts: 182 -> 115 bytes each. Only for strings
 * kept long: it copies the text.
 */
export function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
