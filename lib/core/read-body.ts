import "server-only";
/** The JSON body, {} when empty; a 400 Response when it is not JSON. */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const text = await request.text();
  if (!text.trim()) return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, response: Response.json({ error: { code: "invalid", message: "The request body is not valid JSON.", fields: { _: ["not valid JSON"] } } }, { status: 400 }) };
  }
}
