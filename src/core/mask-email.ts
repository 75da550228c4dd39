// One way to show an address without giving it away, wherever Gatehouse masks one: notices to an old address,
// the credentials sheet, confirmations on screen.

/** "jordan.parent@example.com" → "j****t@example.com": enough for its owner to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  const domain = at > 0 ? email.slice(at) : '';
  const chars = [...local];
  const masked = chars.length >= 3 ? `${chars[0]}****${chars[chars.length - 1]}` : `${chars[0] ?? ''}****`;
  return masked + domain;
}
