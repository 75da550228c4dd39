import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

// AES-256-GCM with keys derived from SECRET_KEY, for secrets that must be read back (TOTP secrets, queued email
// bodies carrying a link, a temporary password awaiting its printout), and keyed hashes (HMAC-SHA-256) for codes
// that are only ever compared (recovery codes, text-message codes).
//
// A key ring: SECRET_KEY encrypts, the keys in SECRET_KEY_PREVIOUS still decrypt and verify, so a key can be
// rotated without making a single stored secret unreadable. Each ciphertext names the key that sealed it:
//   v2.<key id>.<iv>.<tag>.<ciphertext>   key id = 8 characters of a hash of the key (never the key itself)
//   v1.<iv>.<tag>.<ciphertext>            written before the ring existed; each key of the ring is tried
export type Encrypter = { encrypt(plain: string): string; decrypt(sealed: string): string | null };

/** The keys in use, newest first: the first one seals, every one of them opens. */
export type KeyRing = readonly [string, ...string[]];

/** The ring a configuration describes: SECRET_KEY, then SECRET_KEY_PREVIOUS in the order given. */
export function keyRingOf(config: { secretKey: string; previousSecretKeys?: readonly string[] }): KeyRing {
  return [config.secretKey, ...(config.previousSecretKeys ?? []).filter((key) => key !== config.secretKey)];
}

/** What names a key inside a ciphertext: a short hash, so reading the database tells nothing about the key. */
export function keyIdOf(secretKey: string): string {
  return createHash('sha256').update('gatehouse:key-id:').update(secretKey).digest('base64url').slice(0, 8);
}

function deriveKey(secretKey: string, purpose: string): Buffer {
  return createHash('sha256').update(`gatehouse:${purpose}:`).update(secretKey).digest();
}

export function createEncrypter(keys: string | KeyRing, purpose: string): Encrypter {
  const ring = (typeof keys === 'string' ? [keys] : keys).map((secret) => ({ id: keyIdOf(secret), key: deriveKey(secret, purpose) }));
  const newest = ring[0];
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', newest.key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v2', newest.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const parts = sealed.split('.');
      if (parts[0] === 'v2' && parts.length === 5) {
        const entry = ring.find((k) => k.id === parts[1]);
        return entry ? open(entry.key, parts[2], parts[3], parts[4]) : null;
      }
      if (parts[0] === 'v1' && parts.length === 4) {
        for (const entry of ring) {
          const plain = open(entry.key, parts[1], parts[2], parts[3]);
          if (plain !== null) return plain;
        }
      }
      return null;
    },
  };
}

/** The id of the key a ciphertext was sealed with; null for the older v1 format, which does not say. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  return parts[0] === 'v2' && parts.length === 5 ? parts[1] : null;
}

function open(key: Buffer, iv: string, tag: string, body: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * Keyed hashes of `data`, one per key of the ring, newest first: store the first, look a value up by all of them
 * (a code hashed before a rotation still matches while its key is in the ring).
 */
export function keyedHashes(keys: string | KeyRing, purpose: string, data: string): string[] {
  return (typeof keys === 'string' ? [keys] : keys).map((secret) => createHmac('sha256', deriveKey(secret, purpose)).update(data).digest('hex'));
}
