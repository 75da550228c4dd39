import { hashSecret, verifySecret } from './passwords.ts';

// Chosen at enrolment; the answer is only ever asked after an emailed link is opened, never alone.
export const SECURITY_QUESTIONS = [
  'What was the name of your first pet?',
  'In what city were you born?',
  'What is the name of the street you grew up on?',
  'What was the name of your first school?',
  'What is your oldest sibling\'s middle name?',
  'What was the make of your first car?',
  'What is the name of a favourite teacher?',
] as const;

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
