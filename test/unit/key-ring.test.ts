// SECRET_KEY as a ring: the newest key seals, older keys still open what they sealed, and every ciphertext names
// its key. Also the configuration that describes the ring, the email transport and the audit retention.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/platform/config.ts';
import { createEncrypter, keyedHashes, keyIdOf, keyRingOf, sealedKeyId } from '../../src/platform/encryption.ts';

const OLD = 'the-old-secret-key-of-at-least-32-characters';
const NEW = 'the-new-secret-key-of-at-least-32-characters';
const OTHER = 'an-unrelated-secret-key-of-32-characters-xx';

/** A ciphertext exactly as Gatehouse wrote it before the key ring (v1.iv.tag.body, one key). */
function sealV1(secretKey: string, purpose: string, plain: string): string {
  const key = createHash('sha256').update(`gatehouse:${purpose}:`).update(secretKey).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

test('the newest key seals, and the ciphertext names it by an id that is not the key', () => {
  const sealed = createEncrypter([NEW, OLD], 'totp').encrypt('JBSWY3DPEHPK3PXP');
  assert.match(sealed, /^v2\.[A-Za-z0-9_-]{8}\./);
  assert.is(sealedKeyId(sealed), keyIdOf(NEW));
  assert.is.not(keyIdOf(NEW), keyIdOf(OLD));
  assert.not.match(sealed, 'JBSWY3DPEHPK3PXP');
  assert.not.match(keyIdOf(NEW), NEW.slice(0, 8));
  assert.is(createEncrypter(NEW, 'totp').decrypt(sealed), 'JBSWY3DPEHPK3PXP');
  assert.is(createEncrypter(OLD, 'totp').decrypt(sealed), null, 'the old key alone cannot open what the new one sealed');
});

test('after a rotation, what the old key sealed still opens; without the old key in the ring it does not', () => {
  const before = createEncrypter(OLD, 'outbox').encrypt('{"text":"reset link"}');
  const rotated = createEncrypter(keyRingOf({ secretKey: NEW, previousSecretKeys: [OLD] }), 'outbox');
  assert.is(rotated.decrypt(before), '{"text":"reset link"}');
  assert.is(sealedKeyId(rotated.encrypt('x')), keyIdOf(NEW), 'new data goes under the new key');
  assert.is(createEncrypter([NEW, OTHER], 'outbox').decrypt(before), null);
});

test('the format written before the key ring (v1) still decrypts, under whichever key of the ring made it', () => {
  const legacy = sealV1(OLD, 'printout', 'maple-otter-lantern-482');
  assert.is(createEncrypter(OLD, 'printout').decrypt(legacy), 'maple-otter-lantern-482');
  assert.is(createEncrypter([NEW, OLD], 'printout').decrypt(legacy), 'maple-otter-lantern-482');
  assert.is(createEncrypter([NEW, OTHER], 'printout').decrypt(legacy), null);
  assert.is(createEncrypter([NEW, OLD], 'totp').decrypt(legacy), null, 'keys are per purpose');
  assert.is(sealedKeyId(legacy), null);
});

test('tampered, truncated or foreign text opens to nothing instead of throwing', () => {
  const encrypter = createEncrypter([NEW, OLD], 'totp');
  const sealed = encrypter.encrypt('secret');
  const parts = sealed.split('.');
  const flipped = [...parts.slice(0, 4), (parts[4][0] === 'A' ? 'B' : 'A') + parts[4].slice(1)].join('.');
  for (const bad of [flipped, parts.slice(0, 4).join('.'), 'v3.a.b.c.d', '', 'plain text', `v2.${keyIdOf(OTHER)}.${parts.slice(2).join('.')}`]) {
    assert.is(encrypter.decrypt(bad), null, bad);
  }
});

test('keyed hashes come one per key, newest first, and the newest matches what a single-key hash gave', () => {
  const [newest, older] = keyedHashes([NEW, OLD], 'recovery-codes', 'account:abcd-efgh-jkmn');
  assert.is(newest, keyedHashes(NEW, 'recovery-codes', 'account:abcd-efgh-jkmn')[0]);
  assert.is(older, keyedHashes(OLD, 'recovery-codes', 'account:abcd-efgh-jkmn')[0]);
  assert.is.not(newest, older);
  assert.is.not(newest, keyedHashes(NEW, 'sms-codes', 'account:abcd-efgh-jkmn')[0]);
});

test('configuration: previous keys, one email transport, and an audit log kept at least six years', () => {
  const config = loadConfig({ SECRET_KEY: NEW, SECRET_KEY_PREVIOUS: ` ${OLD}, ${OTHER} ` });
  assert.equal(config.previousSecretKeys, [OLD, OTHER]);
  assert.equal(keyRingOf(config), [NEW, OLD, OTHER]);
  assert.throws(() => loadConfig({ SECRET_KEY_PREVIOUS: 'short' }), /SECRET_KEY_PREVIOUS: each previous key/);
  assert.equal(loadConfig({}).previousSecretKeys, []);

  assert.is(loadConfig({ SMTP_URL: 'smtps://user:pass@smtp.example.com:465' }).smtpUrl, 'smtps://user:pass@smtp.example.com:465');
  assert.throws(() => loadConfig({ SMTP_URL: 'https://smtp.example.com' }), /SMTP_URL must look like smtp:/);
  assert.throws(() => loadConfig({ SMTP_URL: 'smtp://smtp.example.com', RESEND_API_KEY: 're_x' }), /RESEND_API_KEY and SMTP_URL are both set/);
  const production = {
    NODE_ENV: 'production', DATABASE_URL: 'postgres://db/gatehouse', APP_DATABASE_URL: 'postgres://gatehouse_app:secret@db/gatehouse',
    PUBLIC_URL: 'https://portal.example', SECRET_KEY: NEW,
  };
  assert.throws(() => loadConfig(production), /RESEND_API_KEY or SMTP_URL must be set in production/);
  assert.is(loadConfig({ ...production, SMTP_URL: 'smtp://smtp.example.com:587' }).env, 'production');
  assert.is(loadConfig({ ...production, RESEND_API_KEY: 're_x' }).resendApiKey, 're_x');

  assert.is(loadConfig({}).auditRetentionYears, 6);
  assert.is(loadConfig({ AUDIT_RETENTION_YEARS: '7' }).auditRetentionYears, 7);
  assert.throws(() => loadConfig({ AUDIT_RETENTION_YEARS: '5' }), /AUDIT_RETENTION_YEARS must be at least 6/);
  assert.throws(() => loadConfig({ AUDIT_RETENTION_YEARS: '6.5' }), /AUDIT_RETENTION_YEARS/);
});

test.run();
