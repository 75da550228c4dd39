import { Hono } from 'hono';
import { z } from 'zod';
import { LanguageSection } from '../../../views/language/language.tsx';
import { LOCALES } from '../../copy/messages.ts';
import { saveLanguage } from '../../core/language.ts';
import { redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { LANGUAGE_SWITCH_PATH, setLanguageCookie, switchTarget } from '../../http/language.ts';
import { portalPath } from '../../http/paths.ts';
import { requireAccount, scopeOf } from '../../http/portal.ts';
import type { PageSlot } from '../../http/slots.ts';

const SETTINGS = '/settings/account';
const SAVE_PATH = `${SETTINGS}/language`;
const languageSchema = z.object({ language: z.enum(LOCALES) });

/**
 * The patient portal's language: the switcher link on every page (GET /language?to=es&next=…) and the Settings
 * choice "Idioma" (POST /settings/account/language). Both remember the language in this browser (the `lang`
 * cookie); a signed-in account also keeps it as its saved choice, which its emails, texts and sheets follow.
 */
export function languageRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();

  routes.get(LANGUAGE_SWITCH_PATH, async (c) => {
    const to = c.req.query('to');
    const parsed = languageSchema.safeParse({ language: to });
    if (!parsed.success) return renderError(c, 400);
    const { language } = parsed.data;
    setLanguageCookie(c, deps, language);
    // A link followed from another site changes this browser's pages only, never the account's saved choice.
    const site = c.req.header('sec-fetch-site');
    if (c.var.account && (!site || site === 'same-origin' || site === 'none')) {
      await deps.db.inTenant(c.var.tenant.id, (tx) => saveLanguage(tx, scopeOf(c, deps), c.var.account!.id, language));
    }
    return c.redirect(switchTarget(c, c.req.query('next')) ?? portalPath(c, '/'), 303);
  });

  routes.use(SAVE_PATH, requireAccount);
  routes.post(SAVE_PATH, async (c) => {
    const form = await readForm(c, languageSchema);
    if (!form.ok) return renderError(c, form.status === 422 ? 400 : form.status);
    const { language } = form.data;
    await deps.db.inTenant(c.var.tenant.id, (tx) => saveLanguage(tx, scopeOf(c, deps), c.var.account!.id, language));
    setLanguageCookie(c, deps, language);
    return redirect(c, portalPath(c, `${SETTINGS}?language=saved#language`));
  });

  return routes;
}

/** The "Idioma" / "Language" section of the family's Settings page. */
export function languageAccountSlot(): PageSlot {
  return (c) => (
    <LanguageSection t={c.var.messages.language} current={c.var.messages.lang} action={portalPath(c, SAVE_PATH)}
      saved={c.req.query('language') === 'saved'} />
  );
}
