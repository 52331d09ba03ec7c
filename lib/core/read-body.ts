import "server-only";

/** Request bodies larger than this are refused (413) before they are read in full or parsed. */
export const MAX_BODY_BYTES = 256 * 1024;

const tooLarge = () =>
  Response.json(
    { error: { code: "too_large", message: `The request body is larger than ${MAX_BODY_BYTES / 1024} kB: send less (split a batch into several requests).` } },
    { status: 413 },
  );

/** The body as text, or null once it passes `limit` bytes (read chunk by chunk, never buffered past the cap). */
export async function readCappedText(request: Request, limit = MAX_BODY_BYTES): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The JSON body, {} when empty; a 413 Response past 256 kB; a 400 Response when it is not JSON. */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const text = await readCappedText(request);
  if (text === null) return { ok: false, response: tooLarge() };
  if (!text.trim()) return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, response: Response.json({ error: { code: "invalid", message: "The request body is not valid JSON.", fields: { _: ["not valid JSON"] } } }, { status: 400 }) };
  }
}
