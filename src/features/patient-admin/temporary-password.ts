import { randomInt } from 'node:crypto';
import { messagesForAccount } from '../../core/language.ts';
import type { Database, Sql } from '../../platform/db.ts';
import { createEncrypter, keyRingOf, type KeyRing } from '../../platform/encryption.ts';
import { practiceText } from '../../copy/practice/index.ts';
import { fromPractice, temporaryPasswordNoticeEmail } from '../../mail/emails.tsx';
import { revokeTokens } from '../../core/account-tokens.ts';
import { setPassword } from '../../core/accounts.ts';
import { recordEvent } from '../../core/audit.ts';
import { hashSecret } from '../../core/passwords.ts';
import { checkNewPassword } from '../../core/password-policy.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { invalidateAccountSessions } from '../../core/sessions.ts';
import { maskEmail } from '../../core/mask-email.ts';
import type { PortalAccess } from './portal-access.ts';

// "Set temporary password" (P5, DESIGN.md §4): generated (readable words and digits from the CSPRNG) unless the
// practice lets staff type one; it forces a change at first sign-in and stops working after 7 days. The plain
// password is never stored in clear, logged or emailed: the only copy kept is encrypted for the credentials sheet,
// readable by the staff member who set it, and deleted within 15 minutes.

export const TEMPORARY_PASSWORD_DAYS = 7;
export const PRINTOUT_MINUTES = 15;
const GENERATION_TRIES = 20;

// Short, concrete, easy to spell and to read aloud; about 8 bits each (3 words and 3 digits: ~34 bits, enough
// for a password that lives at most 7 days behind sign-in lockout).
const WORDS = [
  'acorn', 'amber', 'anchor', 'apple', 'apron', 'arrow', 'aspen', 'atlas', 'autumn', 'badge', 'badger', 'bagel',
  'bamboo', 'banjo', 'barley', 'basil', 'basket', 'beacon', 'beaver', 'berry', 'birch', 'biscuit', 'blanket',
  'blossom', 'bonnet', 'bottle', 'branch', 'breeze', 'brick', 'bridge', 'brook', 'bubble', 'bucket', 'buffalo',
  'button', 'cabin', 'cactus', 'camel', 'canal', 'candle', 'canoe', 'canvas', 'canyon', 'carpet', 'carrot', 'castle',
  'cedar', 'cello', 'chalk', 'cherry', 'chess', 'cider', 'cinnamon', 'circle', 'citrus', 'clover', 'cobalt',
  'coconut', 'comet', 'copper', 'coral', 'cotton', 'cradle', 'crayon', 'cricket', 'crystal', 'cupcake', 'curtain',
  'daisy', 'dolphin', 'domino', 'donkey', 'dragon', 'drum', 'eagle', 'easel', 'echo', 'elbow', 'ember', 'falcon',
  'fawn', 'feather', 'fern', 'fiddle', 'finch', 'flame', 'flute', 'forest', 'fossil', 'fountain', 'garden', 'garnet',
  'gecko', 'ginger', 'glacier', 'globe', 'goose', 'granite', 'grape', 'gravel', 'guitar', 'hammock', 'harbor',
  'harvest', 'hazel', 'heron', 'hickory', 'honey', 'horizon', 'iris', 'island', 'ivory', 'jacket', 'jade', 'jasmine',
  'jelly', 'jigsaw', 'juniper', 'kayak', 'kettle', 'kitten', 'kiwi', 'koala', 'ladder', 'lagoon', 'lantern', 'lark',
  'lemon', 'lemur', 'lentil', 'lilac', 'linen', 'lizard', 'llama', 'lobster', 'locket', 'lotus', 'magnet', 'mango',
  'maple', 'marble', 'meadow', 'melon', 'mint', 'mitten', 'monkey', 'moose', 'mosaic', 'moss', 'muffin', 'nectar',
  'needle', 'nest', 'nickel', 'noodle', 'nutmeg', 'oasis', 'ocean', 'olive', 'opal', 'orange', 'orchid', 'otter',
  'paddle', 'panda', 'papaya', 'parrot', 'peach', 'peanut', 'pear', 'pebble', 'pelican', 'pepper', 'piano', 'pickle',
  'pillow', 'pine', 'planet', 'plum', 'pocket', 'pony', 'poppy', 'prairie', 'pretzel', 'puffin', 'pumpkin', 'puzzle',
  'quail', 'quartz', 'quilt', 'rabbit', 'raccoon', 'radish', 'rain', 'raven', 'reef', 'ribbon', 'ridge', 'river',
  'robin', 'rocket', 'saddle', 'sage', 'salmon', 'sandal', 'satin', 'seal', 'sequoia', 'shell', 'silver', 'sketch',
  'snow', 'sparrow', 'spider', 'spruce', 'squash', 'star', 'stone', 'summit', 'sunset', 'swan', 'tablet', 'teapot',
  'thistle', 'thunder', 'tiger', 'timber', 'toast', 'tomato', 'topaz', 'trail', 'tulip', 'tunnel', 'turkey',
  'turnip', 'turtle', 'umbrella', 'valley', 'velvet', 'violet', 'wagon', 'walnut', 'walrus', 'wave', 'willow',
  'window', 'winter', 'wizard', 'wren', 'yarrow', 'yogurt', 'zebra', 'zephyr'
] as const;

/** e.g. "maple-otter-lantern-482": at least three words, longer when the practice's minimum asks for it. */
export function generateTemporaryPassword(minLength: number): string {
  const words: string[] = [];
  while (words.length < 3 || words.join('-').length + 4 < minLength) words.push(WORDS[randomInt(WORDS.length)]);
  return `${words.join('-')}-${randomInt(100, 1000)}`;
}

export type NoticeOutcome = { sentTo: string } | { missingReason: 'no_email' | 'not_requested' };

export type SetTemporaryResult =
  | { ok: true; printoutId: string; temporaryUntil: Date; notice: NoticeOutcome }
  | { ok: false; reason: 'deactivated' | 'typing_not_allowed' }
  | { ok: false; reason: 'policy'; message: string };

export async function setTemporaryPassword(
  tx: Sql, scope: Scope, access: PortalAccess, input: { patientId: string; typed: string | null; notify: boolean },
): Promise<SetTemporaryResult> {
  if (access.status === 'deactivated') return { ok: false, reason: 'deactivated' };
  if (input.typed !== null && !scope.tenant.settings.staffMayTypeTemporaryPassword) return { ok: false, reason: 'typing_not_allowed' };
  const policy = {
    minLength: scope.tenant.settings.passwordMinLength,
    personal: [access.username, access.email, access.contact.firstName, access.contact.lastName, scope.tenant.name],
  };
  let password = input.typed;
  if (password === null) {
    for (let i = 0; i < GENERATION_TRIES && password === null; i++) {
      const candidate = generateTemporaryPassword(Math.max(12, policy.minLength));
      if (checkNewPassword(candidate, policy).ok) password = candidate;
    }
    if (password === null) throw new Error('no generated temporary password passed the password policy');
  } else {
    const check = checkNewPassword(password, policy);
    if (!check.ok) return { ok: false, reason: 'policy', message: check.message ?? practiceText.patients.temporary.notAllowed };
  }

  const temporaryUntil = new Date(Date.now() + TEMPORARY_PASSWORD_DAYS * 24 * 3600 * 1000);
  await setPassword(tx, access.accountId, await hashSecret(password), { temporaryUntil });
  // Handing over a password is how staff let a locked-out guardian back in.
  await tx`update accounts set status = 'active' where id = ${access.accountId} and status = 'locked'`;
  await revokeTokens(tx, access.accountId, 'temporary password set');
  await invalidateAccountSessions(tx, access.accountId);

  let notice: NoticeOutcome = { missingReason: access.email ? 'not_requested' : 'no_email' };
  if (input.notify && access.email) {
    const recipient = { to: access.email, accountId: access.accountId, ...fromPractice(scope.tenant) };
    const signInLink = `${scope.config.publicUrl}/${scope.tenant.slug}/patient/login`;
    await scope.mailer.queue(tx,
      temporaryPasswordNoticeEmail(await messagesForAccount(tx, access.accountId, scope.origin.language), recipient, { username: access.username, signInLink }));
    notice = { sentTo: maskEmail(access.email) };
  }

  await tx`delete from credential_printouts where account_id = ${access.accountId} or expires_at <= now()`;
  const [printout] = await tx`
    insert into credential_printouts (tenant_id, account_id, patient_id, created_by, password_encrypted, temporary_until,
                                      notice_sent_to, notice_missing_reason, expires_at)
    values (app_tenant_id(), ${access.accountId}, ${input.patientId}, ${actorOf(scope).id}, ${printoutEncrypter(keyRingOf(scope.config)).encrypt(password)},
            ${temporaryUntil}, ${'sentTo' in notice ? notice.sentTo : null}, ${'missingReason' in notice ? notice.missingReason : null},
            now() + ${`${PRINTOUT_MINUTES} minutes`}::interval)
    returning id`;
  await recordEvent(tx, scope.origin, {
    action: 'password.temporary_set', actorAccountId: actorOf(scope).id, subjectAccountId: access.accountId,
    detail: { portal: 'patient', generated: input.typed === null, notified: 'sentTo' in notice, expiresAt: temporaryUntil.toISOString() },
  });
  return { ok: true, printoutId: printout.id, temporaryUntil, notice };
}

export type Printout = { password: string; temporaryUntil: Date; notice: NoticeOutcome; expiresAt: Date };

/**
 * The printout for the credentials sheet: only for the staff member who set the password, for the same patient
 * and account, within its 15 minutes, and while that temporary password is still the account's one.
 */
export async function readPrintout(
  tx: Sql, keys: KeyRing, key: { printoutId: string; accountId: string; patientId: string; staffId: string },
): Promise<Printout | null> {
  await deleteExpiredPrintouts(tx);
  const [row] = await tx`
    select p.password_encrypted, p.temporary_until, p.notice_sent_to, p.notice_missing_reason, p.expires_at
    from credential_printouts p join accounts acc on acc.tenant_id = p.tenant_id and acc.id = p.account_id
    where p.id = ${key.printoutId} and p.account_id = ${key.accountId} and p.patient_id = ${key.patientId}
      and p.created_by = ${key.staffId} and p.expires_at > now()
      and acc.must_change_password and acc.temporary_password_expires_at = p.temporary_until`;
  const password = row ? printoutEncrypter(keys).decrypt(row.password_encrypted) : null;
  if (!row || password === null) return null;
  const notice: NoticeOutcome = row.notice_sent_to ? { sentTo: row.notice_sent_to } : { missingReason: row.notice_missing_reason };
  return { password, temporaryUntil: row.temporary_until, notice, expiresAt: row.expires_at };
}

/** "Done": the staff member who printed the sheet throws the copy away before its 15 minutes are up. */
export async function discardPrintout(tx: Sql, printoutId: string, accountId: string, staffId: string): Promise<boolean> {
  const gone = await tx`
    delete from credential_printouts where id = ${printoutId} and account_id = ${accountId} and created_by = ${staffId} returning 1`;
  return gone.length > 0;
}

export function deleteExpiredPrintouts(tx: Sql): Promise<unknown> {
  return tx`delete from credential_printouts where expires_at <= now()`;
}

/** Housekeeping across practices (the expired_sweep policy of sql/006 allows exactly this). */
export function sweepExpiredPrintouts(db: Database): Promise<number> {
  return db.asWorker('printout-sweep', async (tx) => (await tx`delete from credential_printouts where expires_at <= now() returning 1`).length);
}

function printoutEncrypter(keys: KeyRing) {
  return createEncrypter(keys, 'printout');
}
