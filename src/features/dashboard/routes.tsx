import { Hono, type Context } from 'hono';
import { AttentionPage } from '../../../views/dashboard/attention.tsx';
import { PatientHomePage } from '../../../views/dashboard/home.tsx';
import { PracticeHomePage, type Moment } from '../../../views/dashboard/practice-home.tsx';
import { PRACTICE_HOME_NOTICES, ROLE_LABELS } from '../../copy/practice.ts';
import { PRACTICE_HOME } from '../../copy/practice-home.ts';
import { formatCalendarDate } from '../../copy/time.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { requireAccount, requireRole } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import { getLinkedPatients } from '../../core/linked-patients.ts';
import { isAttentionKind, listAttention } from './attention.ts';
import { adminHome, attentionItems, canDoFor } from './home-parts.ts';
import { getOwnAccountState } from './own-account.ts';
import { listRecentPatients } from './recent-patients.ts';
import { getSignInHealth } from './sign-in-health.ts';

/**
 * Home of either portal (/{t}/practice/, /{t}/patient/): an administrator sees the practice's sign-in health, the
 * front desk the patient search and its recent patients, everyone their own account; guardians their family.
 * /{t}/practice/attention/{kind} lists what each of the administrator's numbers counts.
 */
export function homeRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();

  routes.get('/', requireAccount, async (c) => {
    const account = c.var.account!;
    // After a forced first password or security question (G4): a sentence saying it worked.
    const done = c.req.query('done');
    const m = c.var.messages.account;
    const notice = done === 'password-set' ? m.passwordSet : done === 'question-set' ? m.questionSet
      : c.var.portal === 'practice' ? PRACTICE_HOME_NOTICES[done ?? ''] ?? null : null;
    return c.var.portal === 'practice' ? practiceHome(c, notice) : patientHome(c, notice);
  });

  async function practiceHome(c: Context<Env>, notice: string | null) {
    const account = c.var.account!;
    const { tenant } = c.var;
    const clock = clockOf(c);
    const isAdmin = account.role === 'admin';
    const mayFindPatients = tenant.settings.patientAdminRoles.includes(account.role ?? 'staff');
    // Reads that do not wait on each other go out together: one round trip for each step of the page.
    const data = await deps.db.inTenant(tenant.id, async (tx) => {
      if (isAdmin) {
        const [own, health] = await Promise.all([getOwnAccountState(tx, account.id), getSignInHealth(tx, tenant.settings.timeZone)]);
        const [locked, expiring] = await Promise.all([
          health.lockedStaff + health.lockedFamily > 0 ? listAttention(tx, 'locked', null, 5) : null,
          health.invitationsExpiring > 0 ? listAttention(tx, 'invitations', null, 5) : null,
        ]);
        return { own, admin: { health, locked: locked?.rows ?? [], expiring: expiring?.rows ?? [] }, recent: null };
      }
      const [own, recent] = await Promise.all([
        getOwnAccountState(tx, account.id), mayFindPatients ? listRecentPatients(tx, account.id) : null,
      ]);
      return { own, admin: null, recent };
    });
    const moment = (when: Date): Moment => ({ iso: when.toISOString(), text: clock.dateTime(when) });
    const paths = { portal: (path: string) => portalPath(c, path) };
    return c.html(
      <PracticeHomePage
        chrome={chrome(c)} name={account.displayName} role={account.role ? ROLE_LABELS[account.role] : null} notice={notice}
        you={{
          ...data.own, previousSignIn: data.own.previousSignInAt ? moment(data.own.previousSignInAt) : null,
          accountHref: portalPath(c, '/account'), twoFactorHref: portalPath(c, '/account/two-factor'),
        }}
        canDo={canDoFor(account.role, mayFindPatients, paths)}
        admin={data.admin && adminHome(data.admin, { staffTwoFactorRequired: tenant.settings.staffTwoFactorRequired, clock, paths })}
        frontDesk={data.recent && {
          searchAction: portalPath(c, '/patients'),
          recent: data.recent.map((p) => ({
            name: `${p.lastName}, ${p.firstName}`, href: portalPath(c, `/patients/${p.id}`), accountNumber: p.accountNumber,
            dateOfBirth: formatCalendarDate(p.dateOfBirth), opened: moment(p.openedAt),
          })),
        }}
      />,
    );
  }

  async function patientHome(c: Context<Env>, notice: string | null) {
    const account = c.var.account!;
    const { tenant } = c.var;
    const clock = clockOf(c);
    const [patients, own] = await deps.db.inTenant(tenant.id, (tx) => Promise.all([
      getLinkedPatients(tx, account.id), getOwnAccountState(tx, account.id),
    ]));
    return c.html(
      <PatientHomePage chrome={chrome(c)} t={c.var.messages} name={account.displayName} patients={patients}
        settingsHref={portalPath(c, '/settings/account')} notice={notice}
        account={{
          signInName: account.email ?? account.username, twoFactor: own.twoFactor, passkeys: own.passkeys, sessions: own.sessions,
          previousSignIn: own.previousSignInAt ? { iso: own.previousSignInAt.toISOString(), text: clock.dateTime(own.previousSignInAt) } : null,
        }}
        practice={{ name: tenant.name, phone: tenant.settings.phoneNumber }} />,
    );
  }

  // The lists behind the administrator's numbers: practice portal, administrators only (another portal has none).
  routes.get('/attention/:kind', async (c, next) => (c.var.portal === 'practice' ? next() : renderError(c, 404)), requireRole('admin'), async (c) => {
    const kind = c.req.param('kind');
    const after = c.req.query('after') ?? null;
    if (!isAttentionKind(kind)) return renderError(c, 404);
    const page = await deps.db.inTenant(c.var.tenant.id, (tx) => listAttention(tx, kind, after));
    if (!page) return renderError(c, 400, PRACTICE_HOME.attention.badPage);
    const base = portalPath(c, `/attention/${kind}`);
    return c.html(
      <AttentionPage chrome={chrome(c)} kind={kind} homeHref={portalPath(c, '/')}
        items={attentionItems(page.rows, kind, { clock: clockOf(c), paths: { portal: (path: string) => portalPath(c, path) } })}
        nextHref={page.next ? `${base}?${new URLSearchParams({ after: page.next })}` : null} firstHref={after ? base : null} />,
    );
  });

  return routes;
}
