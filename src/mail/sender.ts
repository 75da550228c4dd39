import type { Sender } from './transport.ts';

// Every email leaves from the deployment's one sending address (MAIL_FROM, the domain whose SPF and DKIM the
// provider signs for), under the name of the practice it is about: a family sees "Sunny Pediatrics", not
// "Gatehouse", and replies go to the practice's Reply-To address when it has set one.

/** The address inside MAIL_FROM ("Gatehouse <no-reply@example.com>" or a bare address); null when there is none. */
export function sendingAddressOf(mailFrom: string): string | null {
  const bracketed = mailFrom.match(/<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$/);
  const address = bracketed ? bracketed[1] : mailFrom.trim();
  return /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/.test(address) ? address : null;
}

/** The practice's name as a display name: one line, no control characters, at most 78 characters. */
export function senderOf(sendingAddress: string, practiceName: string): Sender {
  const name = practiceName.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 78);
  return { name: name || 'Gatehouse', address: sendingAddress };
}

/** "Name" <address>, quoted as RFC 5322 wants it, for APIs that take the From header as text (Resend). */
export function formatSender(sender: Sender): string {
  return `"${sender.name.replace(/(["\\])/g, '\\$1')}" <${sender.address}>`;
}
