import { Hono } from 'hono';
import { PatientHomePage, PracticeHomePage } from '../../../views/dashboard/home.tsx';
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
    if (c.var.portal === 'practice') {
      const links = (page.nav ?? []).filter((item) => !item.current);
      return c.html(<PracticeHomePage chrome={page} name={account.displayName} role={account.role} links={links} />);
    }
    const patients = await deps.db.inTenant(c.var.tenant.id, (tx) => getLinkedPatients(tx, account.id));
    return c.html(
      <PatientHomePage chrome={page} t={c.var.messages} name={account.displayName} patients={patients} settingsHref={portalPath(c, '/settings/account')} />,
    );
  });
  return routes;
}
