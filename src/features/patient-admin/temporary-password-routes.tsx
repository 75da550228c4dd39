import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  PrintoutGonePage, PrintoutPage, TemporaryPasswordForm, TemporaryPasswordPage, type TemporaryFormView,
} from '../../../views/patient-admin/temporary-password.tsx';
import { isLocale, messagesFor } from '../../copy/messages.ts';
import { languageOf } from '../../core/language.ts';
import { practiceText } from '../../copy/practice/index.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import { isHtmx, redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { isUuid } from '../../http/ids.ts';
import { requirePatientAdmin, scopeOf } from '../../http/portal.ts';
import type { Sql } from '../../platform/db.ts';
import { keyRingOf } from '../../platform/encryption.ts';
import { renderCredentialsSheet } from './credentials-sheet.ts';
import { accessKey, accessPath, type AccessKey, withPortalAccess } from './paths.ts';
import { getLinkedPatients } from '../../core/linked-patients.ts';
import { maskEmail } from '../../core/mask-email.ts';
import type { PortalAccess } from './portal-access.ts';
import { discardPrintout, readPrintout, setTemporaryPassword } from './temporary-password.ts';

const temporarySchema = z.object({
  mode: z.enum(['generate', 'type']).default('generate'),
  temporary_password: z.string().max(1024).default(''),
  notify: z.literal('1').optional(),
});

const patientNamesOf = async (tx: Sql, access: PortalAccess) =>
  (await getLinkedPatients(tx, access.accountId)).map((p) => `${p.firstName} ${p.lastName}`);

/** "Set temporary password" → the credentials sheet (P5). The plain password only ever reaches the PDF. */
export function temporaryPasswordRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const base = '/patients/:patientId/portal/:accountId';
  routes.use(`${base}/*`, requirePatientAdmin);

  const withAccess = <T,>(c: Context<Env>, lock: boolean, work: (tx: Sql, access: PortalAccess, key: AccessKey) => Promise<T>) =>
    withPortalAccess(deps, c, lock, work);

  function formView(c: Context<Env>, access: PortalAccess, patientNames: string[], extra: Partial<TemporaryFormView> = {}): TemporaryFormView {
    const key = accessKey(c)!;
    return {
      guardianName: `${access.contact.firstName} ${access.contact.lastName}`, patientNames, action: accessPath(c, key, '/temporary-password'),
      cancelHref: accessPath(c, key), typingAllowed: c.var.tenant.settings.staffMayTypeTemporaryPassword,
      maskedEmail: access.email ? maskEmail(access.email) : null, headingLevel: 1, ...extra,
    };
  }

  routes.get(`${base}/temporary-password`, async (c) => {
    const found = await withAccess(c, false, async (tx, access) => ({ access, names: await patientNamesOf(tx, access) }));
    if (!found) return renderError(c, 404);
    const { access, names } = found;
    if (access.status === 'deactivated') return redirect(c, accessPath(c, accessKey(c)!));
    c.header('Vary', 'HX-Request');
    if (isHtmx(c)) return c.html(<TemporaryPasswordForm view={formView(c, access, names, { headingLevel: 2 })} />);
    return c.html(<TemporaryPasswordPage chrome={chrome(c)} view={formView(c, access, names)} />);
  });

  routes.post(`${base}/temporary-password`, async (c) => {
    const form = await readForm(c, temporarySchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const typed = form.ok && form.data.mode === 'type' ? form.data.temporary_password : null;
    if (typed !== null && !c.var.tenant.settings.staffMayTypeTemporaryPassword) {
      return renderError(c, 403, practiceText.patients.temporary.typingRefused);
    }
    const notify = form.ok ? form.data.notify === '1' : false;
    const outcome = await withAccess(c, true, async (tx, access, key) => ({
      access,
      names: await patientNamesOf(tx, access),
      result: !form.ok || typed === ''
        ? null
        : await setTemporaryPassword(tx, scopeOf(c, deps), access, { patientId: key.patientId, typed, notify }),
    }));
    if (!outcome) return renderError(c, 404);
    const { access, names, result } = outcome;
    if (result?.ok) return redirect(c, accessPath(c, accessKey(c)!, `/printouts/${result.printoutId}`));
    if (result?.reason === 'deactivated') return redirect(c, accessPath(c, accessKey(c)!));
    const error = result?.reason === 'policy' ? result.message : practiceText.patients.temporary.typeIt;
    return c.html(<TemporaryPasswordPage chrome={chrome(c)} view={formView(c, access, names, { mode: 'type', notify, error })} />, 422);
  });

  const printoutKey = (c: Context<Env>) => {
    const key = accessKey(c);
    const printoutId = c.req.param('printoutId') ?? '';
    return key && isUuid(printoutId) ? { ...key, printoutId, staffId: c.var.account!.id } : null;
  };

  /** The printout with what the sheet needs; null when it is gone, expired, someone else's or not for this account. */
  async function loadSheet(c: Context<Env>) {
    const key = printoutKey(c);
    if (!key) return null;
    return withAccess(c, false, async (tx, access) => {
      const printout = await readPrintout(tx, keyRingOf(deps.config), key);
      return printout ? { access, printout, patientNames: await patientNamesOf(tx, access), language: await languageOf(tx, access.accountId) } : null;
    });
  }

  routes.get(`${base}/printouts/:printoutId`, async (c) => {
    const sheet = await loadSheet(c);
    c.header('Cache-Control', 'no-store');
    if (!sheet) return c.html(<PrintoutGonePage chrome={chrome(c)} backHref={accessKey(c) ? accessPath(c, accessKey(c)!) : '/'} />, 410);
    const key = accessKey(c)!;
    const { printout, access, language } = sheet;
    const here = accessPath(c, key, `/printouts/${c.req.param('printoutId')}`);
    const other = language === 'es' ? 'en' : 'es';
    const languages = practiceText.patients.printout.languages;
    const noticeText = 'sentTo' in printout.notice
      ? practiceText.patients.printout.noticeSent(printout.notice.sentTo)
      : printout.notice.missingReason === 'no_email' ? practiceText.patients.printout.noticeNoEmail : practiceText.patients.printout.noticeDeclined;
    return c.html(<PrintoutPage chrome={chrome(c)} view={{
      guardianName: `${access.contact.firstName} ${access.contact.lastName}`, temporaryUntil: clockOf(c).dateTime(printout.temporaryUntil),
      printoutExpiresAt: clockOf(c).time(printout.expiresAt), noticeText,
      pdfHref: `${here}/credentials.pdf?lang=${language}`, sheetLanguage: languages[language],
      other: { href: `${here}/credentials.pdf?lang=${other}`, language: languages[other] }, discardAction: `${here}/discard`, backHref: accessPath(c, key),
    }} />);
  });

  routes.get(`${base}/printouts/:printoutId/credentials.pdf`, async (c) => {
    const sheet = await loadSheet(c);
    c.header('Cache-Control', 'no-store');
    if (!sheet) return c.html(<PrintoutGonePage chrome={chrome(c)} backHref={accessKey(c) ? accessPath(c, accessKey(c)!) : '/'} />, 410);
    const { access, printout, patientNames } = sheet;
    const { tenant } = c.var;
    // In the language staff chose when printing, else the family's.
    const asked = c.req.query('lang');
    const pdf = await renderCredentialsSheet(messagesFor(isLocale(asked) ? asked : sheet.language), {
      practice: tenant.name,
      guardianName: `${access.contact.firstName} ${access.contact.lastName}`,
      patientNames,
      portalAddress: `${deps.config.publicUrl}/${tenant.slug}/patient/login`,
      username: access.username,
      temporaryPassword: printout.password,
      temporaryUntil: printout.temporaryUntil,
      timeZone: tenant.settings.timeZone,
      notice: printout.notice,
    });
    // The page's CSP would keep a browser's PDF viewer from showing the sheet; a PDF runs no script of ours.
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; object-src 'self'; style-src 'unsafe-inline'");
    c.header('Content-Disposition', 'inline; filename="credentials.pdf"');
    c.header('Content-Type', 'application/pdf');
    return c.body(new Uint8Array(pdf), 200);
  });

  routes.post(`${base}/printouts/:printoutId/discard`, async (c) => {
    const key = printoutKey(c);
    if (!key) return renderError(c, 404);
    const found = await withAccess(c, false, (tx) => discardPrintout(tx, key.printoutId, key.accountId, key.staffId));
    if (found === null) return renderError(c, 404);
    return redirect(c, `${accessPath(c, accessKey(c)!)}?done=discarded`);
  });

  return routes;
}
