import { createRequire } from 'node:module';

// Heavy libraries are loaded the first time they are needed, not when the process starts: an instance that never
// prints a credentials sheet never holds pdfkit, and a fresh instance answers sooner and smaller. They load through
// their CommonJS builds, synchronously, so the functions using them keep their shape. What each costs (resident
// memory, measured alone in a fresh Node 20 process): the password-strength dictionaries ~60 MB, pdfkit ~25 MB, the
// WebAuthn server library ~17 MB, nodemailer ~13 MB, qrcode ~9 MB, resend ~9 MB.

const load = createRequire(import.meta.url);

/** `get()` loads the package on its first call and returns the same module after that. */
export function onFirstUse<T>(name: string): () => T {
  let module: T | undefined;
  return () => (module ??= load(name) as T);
}
