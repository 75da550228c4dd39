import { argon2Hash, argon2Verify } from '../platform/argon2-pool.ts';

// OWASP's Argon2id parameters (m=19 MiB, t=2, p=1); argon2id is the library's default algorithm.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashSecret(secret: string): Promise<string> {
  return argon2Hash(secret, ARGON2_OPTIONS);
}

export async function verifySecret(storedHash: string, secret: string): Promise<boolean> {
  try {
    return await argon2Verify(storedHash, secret);
  } catch {
    return false;
  }
}

// Verified against when the account is unknown or has no password, so every sign-in costs one hash.
let decoyHash: Promise<string> | null = null;
export function verifyDecoy(secret: string): Promise<boolean> {
  decoyHash ??= hashSecret('decoy password for unknown accounts');
  return decoyHash.then((h) => verifySecret(h, secret)).then(() => false);
}
