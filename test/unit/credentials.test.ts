// Rules for secrets people type or read: the password policy, security answers, two-factor codes, generated
// temporary passwords, lockout, masked addresses and sealed secrets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generate } from 'otplib';
import { checkNewPassword } from '../../src/core/password-policy.ts';
import { checkTotp, hashRecoveryCode, normalizeCode } from '../../src/core/second-factor.ts';
import { normaliseAnswer } from '../../src/core/security-question.ts';
import { maskEmail } from '../../src/core/mask-email.ts';
import { generateTemporaryPassword } from '../../src/features/patient-admin/temporary-password.ts';
import { lockoutMinutes } from '../../src/features/sign-in/lockout.ts';
import { createEncrypter } from '../../src/platform/encryption.ts';

const policy = { minLength: 12, personal: ['jordan.parent@example.com', 'Sunny Pediatrics'] };

test('new passwords: a length range, no composition rules, no common or personal passwords', () => {
  assert.is(checkNewPassword('short', policy).ok, false);
  assert.match(checkNewPassword('short', policy).message ?? '', 'at least 12 characters');
  assert.is(checkNewPassword('x'.repeat(129), policy).ok, false);
  assert.is(checkNewPassword('password1234', policy).ok, false, 'common');
  assert.is(checkNewPassword('sunny pediatrics rocks 42', policy).ok, false, "the practice's name");
  assert.is(checkNewPassword('jordan loves the garden', policy).ok, false, 'the address before @');
  const good = checkNewPassword('violet harbor quietly 58', policy);
  assert.is(good.ok, true);
  assert.ok(good.score >= 3);
});

test('security answers compare after NFKC, case and spacing are folded', () => {
  assert.is(normaliseAnswer('  Spring   Field '), 'spring field');
  assert.is(normaliseAnswer('ＳＰＲＩＮＧＦＩＥＬＤ'), 'springfield');
  assert.is(normaliseAnswer('Zoë'), normaliseAnswer('Zoe\u0308'));
});

test('codes: six digits or a recovery code, spaces and dashes forgiven, anything else refused', () => {
  assert.equal(normalizeCode(' 123 456 '), { kind: 'digits', value: '123456' });
  assert.equal(normalizeCode('ABCD-EFGH-JKMN'), { kind: 'recovery', value: 'abcd-efgh-jkmn' });
  assert.equal(normalizeCode('abcdefghjkmn'), { kind: 'recovery', value: 'abcd-efgh-jkmn' });
  assert.is(normalizeCode('12345'), null);
  assert.is(normalizeCode('abcd-efgh-ijkl'), null, 'i and l are not in the alphabet');
  assert.is(normalizeCode(''), null);
});

test('TOTP: the current code is accepted once per step, a malformed one never throws', async () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const code = await generate({ secret });
  const step = await checkTotp(secret, code, null);
  assert.type(step, 'number');
  assert.is(await checkTotp(secret, code, step), null, 'not again in the same step');
  assert.is(await checkTotp(secret, '12a456', null), null);
  assert.is(await checkTotp(secret, '', null), null);
});

test('recovery codes are stored as keyed hashes, bound to the account', () => {
  const config = { secretKey: 'a-test-secret-key-that-is-long-enough-123' };
  const a = hashRecoveryCode(config, 'account-a', 'abcd-efgh-jkmn');
  assert.is(a, hashRecoveryCode(config, 'account-a', 'abcd-efgh-jkmn'));
  assert.is.not(a, hashRecoveryCode(config, 'account-b', 'abcd-efgh-jkmn'));
  assert.is.not(a, hashRecoveryCode({ secretKey: 'another-secret-key-that-is-long-enough-45' }, 'account-a', 'abcd-efgh-jkmn'));
});

test('temporary passwords: readable words and digits, as long as the practice asks', () => {
  for (let i = 0; i < 50; i++) {
    const password = generateTemporaryPassword(12);
    assert.match(password, /^[a-z]+(-[a-z]+){2,}-\d{3}$/);
    assert.ok(generateTemporaryPassword(30).length >= 30);
  }
});

test('lockout: five free tries, then 1, 2, 4 … minutes, never more than an hour', () => {
  assert.equal([1, 4, 5, 6, 7, 8, 20].map(lockoutMinutes), [0, 0, 1, 2, 4, 8, 60]);
});

test('masked addresses keep enough to recognise, not enough to harvest', () => {
  assert.is(maskEmail('jordan.parent@example.com'), 'j****t@example.com');
  assert.is(maskEmail('jo@example.com'), 'j****@example.com');
  assert.is(maskEmail('cnurse@example.com'), 'c****e@example.com', 'staff addresses are masked the same way');
});

test('sealed secrets open only with their key and purpose, and not after tampering', () => {
  const key = 'a-test-secret-key-that-is-long-enough-123';
  const totp = createEncrypter(key, 'totp');
  const sealed = totp.encrypt('JBSWY3DPEHPK3PXP');
  assert.is(totp.decrypt(sealed), 'JBSWY3DPEHPK3PXP');
  assert.is(createEncrypter(key, 'outbox').decrypt(sealed), null, 'another purpose');
  assert.is(totp.decrypt(tamper(sealed)), null, 'tampered');
  assert.is(totp.decrypt('v2.x.y.z'), null);
  assert.is.not(totp.encrypt('same'), totp.encrypt('same'), 'a fresh IV each time');
});

/** The sealed text with the first character of its ciphertext changed (a first base64 character carries 6 whole bits). */
function tamper(sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  return [version, iv, tag, (body[0] === 'A' ? 'B' : 'A') + body.slice(1)].join('.');
}

test.run();
