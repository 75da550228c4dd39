import type { Context } from 'hono';
import type { Chrome } from '../../views/ui/layout.tsx';
import { clockFor, type Clock } from '../copy/time.ts';
import { PAGE_ASSETS } from './assets.ts';
import type { Env } from './env.ts';
import { requiredStep } from './portal.ts';
import { languageSwitchHref } from './language.ts';
import { portalPath } from './paths.ts';

/** The chrome of a page outside any practice (landing page, development mailbox, errors before a practice is known). */
export function bareChrome(): Chrome {
  return { assets: PAGE_ASSETS };
}

/** How this practice reads dates and times: its own time zone (practice setting "Time zone"), in the page's language. */
export function clockOf(c: Context<Env>): Clock {
  return clockFor(c.var.tenant.settings.timeZone, c.var.messages.locale);
}

/** The chrome of a practice's portal page: its name, the signed-in person, their menu. */
export function chrome(c: Context<Env>): Chrome {
  const { tenant, portal, account, messages } = c.var;
  const patient = portal === 'patient';
  return {
    assets: PAGE_ASSETS,
    lang: patient ? messages.lang : 'en',
    practiceName: tenant.name,
    portalLabel: patient ? messages.layout.portalName : 'Practice Portal',
    homeHref: portalPath(c, '/'),
    skipLabel: patient ? messages.layout.skip : undefined,
    menuLabel: patient ? messages.layout.menu : 'Menu',
    passwordWords: { show: messages.layout.showPassword, capsLock: messages.layout.capsLock },
    signOutAction: account ? portalPath(c, '/logout') : undefined,
    signOutLabel: patient ? messages.layout.signOut : 'Sign out',
    signedInAs: account ? (patient ? messages.layout.signedInAs(account.displayName) : `Signed in as ${account.displayName}`) : undefined,
    nav: account && !requiredStep(c) ? navFor(c) : undefined,
    languageSwitch: patient
      ? { ...messages.languageSwitch, href: languageSwitchHref(c, messages.languageSwitch.lang) }
      : undefined,
  };
}

/** The signed-in menu: each person sees the areas their role may open, and where they are now. */
function navFor(c: Context<Env>): NonNullable<Chrome['nav']> {
  const { account, tenant, portal, messages } = c.var;
  const here = new URL(c.req.url).pathname;
  const items: { path: string; label: string; show: boolean }[] = portal === 'patient'
    ? [
        { path: '/', label: messages.home.title, show: true },
        { path: '/settings/account', label: messages.home.settings, show: true },
      ]
    : [
        { path: '/', label: 'Home', show: true },
        { path: '/patients', label: 'Patient Administration', show: tenant.settings.patientAdminRoles.includes(account!.role ?? 'staff') },
        { path: '/staff', label: 'Staff', show: account!.role === 'admin' },
        { path: '/audit', label: 'Audit log', show: account!.role === 'admin' },
        { path: '/settings', label: 'Practice settings', show: account!.role === 'admin' },
        { path: '/account', label: 'My Account', show: true },
      ];
  return items.filter((item) => item.show).map((item) => {
    const href = portalPath(c, item.path);
    const current = item.path === '/' ? here === href || here === href.slice(0, -1) : here === href || here.startsWith(`${href}/`);
    return { href, label: item.label, current };
  });
}
