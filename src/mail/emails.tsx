import type { Messages } from '../copy/messages.ts';
import { clockFor } from '../copy/time.ts';
import { EmailBody, emailText, type EmailBlock } from '../../views/ui/email.tsx';
import type { OutgoingEmail } from './outbox.ts';

// Every email Gatehouse sends about an account, built by one compose: the words come from the catalog, the markup
// from views/ui/email.tsx, and each email names its kind (the outbox and the audit of delivery show it).

/** Who an email goes to, and the practice it comes from: its name, and its phone number when it has set one. */
export type Recipient = { to: string; accountId: string; practice: string; phone?: string | null };

/** The sending practice's part of a Recipient, from the practice itself (its name and "Phone number" setting). */
export function fromPractice(tenant: { name: string; settings: { phoneNumber: string | null } }): { practice: string; phone: string | null } {
  return { practice: tenant.name, phone: tenant.settings.phoneNumber };
}

function compose(t: Messages, kind: string, subject: string, r: Recipient, footer: string, block: EmailBlock): OutgoingEmail {
  const sender = { practice: r.practice, phone: r.phone ?? null };
  return {
    kind, to: r.to, accountId: r.accountId, subject,
    html: (<EmailBody lang={t.lang} sender={sender} title={subject} footer={footer} block={block} />).toString(),
    text: emailText(sender, footer, block),
  };
}

/** A moment in the practice's time zone, in the email's language ("Nov 30, 2026, 9:13 AM EST", "30 nov 2026, 9:13 a.m. EST"). */
const stamp = (t: Messages, when: Date, timeZone: string) => clockFor(timeZone, t.locale).dateTime(when);

export function resetLinkEmail(t: Messages, r: Recipient, input: { link: string; hours: number; username: string }): OutgoingEmail {
  const m = t.emails.reset;
  return compose(t, 'password_reset', m.subject(r.practice), r, t.emails.footer(r.practice), {
    paragraphs: [m.intro(r.practice)],
    link: { href: input.link, label: m.action },
    after: [m.validity(input.hours), m.username(input.username), m.ignore],
  });
}

/** A reset link the practice sent from Patient Administration: the guardian did not ask, so it says who did. */
export function practiceResetLinkEmail(t: Messages, r: Recipient, input: { link: string; hours: number; username: string }): OutgoingEmail {
  const m = t.emails.practiceReset;
  return compose(t, 'password_reset', m.subject(r.practice), r, t.emails.footer(r.practice), {
    paragraphs: [m.intro(r.practice)],
    link: { href: input.link, label: m.action },
    after: [m.validity(input.hours), m.username(input.username), m.notYou(r.practice)],
  });
}

export function passwordChangedEmail(t: Messages, r: Recipient, when: Date, timeZone: string): OutgoingEmail {
  const m = t.emails.changed;
  return compose(t, 'password_changed', m.subject(r.practice), r, t.emails.footer(r.practice), { paragraphs: [m.body(stamp(t, when, timeZone)), m.notYou] });
}

export function resetBurnedEmail(t: Messages, r: Recipient): OutgoingEmail {
  const m = t.emails.burned;
  return compose(t, 'reset_link_stopped', m.subject(r.practice), r, t.emails.footer(r.practice), { paragraphs: [m.body, m.next] });
}

export function invitationEmail(t: Messages, r: Recipient, input: { link: string; days: number; username: string }): OutgoingEmail {
  const m = t.emails.invitation;
  return compose(t, 'invitation', m.subject(r.practice), r, t.emails.footer(r.practice), {
    paragraphs: [m.intro(r.practice)],
    link: { href: input.link, label: m.action },
    after: [m.validity(input.days), m.username(input.username)],
  });
}

export type TwoFactorChange = 'enabled' | 'disabled' | 'reset';

/** To the owner whenever 2FA changes on their account, so a change they did not make does not go unseen. */
export function twoFactorChangedEmail(t: Messages, r: Recipient, change: TwoFactorChange, passkeysRemoved = 0): OutgoingEmail {
  const m = t.twoFactor.emails;
  const subject = { enabled: m.enabledSubject, disabled: m.disabledSubject, reset: m.resetSubject }[change](r.practice);
  const what = { enabled: m.enabled, disabled: m.disabled, reset: m.reset }[change];
  return compose(t, `two_factor_${change}`, subject, r, t.emails.footer(r.practice), {
    paragraphs: passkeysRemoved > 0 ? [what, m.resetPasskeys(passkeysRemoved), m.notYou] : [what, m.notYou],
  });
}

export type PasskeyChange = 'added' | 'removed';

/** To the owner whenever a passkey is added to or removed from their account. */
export function passkeyChangedEmail(
  t: Messages, r: Recipient, input: { change: PasskeyChange; name: string; when: Date; timeZone: string },
): OutgoingEmail {
  const m = t.passkeys.emails;
  const added = input.change === 'added';
  const subject = (added ? m.addedSubject : m.removedSubject)(r.practice);
  return compose(t, `passkey_${input.change}`, subject, r, t.emails.footer(r.practice), {
    paragraphs: [(added ? m.added : m.removed)(input.name, stamp(t, input.when, input.timeZone)), m.notYou],
  });
}

// Patient Administration (P5): notices to a guardian when staff change their portal access.

/** After staff set a temporary password: username and the sign-in link only, never the password itself. */
export function temporaryPasswordNoticeEmail(t: Messages, r: Recipient, input: { username: string; signInLink: string }): OutgoingEmail {
  const m = t.portalAccess.temporaryNotice;
  return compose(t, 'temporary_password_notice', m.subject(r.practice), r, t.emails.footer(r.practice), {
    paragraphs: [m.intro(r.practice), m.username(input.username)],
    link: { href: input.signInLink, label: m.action },
    after: [m.next],
  });
}

/** To the old address when staff change a guardian's login email; the new one is shown masked. */
export function loginEmailChangedEmail(t: Messages, r: Recipient, input: { newAddressMasked: string }): OutgoingEmail {
  const m = t.portalAccess.emailChanged;
  return compose(t, 'login_email_changed', m.subject(r.practice), r, t.emails.footer(r.practice), { paragraphs: [m.body(input.newAddressMasked), m.notYou] });
}

// Staff administration (P4): emails to a staff member about their own account, sent because an administrator acted.

/** The link an administrator sends from a staff member's page ("Reset Password"). */
export function staffResetEmail(t: Messages, r: Recipient, input: { link: string; hours: number; username: string; administrator: string }): OutgoingEmail {
  const m = t.staffEmails.reset;
  return compose(t, 'staff_password_reset', m.subject(r.practice), r, t.staffEmails.footer(r.practice), {
    paragraphs: [m.intro(input.administrator, r.practice)],
    link: { href: input.link, label: m.action },
    after: [m.validity(input.hours), m.steps, m.username(input.username)],
  });
}

/** To the old address after an administrator changed it: the owner learns of it even if the new one is not theirs. */
export function staffEmailChangedEmail(
  t: Messages, r: Recipient, input: { newAddressMasked: string; administrator: string; when: Date; timeZone: string },
): OutgoingEmail {
  const m = t.staffEmails.emailChanged;
  return compose(t, 'email_changed', m.subject(r.practice), r, t.staffEmails.footer(r.practice), {
    paragraphs: [m.body(stamp(t, input.when, input.timeZone), input.administrator, r.practice, input.newAddressMasked), m.next, m.notYou],
  });
}
