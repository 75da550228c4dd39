import { Hono } from 'hono';
import { PatientHomePage, PracticeHomePage } from '../../../views/dashboard/home.tsx';
import { PRACTICE_HOME_NOTICES, ROLE_LABELS } from '../../copy/practice.ts';
import { chrome } from '../../http/chrome.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { requireAccount } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import { getLinkedPatients } from '../../core/linked-patients.ts';

/** Home of either portal (/{t}/practice/, /{t}/patient/): staff see where they can go, guardians their family. */
export function homeRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  routes.get('/', requireAccount, async (c) => {
    const account = c.var.account!;
    const page = chrome(c);
    // After a forced first password or security question (G4): a sentence saying it worked.
    const done = c.req.query('done');
    const m = c.var.messages.account;
    const notice = done === 'password-set' ? m.passwordSet : done === 'question-set' ? m.questionSet
      : c.var.portal === 'practice' ? PRACTICE_HOME_NOTICES[done ?? ''] ?? null : null;
    if (c.var.portal === 'practice') {
      const links = (page.nav ?? []).filter((item) => !item.current);
      const role = account.role ? ROLE_LABELS[account.role] : null;
      return c.html(<PracticeHomePage chrome={page} name={account.displayName} role={role} links={links} notice={notice} />);
    }
    const patients = await deps.db.inTenant(c.var.tenant.id, (tx) => getLinkedPatients(tx, account.id));
    return c.html(
      <PatientHomePage chrome={page} t={c.var.messages} name={account.displayName} patients={patients} settingsHref={portalPath(c, '/settings/account')}
        notice={notice} />,
    );
  });
  return routes;
}
