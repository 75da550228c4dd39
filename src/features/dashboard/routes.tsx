import { Hono } from 'hono';
import { PatientHomePage, PracticeHomePage } from '../../../views/dashboard/home.tsx';
import type { AppDeps, Env } from '../../http/env.ts';
import { chrome, portalPath, requireAccount } from '../../http/portal.ts';
import { getLinkedPatients } from './linked-patients.ts';

export function practiceHomeRoutes(_deps: AppDeps) {
  const routes = new Hono<Env>();
  routes.get('/', requireAccount, (c) => {
    const account = c.var.account!;
    const page = chrome(c);
    const links = (page.nav ?? []).filter((item) => !item.current);
    return c.html(<PracticeHomePage chrome={page} name={account.displayName} role={account.role} links={links} />);
  });
  return routes;
}

export function patientHomeRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  routes.get('/', requireAccount, async (c) => {
    const account = c.var.account!;
    const patients = await deps.db.inTenant(c.var.tenant.id, (tx) => getLinkedPatients(tx, account.id));
    return c.html(
      <PatientHomePage chrome={chrome(c)} t={c.var.messages} name={account.displayName} patients={patients} settingsHref={portalPath(c, '/settings/account')} />,
    );
  });
  return routes;
}
