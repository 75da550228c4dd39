// The practice settings form as the page shows it, ready to post back with some fields changed: text and phone
// fields, ticked checkboxes and chosen options, read off the page's HTML.
import type { Client } from './harness.ts';

/** Every field as `client` would post it today from `path`, with `changes` on top (undefined leaves a box unticked). */
export async function settingsForm(client: Client, path: string, changes: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const html = await (await client.get(path)).text();
  const form: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="field-[a-z_]+" name="([a-z_]+)" type="(?:text|tel)" value="([^"]*)"/g)) form[m[1]] = m[2];
  for (const m of html.matchAll(/<input type="checkbox" id="field-[a-z_]+" name="([a-z_]+)" value="1"( checked="")?/g)) if (m[2]) form[m[1]] = '1';
  for (const m of html.matchAll(/<select[^>]*name="([a-z_]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = m[2].match(/<option value="([^"]*)"[^>]*selected/);
    if (chosen) form[m[1]] = chosen[1];
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete form[key];
    else form[key] = value;
  }
  return form;
}
