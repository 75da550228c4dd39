import { EmailBody, emailText, type EmailBlock } from '../../views/ui/email.tsx';
import type { Messages } from '../copy/messages.ts';
import type { OutgoingEmail } from './outbox.ts';

type Recipient = { to: string; accountId: string; practice: string };

function compose(kind: string, subject: string, recipient: Recipient, t: Messages, block: EmailBlock): OutgoingEmail {
  const footer = t.emails.footer(recipient.practice);
  return {
    kind,
    to: recipient.to,
    accountId: recipient.accountId,
    subject,
    html: (<EmailBody practice={recipient.practice} footer={footer} block={block} />).toString(),
    text: emailText(recipient.practice, footer, block),
  };
}

export function resetLinkEmail(t: Messages, r: Recipient, input: { link: string; hours: number; username: string }): OutgoingEmail {
  const m = t.emails.reset;
  return compose('password_reset', m.subject(r.practice), r, t, {
    paragraphs: [m.intro(r.practice)],
    link: { href: input.link, label: m.action },
    after: [m.validity(input.hours), m.username(input.username), m.ignore],
  });
}

export function passwordChangedEmail(t: Messages, r: Recipient, when: Date): OutgoingEmail {
  const m = t.emails.changed;
  const stamp = when.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return compose('password_changed', m.subject(r.practice), r, t, { paragraphs: [m.body(stamp), m.notYou] });
}

export function resetBurnedEmail(t: Messages, r: Recipient): OutgoingEmail {
  const m = t.emails.burned;
  return compose('reset_link_stopped', m.subject(r.practice), r, t, { paragraphs: [m.body, m.next] });
}

export function invitationEmail(t: Messages, r: Recipient, input: { link: string; days: number; username: string }): OutgoingEmail {
  const m = t.emails.invitation;
  return compose('invitation', m.subject(r.practice), r, t, {
    paragraphs: [m.intro(r.practice)],
    link: { href: input.link, label: m.action },
    after: [m.validity(input.days), m.username(input.username)],
  });
}

// Patient Administration (P5): notices to a guardian when staff change their portal access.

/** After staff set a temporary password: username and the sign-in link only, never the password itself. */
export function temporaryPasswordNoticeEmail(t: Messages, r: Recipient, input: { username: string; signInLink: string }): OutgoingEmail {
  const m = t.portalAccess.temporaryNotice;
  return compose('temporary_password_notice', m.subject(r.practice), r, t, {
    paragraphs: [m.intro(r.practice), m.username(input.username)],
    link: { href: input.signInLink, label: m.action },
    after: [m.next],
  });
}

/** To the old address when staff change a guardian's login email; the new one is shown masked. */
export function loginEmailChangedEmail(t: Messages, r: Recipient, input: { newAddressMasked: string }): OutgoingEmail {
  const m = t.portalAccess.emailChanged;
  return compose('login_email_changed', m.subject(r.practice), r, t, { paragraphs: [m.body(input.newAddressMasked), m.notYou] });
}
