import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { EnrolPage, ManagePage, RecoveryCodesPage, SetupStartPage, type ManageErrors } from '../../../views/two-factor/settings.tsx';
import { twoFactorText } from '../../copy/practice.ts';
import { recordEvent } from '../../core/audit.ts';
import { getTwoFactorStatus, turnOffTwoFactor } from '../../core/second-factor.ts';
import type { Portal } from '../../core/tenant.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import { redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { ownPasswordProblem } from '../../http/own-password.ts';
import { requireAccount, scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import type { Sql } from '../../platform/db.ts';
import {
  RECOVERY_CODE_PATTERN, confirmEnrolment, getEnrolmentSecret, notifyTwoFactorChange, otpauthUri, qrCodeSvg, replaceRecoveryCodes, startEnrolment,
} from './two-factor.ts';

const passwordSchema = z.object({ current_password: z.string().min(1).max(1024) });
const codeSchema = z.object({ code: z.string().trim().min(1).max(64) });
const codesSchema = z.object({ codes: z.string().max(400) });

/** My Account (practice) or Settings (patient) → Two-factor authentication: set up, new recovery codes, turn off. */
export function twoFactorSettingsRoutes(deps: AppDeps, portal: Portal) {
  const routes = new Hono<Env>();
  const area = portal === 'practice' ? '/account' : '/settings/account';
  const base = `${area}/two-factor`;
  const path = (c: Context<Env>, suffix = '') => portalPath(c, `${base}${suffix}`);
  const inTenant = <T,>(c: Context<Env>, work: (tx: Sql) => Promise<T>) => deps.db.inTenant(c.var.tenant.id, work);
  const audit = (tx: Sql, c: Context<Env>, action: 'two_factor.enabled' | 'two_factor.disabled' | 'two_factor.recovery_codes_replaced') =>
    recordEvent(tx, c.var.origin, { action, actorAccountId: c.var.account!.id, subjectAccountId: c.var.account!.id, detail: { portal } });

  routes.use(`${base}/*`, requireAccount);
  routes.use(base, requireAccount);

  async function renderSettings(c: Context<Env>, status: 200 | 400 | 422 | 429, extra: { error?: string | null; problem?: string | null; manage?: ManageErrors } = {}) {
    const account = c.var.account!;
    const t = twoFactorText(c.var.portal, c.var.messages);
    const state = await inTenant(c, async (tx) => ({
      status: await getTwoFactorStatus(tx, account.id),
      secret: await getEnrolmentSecret(tx, deps.config, account.id, c.var.sessionId!),
    }));
    c.header('Cache-Control', 'no-store');
    const page = { chrome: chrome(c), t };
    const required = portal === 'practice' && c.var.tenant.settings.staffTwoFactorRequired;
    if (state.status.enabled) {
      return c.html(<ManagePage {...page} since={clockOf(c).date(state.status.enabledAt!)} codesLeft={state.status.recoveryCodesLeft}
        codesAction={path(c, '/recovery-codes')} offAction={path(c, '/disable')} required={required} errors={extra.manage} />, status);
    }
    if (state.secret) {
      const qrSvg = await qrCodeSvg(otpauthUri(state.secret, c.var.tenant.name, account.username));
      return c.html(<EnrolPage {...page} action={path(c, '/confirm')} qrSvg={qrSvg} secret={state.secret} error={extra.error} />, status);
    }
    return c.html(
      <SetupStartPage {...page} action={path(c, '/start')} required={required ? t.required(c.var.tenant.name) : null}
        notice={c.req.query('done') === 'off' ? t.turnedOff : null} problem={extra.problem} error={extra.error} />,
      status,
    );
  }

  function renderCodes(c: Context<Env>, codes: string[], notice?: string) {
    c.header('Cache-Control', 'no-store');
    return c.html(<RecoveryCodesPage chrome={chrome(c)} t={twoFactorText(c.var.portal, c.var.messages)} codes={codes} downloadAction={path(c, '/recovery-codes/download')} doneHref={portalPath(c, area)}
      notice={notice} />);
  }

  routes.get(base, (c) => renderSettings(c, 200));

  routes.post(`${base}/start`, async (c) => {
    const form = await readForm(c, passwordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    if (c.var.account!.twoFactorEnabled) return redirect(c, path(c));
    if (!form.ok) return renderSettings(c, 422, { error: c.var.messages.account.currentPasswordMissing });
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password);
    if (wrong) return renderSettings(c, wrong.status, { error: wrong.message });
    await inTenant(c, (tx) => startEnrolment(tx, deps.config, c.var.account!.id, c.var.sessionId!));
    return redirect(c, path(c));
  });

  routes.post(`${base}/confirm`, async (c) => {
    const form = await readForm(c, codeSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const t = twoFactorText(c.var.portal, c.var.messages);
    if (c.var.account!.twoFactorEnabled) return redirect(c, path(c));
    if (!form.ok) return renderSettings(c, 422, { error: t.missing });
    const result = await inTenant(c, async (tx) => {
      const confirmed = await confirmEnrolment(tx, deps.config, c.var.account!.id, c.var.sessionId!, form.data.code);
      if (confirmed.ok) {
        await audit(tx, c, 'two_factor.enabled');
        await notifyTwoFactorChange(tx, scopeOf(c, deps), c.var.account!.id, 'enabled');
      }
      return confirmed;
    });
    if (result.ok) return renderCodes(c, result.recoveryCodes, t.turnedOn);
    if (result.reason === 'expired') return renderSettings(c, 400, { problem: t.setupExpired });
    return renderSettings(c, 422, { error: t.confirmWrong });
  });

  routes.post(`${base}/recovery-codes`, async (c) => {
    const form = await readForm(c, passwordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    if (!c.var.account!.twoFactorEnabled) return redirect(c, path(c));
    if (!form.ok) return renderSettings(c, 422, { manage: { codes: c.var.messages.account.currentPasswordMissing } });
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password);
    if (wrong) return renderSettings(c, wrong.status, { manage: { codes: wrong.message } });
    const codes = await inTenant(c, async (tx) => {
      const fresh = await replaceRecoveryCodes(tx, deps.config, c.var.account!.id);
      await audit(tx, c, 'two_factor.recovery_codes_replaced');
      return fresh;
    });
    return renderCodes(c, codes);
  });

  // The codes come back from the page that showed them (only their hashes are stored); nothing changes here.
  routes.post(`${base}/recovery-codes/download`, async (c) => {
    const form = await readForm(c, codesSchema);
    if (!form.ok) return renderError(c, form.status === 422 ? 400 : form.status);
    const codes = form.data.codes.split(/\s+/).filter(Boolean);
    if (codes.length === 0 || codes.length > 10 || !codes.every((code) => RECOVERY_CODE_PATTERN.test(code))) return renderError(c, 400);
    const t = twoFactorText(c.var.portal, c.var.messages);
    const lines = [t.codesFileTitle(c.var.tenant.name, c.var.account!.username), t.codesFileNote, '', ...codes, ''];
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${c.var.tenant.slug}-recovery-codes.txt"`);
    c.header('Cache-Control', 'no-store');
    return c.body(lines.join('\r\n'));
  });

  routes.post(`${base}/disable`, async (c) => {
    const form = await readForm(c, passwordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    if (!c.var.account!.twoFactorEnabled) return redirect(c, path(c));
    if (!form.ok) return renderSettings(c, 422, { manage: { off: c.var.messages.account.currentPasswordMissing } });
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password);
    if (wrong) return renderSettings(c, wrong.status, { manage: { off: wrong.message } });
    await inTenant(c, async (tx) => {
      await turnOffTwoFactor(tx, c.var.account!.id);
      await audit(tx, c, 'two_factor.disabled');
      await notifyTwoFactorChange(tx, scopeOf(c, deps), c.var.account!.id, 'disabled');
    });
    return redirect(c, `${path(c)}?done=off`);
  });

  return routes;
}
