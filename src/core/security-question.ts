import { hashSecret, verifySecret } from './passwords.ts';

// Questions are chosen at enrolment from SECURITY_QUESTIONS (src/copy/messages.ts); the answer is only ever asked
// after an emailed link is opened, never alone.

/** NFKC, trimmed, lower-cased, inner spaces collapsed: "  Spring  Field " and "spring field" match. */
export function normaliseAnswer(answer: string): string {
  return answer.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

export function hashAnswer(answer: string): Promise<string> {
  return hashSecret(normaliseAnswer(answer));
}

export function verifyAnswer(storedHash: string, answer: string): Promise<boolean> {
  return verifySecret(storedHash, normaliseAnswer(answer));
}
