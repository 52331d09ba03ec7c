// Postgres text and jsonb cannot hold U+0000: a NUL anywhere in an input (a filter,
// a justification, a tag key) made the query or insert fail with 22021, which the
// pipeline answered as a 500. It is refused up front instead, naming the field.

/** The dotted path of the first string or object key holding U+0000 ("_" for the input itself), or null. */
export function nulCharacterPath(input: unknown): string | null {
  // Iterative: a body may nest thousands of levels deep within the size cap.
  const stack: [unknown, string][] = [[input, ""]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return path || "_";
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes("\u0000")) return at;
        stack.push([child, at]);
      }
    }
  }
  return null;
}
