import type { AttentionItem } from '../../../views/dashboard/attention.tsx';
import type { AdminHome, Stat } from '../../../views/dashboard/practice-home.tsx';
import { EMAIL_KIND_LABELS, PRACTICE_HOME as H } from '../../copy/practice-home.ts';
import type { Clock } from '../../copy/time.ts';
import type { AttentionKind, AttentionRow } from './attention.ts';
import type { SignInHealth } from './sign-in-health.ts';

// What the homes show, from what the domain read: numbers with the list each counts, rows with the page and the
// action that handle them, and what a role may do. Paths come from the route (`portal` turns /x into /{t}/practice/x).

type Paths = { portal: (path: string) => string };
const A = H.attention;

/** A staff member's page, or the portal access page of a guardian (through a patient they are linked to). */
function pageOf(row: { accountId: string | null; portal: string; patientId: string | null }, paths: Paths, suffix = ''): string | null {
  if (!row.accountId) return null;
  if (row.portal === 'practice') return paths.portal(`/staff/${row.accountId}${suffix}`);
  return row.patientId ? paths.portal(`/patients/${row.patientId}/portal/${row.accountId}${suffix}`) : null;
}

const ACTIONS: Partial<Record<AttentionKind, { label: string; staff: string; family: string; post: boolean }>> = {
  locked: { label: A.unlock, staff: '/unlock', family: '/unlock', post: true },
  invitations: { label: A.resend, staff: '/invitation', family: '/resend-invitation', post: true },
  'reset-links': { label: A.sendNewLink, staff: '/reset-password', family: '/reset-password', post: false },
};

export function attentionItems(rows: AttentionRow[], kind: AttentionKind, opts: { clock: Clock; paths: Paths }): AttentionItem[] {
  const spec = ACTIONS[kind];
  return rows.map((row) => {
    const href = pageOf(row, opts.paths);
    const actionHref = spec && pageOf(row, opts.paths, row.portal === 'practice' ? spec.staff : spec.family);
    const email = row.email;
    const lockedByPractice = kind === 'locked' && row.at.getTime() <= Date.now();
    return {
      name: row.name, portal: H.portalNames[row.portal] ?? row.portal, href, whenLabel: A.when[kind],
      when: lockedByPractice ? null : { iso: row.at.toISOString(), text: opts.clock.dateTime(row.at) },
      detail: email
        ? `${EMAIL_KIND_LABELS[email.kind] ?? email.kind} · ${email.status === 'failed' ? A.failed : A.retrying} · ${A.tries(email.attempts)}`
        : row.username && row.username !== row.name ? row.username : null,
      action: spec && actionHref ? { label: spec.label, href: actionHref, post: spec.post } : null,
    };
  });
}

export function adminHome(
  data: { health: SignInHealth; locked: AttentionRow[]; expiring: AttentionRow[] },
  opts: { staffTwoFactorRequired: boolean; clock: Clock; paths: Paths },
): AdminHome {
  const { health } = data;
  const h = H.health;
  const list = (kind: AttentionKind) => opts.paths.portal(`/attention/${kind}`);
  const audit = (extra: Record<string, string> = {}) =>
    opts.paths.portal(`/audit?${new URLSearchParams({ action: 'sign_in.failed', from: health.today, ...extra })}`);
  const locked = health.lockedStaff + health.lockedFamily;
  const stats: Stat[] = [
    { label: h.locked, value: locked, note: h.lockedNote(health.lockedStaff, health.lockedFamily), href: list('locked'), tone: 'bad' },
    { label: h.emails, value: health.emailsFailed + health.emailsRetrying, note: h.emailsNote(health.emailsFailed, health.emailsRetrying), href: list('emails'), tone: 'bad' },
    { label: h.failures, value: health.signInFailures, note: h.failuresNote, href: audit(), tone: 'warn' },
    {
      label: h.invitations, value: health.invitationsPending, note: h.invitationsNote(health.invitationsExpiring), href: list('invitations'),
      tone: health.invitationsExpiring > 0 ? 'warn' : 'calm',
    },
    { label: h.resetLinks, value: health.resetLinksExpiring, note: h.resetLinksNote, href: list('reset-links'), tone: 'warn' },
    { label: h.temporary, value: health.temporaryPasswords, note: h.temporaryNote, href: list('temporary-passwords'), tone: 'warn' },
    {
      label: h.noTwoFactor, value: health.staffWithoutTwoFactor,
      note: opts.staffTwoFactorRequired ? h.noTwoFactorRequired : h.noTwoFactorOptional,
      href: opts.paths.portal('/staff?show=no-two-factor'), tone: opts.staffTwoFactorRequired ? 'bad' : 'calm',
    },
  ];
  const expiringSoon = data.expiring.filter((row) => row.at.getTime() - Date.now() <= 24 * 3600 * 1000);
  return {
    stats,
    allClear: locked + health.emailsFailed + health.emailsRetrying + health.resetLinksExpiring + health.invitationsExpiring + health.signInFailures === 0,
    locked: attentionItems(data.locked, 'locked', opts), lockedTotal: locked, lockedHref: list('locked'),
    expiring: attentionItems(expiringSoon, 'invitations', opts), expiringTotal: health.invitationsExpiring, invitationsHref: list('invitations'),
    failing: health.failingAccounts.map((f) => ({
      name: f.known ? f.name : h.unknownName(f.name), portal: H.portalNames[f.portal] ?? f.portal, failures: f.failures,
      href: audit({ person: f.accountId ?? f.name }),
    })),
  };
}

type Role = 'admin' | 'provider' | 'nurse' | 'staff' | null;

/** What this person may do in the practice portal, each with its page: the menu's areas, said in a sentence. */
export function canDoFor(role: Role, mayFindPatients: boolean, paths: Paths): { text: string; link?: { href: string; label: string } }[] {
  const c = H.canDo;
  const items: { text: string; link?: { href: string; label: string } }[] = [
    { text: c.account, link: { href: paths.portal('/account'), label: c.accountLink } },
    mayFindPatients ? { text: c.patients, link: { href: paths.portal('/patients'), label: c.patientsLink } } : { text: c.noPatients },
  ];
  if (role === 'admin') {
    items.push(
      { text: c.staff, link: { href: paths.portal('/staff'), label: c.staffLink } },
      { text: c.audit, link: { href: paths.portal('/audit'), label: c.auditLink } },
      { text: c.settings, link: { href: paths.portal('/settings'), label: c.settingsLink } },
    );
  }
  return items;
}
