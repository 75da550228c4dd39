import { EmailBody, emailText, type EmailBlock } from '../../views/ui/email.tsx';
import type { OutgoingEmail } from './outbox.ts';

// Emails to practice staff about their own account, sent because an administrator acted (P4). Staff read
// English, so the words live here rather than in the guardians' catalogue (src/messages.ts).

type StaffRecipient = { to: string; accountId: string; practice: string };

const FOOTER = (practice: string) =>
  `Sent by ${practice} through Gatehouse, its secure sign-in service. If you did not expect this email, tell your practice administrator.`;

function compose(kind: string, subject: string, r: StaffRecipient, block: EmailBlock): OutgoingEmail {
  const footer = FOOTER(r.practice);
  return {
    kind, to: r.to, accountId: r.accountId, subject,
    html: (<EmailBody practice={r.practice} footer={footer} block={block} />).toString(),
    text: emailText(r.practice, footer, block),
  };
}

/** The link an administrator sends from a staff member's page ("Reset Password"). */
export function staffResetEmail(r: StaffRecipient, input: { link: string; hours: number; username: string; administrator: string }): OutgoingEmail {
  return compose('staff_password_reset', `Reset your ${r.practice} practice portal password`, r, {
    paragraphs: [`${input.administrator}, an administrator at ${r.practice}, sent you a link to choose a new password for the practice portal.`],
    link: { href: input.link, label: 'Choose a new password' },
    after: [
      `This link is valid for ${input.hours} hours and works once.`,
      'You will answer your security question, then choose your new password. Every device signed in to your account is then signed out, and you sign in again with the new password.',
      `Your username: ${input.username}`,
    ],
  });
}

/** To the old address after an administrator changed it: the owner learns of it even if the new one is not theirs. */
export function emailChangedNotice(r: StaffRecipient, input: { newEmail: string; administrator: string; when: Date }): OutgoingEmail {
  const stamp = input.when.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return compose('email_changed', `The email address of your ${r.practice} account was changed`, r, {
    paragraphs: [
      `On ${stamp}, ${input.administrator} changed the email address of your ${r.practice} practice portal account to ${maskEmail(input.newEmail)}.`,
      'From now on, emails about your account go to the new address, and any password reset link sent before no longer works.',
      'If you did not expect this change, tell your practice administrator right away.',
    ],
  });
}

/** "cnurse@example.com" → "c•••e@example.com": enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  if (!domain) return '•••';
  const shown = local.length <= 2 ? `${local[0]}•••` : `${local[0]}•••${local[local.length - 1]}`;
  return `${shown}@${domain}`;
}
