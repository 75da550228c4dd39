// Shared by the passkey HTTP tests: adding a passkey from My Account / Settings and signing in with one, as the page's
// script does it (form post for the options, the authenticator's answer as JSON), with a software authenticator.
import * as assert from 'uvu/assert';
import { Client, PUBLIC_URL } from './harness.ts';
import { SoftAuthenticator, type CeremonyTweaks, type SoftCredential } from './soft-authenticator.ts';

export const newAuthenticator = (options: { synced?: boolean } = {}) => new SoftAuthenticator(PUBLIC_URL, options);

export function postJson(client: Client, path: string, body: unknown, options: { origin?: string | null; ip?: string } = {}) {
  return client.request(path, {
    method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'application/json' }, ...options,
  });
}

/** "Add a passkey": name and password for the options, then the authenticator's answer; returns the finishing response. */
export async function addPasskey(
  client: Client, area: string, authenticator: SoftAuthenticator, input: { name: string; password: string; tweaks?: CeremonyTweaks },
): Promise<Response> {
  const started = await client.post(`${area}/passkeys/options`, { passkey_name: input.name, current_password: input.password });
  assert.is(started.status, 200, `the options are given (${started.status})`);
  const options = await started.json();
  return postJson(client, `${area}/passkeys`, authenticator.register(options, input.tweaks));
}

export async function signInOptions(client: Client, base: string) {
  const response = await postJson(client, `${base}/login/passkey/options`, {});
  assert.is(response.status, 200);
  return response.json() as Promise<{ challenge: string; rpId: string; userVerification: string; allowCredentials?: unknown[] }>;
}

/** "Sign in with a passkey": fresh options, the authenticator's signed answer, the server's verdict. */
export async function passkeySignIn(
  client: Client, base: string, authenticator: SoftAuthenticator, tweaks: CeremonyTweaks & { credential?: SoftCredential } = {},
): Promise<Response> {
  const options = await signInOptions(client, base);
  return postJson(client, `${base}/login/passkey`, authenticator.assert(options, tweaks));
}
