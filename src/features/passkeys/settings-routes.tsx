import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { PasskeyAccountSection, RemovePasskeyPage } from '../../../views/passkeys/passkeys.tsx';
import type { Portal } from '../../core/tenant.ts';
import { chrome } from '../../http/chrome.ts';
import { redirect } from '../../http/client.ts';
import { clearPasskeyCookie, readPasskeyCookie, setPasskeyCookie } from '../../http/cookies.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { isUuid } from '../../http/ids.ts';
import { readJson } from '../../http/json.ts';
import { ownPasswordProblem } from '../../http/own-password.ts';
import { portalPath } from '../../http/paths.ts';
import { requireAccount, scopeOf } from '../../http/portal.ts';
import type { PageSlot } from '../../http/slots.ts';
import type { Sql } from '../../platform/db.ts';
import { MAX_PASSKEYS, beginRegistration, finishRegistration, getOwnPasskey, listPasskeys, removeOwnPasskey } from './passkeys.ts';
import { timeZoneOf } from './relying-party.ts';
import { parseRegistrationResponse } from './responses.ts';
import { passkeyScripts } from './scripts.ts';

const addSchema = z.object({ passkey_name: z.string().trim().min(1).max(60), current_password: z.string().min(1).max(1024) });
const removeSchema = z.object({ current_password: z.string().min(1).max(1024) });

const areaOf = (portal: Portal) => (portal === 'practice' ? '/account' : '/settings/account');

/**
 * My Account (practice) or Settings (patient) → Passkeys: adding one takes the current password, then the browser's
 * ceremony (POST …/passkeys/options answers JSON options, POST …/passkeys takes the browser's JSON answer); removing
 * one is a plain form behind a confirmation page, so it works without JavaScript.
 */
export function passkeySettingsRoutes(deps: AppDeps, portal: Portal) {
  const routes = new Hono<Env>();
  const area = areaOf(portal);
  const base = `${area}/passkeys`;
  const inTenant = <T,>(c: Context<Env>, work: (tx: Sql) => Promise<T>) => deps.db.inTenant(c.var.tenant.id, work);
  const words = (c: Context<Env>) => c.var.messages.passkeys;
  routes.use(base, requireAccount);
  routes.use(`${base}/*`, requireAccount);

  routes.post(`${base}/options`, async (c) => {
    const t = words(c);
    c.header('Cache-Control', 'no-store');
    const form = await readForm(c, addSchema);
    if (!form.ok && form.status !== 422) return c.json({ error: t.addFailed }, form.status);
    if (!form.ok) {
      const field = form.errors.passkey_name ? 'passkey_name' : 'current_password';
      const error = field === 'passkey_name' ? t.nameMissing : c.var.messages.account.currentPasswordMissing;
      return c.json({ error, field }, 422);
    }
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password);
    if (wrong) return c.json({ error: wrong.message, field: 'current_password' }, wrong.status);
    const input = { sessionId: c.var.sessionId!, name: form.data.passkey_name, previousSecret: readPasskeyCookie(c) };
    const result = await inTenant(c, (tx) => beginRegistration(tx, scopeOf(c, deps), input));
    if (!result.ok) return c.json({ error: t.tooMany(MAX_PASSKEYS) }, 409);
    setPasskeyCookie(c, deps, result.secret);
    return c.json(result.options);
  });

  routes.post(base, async (c) => {
    const t = words(c);
    c.header('Cache-Control', 'no-store');
    const body = await readJson(c);
    if (!body.ok) return c.json({ error: t.addFailed }, body.status);
    const response = parseRegistrationResponse(body.data);
    if (!response) return c.json({ error: t.addFailed }, 400);
    const secret = readPasskeyCookie(c);
    clearPasskeyCookie(c, deps);
    const result = await inTenant(c, (tx) => finishRegistration(tx, scopeOf(c, deps), { secret, sessionId: c.var.sessionId!, response }));
    if (result.ok) return c.json({ redirect: `${portalPath(c, area)}?passkey=added#passkeys` });
    switch (result.reason) {
      case 'expired':
        return c.json({ error: t.expired }, 400);
      case 'already_added':
        return c.json({ error: t.alreadyAdded }, 409);
      case 'too_many':
        return c.json({ error: t.tooMany(MAX_PASSKEYS) }, 409);
      default:
        return c.json({ error: t.addFailed }, 400);
    }
  });

  async function renderRemove(c: Context<Env>, status: 200 | 422 | 429, error?: string | null) {
    const id = c.req.param('id') ?? '';
    const passkey = isUuid(id) ? await inTenant(c, (tx) => getOwnPasskey(tx, scopeOf(c, deps), id)) : null;
    if (!passkey) return renderError(c, 404, words(c).notFound);
    c.header('Cache-Control', 'no-store');
    return c.html(
      <RemovePasskeyPage chrome={chrome(c)} t={words(c)} currentPasswordLabel={c.var.messages.account.currentPasswordLabel} name={passkey.name}
        action={portalPath(c, `${base}/${passkey.id}/remove`)} cancelHref={`${portalPath(c, area)}#passkeys`} error={error} />,
      status,
    );
  }

  routes.get(`${base}/:id/remove`, (c) => renderRemove(c, 200));

  routes.post(`${base}/:id/remove`, async (c) => {
    const form = await readForm(c, removeSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    if (!form.ok) return renderRemove(c, 422, c.var.messages.account.currentPasswordMissing);
    const id = c.req.param('id');
    if (!isUuid(id)) return renderError(c, 404, words(c).notFound);
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password);
    if (wrong) return renderRemove(c, wrong.status, wrong.message);
    const removed = await inTenant(c, (tx) => removeOwnPasskey(tx, scopeOf(c, deps), id));
    if (!removed.ok) return renderError(c, 404, words(c).notFound);
    return redirect(c, `${portalPath(c, area)}?passkey=removed#passkeys`);
  });

  return routes;
}

/** The "Passkeys" section of My Account / Settings (src/app.ts hands it to the account page). */
export function passkeyAccountSlot(deps: AppDeps, portal: Portal): PageSlot {
  const base = `${areaOf(portal)}/passkeys`;
  return async (c) => {
    const t = c.var.messages.passkeys;
    const passkeys = await deps.db.inTenant(c.var.tenant.id, (tx) => listPasskeys(tx, c.var.account!.id));
    const done = c.req.query('passkey');
    return (
      <PasskeyAccountSection t={t} currentPasswordLabel={c.var.messages.account.currentPasswordLabel} passkeys={passkeys}
        timeZone={timeZoneOf(c.var.tenant)} locale={c.var.messages.locale} addAction={portalPath(c, `${base}/options`)} verifyAction={portalPath(c, base)}
        removeHref={(id) => portalPath(c, `${base}/${id}/remove`)} scripts={passkeyScripts()}
        notice={done === 'added' ? t.added : done === 'removed' ? t.removed : null} />
    );
  };
}
