import { Hono, type Context } from 'hono';
import { PracticeSettingsPage, SettingsForm } from '../../../views/practice-settings/practice-settings.tsx';
import { practiceText } from '../../copy/practice/index.ts';
import { chrome } from '../../http/chrome.ts';
import { isHtmx, redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { requireRole, scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import {
  PATIENT_ADMIN_CHOICES, SETTINGS_SECTIONS, formValuesFrom, savePracticeSettings, settingsFormSchema, settingsFromForm,
} from './practice-settings.ts';

const NOTICES: Record<string, string> = {
  '1': practiceText.settings.saved,
  '0': practiceText.settings.unchanged,
};

/** P7: /settings on the practice portal, for administrators only. */
export function practiceSettingsRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();

  routes.get('/settings', requireRole('admin'), (c) =>
    render(c, 200, formValuesFrom(c.var.tenant.settings), undefined, NOTICES[c.req.query('saved') ?? ''] ?? null));

  routes.post('/settings', requireRole('admin'), async (c) => {
    const form = await readForm(c, settingsFormSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    if (!form.ok) return render(c, 422, form.raw, form.errors);
    const change = await deps.db.inTenant(c.var.tenant.id, (tx) =>
      savePracticeSettings(tx, scopeOf(c, deps), settingsFromForm(form.data)));
    return redirect(c, portalPath(c, `/settings?saved=${change ? 1 : 0}`));
  });

  function render(c: Context<Env>, status: 200 | 422, values: Record<string, string>, errors?: Record<string, string>, notice?: string | null) {
    const form = { action: portalPath(c, '/settings'), sections: SETTINGS_SECTIONS, roleChoices: PATIENT_ADMIN_CHOICES, values, errors };
    if (isHtmx(c)) return c.html(<SettingsForm {...form} />, status);
    return c.html(<PracticeSettingsPage chrome={chrome(c)} {...form} notice={notice} />, status);
  }

  return routes;
}
