import type { Context } from 'hono';
import type { z } from 'zod';

export type FormResult<T> =
  | { ok: true; data: T; raw: Record<string, string> }
  | { ok: false; status: 400 | 415; raw: Record<string, string> }
  | { ok: false; status: 422; raw: Record<string, string>; errors: Record<string, string> };

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Reads a submitted form and validates it with `schema`. Only single string fields are accepted; anything else
 * (files, repeated fields, a JSON body, a broken encoding) is a 4xx, with what could be read kept for the form.
 */
export async function readForm<S extends z.ZodType>(c: Context, schema: S): Promise<FormResult<z.infer<S>>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) return { ok: false, status: 415, raw: {} };
  let body: Record<string, unknown>;
  try {
    body = type === FORM_TYPES[0] ? urlEncodedFields(await c.req.text()) : await c.req.parseBody({ all: true });
  } catch {
    return { ok: false, status: 400, raw: {} };
  }
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') raw[key] = value;
    else return { ok: false, status: 400, raw };
  }
  if (Object.values(raw).some((value) => value.includes('\uFFFD') || value.includes('\u0000'))) {
    return { ok: false, status: 400, raw: {} };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, raw };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= issue.message;
  }
  return { ok: false, status: 422, raw, errors };
}

/**
 * A urlencoded body read straight from its text, as parseBody({ all: true }) reads it (a repeated name or one ending
 * in [] gives a list, which the form then refuses) without building a Response to parse it.
 */
function urlEncodedFields(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const before = fields[key];
    if (before === undefined) fields[key] = key.endsWith('[]') ? [value] : value;
    else fields[key] = [before, value].flat();
  }
  return fields;
}
