import type { Context } from 'hono';

export type JsonBody = { ok: true; data: unknown } | { ok: false; status: 400 | 415 };

/** A JSON request body, or why not: 415 for another content type, 400 for text that is not JSON. */
export async function readJson(c: Context): Promise<JsonBody> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415 };
  try {
    return { ok: true, data: JSON.parse(await c.req.text()) };
  } catch {
    return { ok: false, status: 400 };
  }
}
