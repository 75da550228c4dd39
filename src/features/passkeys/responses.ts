import type { AuthenticationResponseJSON, AuthenticatorTransport, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';

// What a browser sends back from a ceremony, checked for shape and size before any of it reaches the WebAuthn
// library: anything else is a 400, never an exception deeper down.

const base64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/);
const credentialId = base64url(1400).min(16);
const TRANSPORTS = ['ble', 'hybrid', 'internal', 'nfc', 'usb'] as const;

// What every answer carries besides its response: the credential, and how the browser reached the authenticator.
const credential = {
  id: credentialId, rawId: credentialId, type: z.literal('public-key'), authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

const registrationSchema = z.object({
  ...credential,
  response: z.object({
    clientDataJSON: base64url(4096).min(1),
    attestationObject: base64url(32768).min(1),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
});

const authenticationSchema = z.object({
  ...credential,
  response: z.object({
    clientDataJSON: base64url(4096).min(1),
    authenticatorData: base64url(4096).min(1),
    signature: base64url(2048).min(1),
    userHandle: base64url(128).nullish().transform((v) => v ?? undefined),
  }),
});

export function knownTransports(values: readonly string[] | undefined): AuthenticatorTransport[] {
  return (values ?? []).filter((v): v is AuthenticatorTransport => (TRANSPORTS as readonly string[]).includes(v));
}

export function parseRegistrationResponse(body: unknown): RegistrationResponseJSON | null {
  const parsed = registrationSchema.safeParse(body);
  if (!parsed.success) return null;
  const { response, ...rest } = parsed.data;
  return { ...rest, response: { ...response, transports: knownTransports(response.transports) }, clientExtensionResults: {} };
}

export function parseAuthenticationResponse(body: unknown): AuthenticationResponseJSON | null {
  const parsed = authenticationSchema.safeParse(body);
  return parsed.success ? { ...parsed.data, clientExtensionResults: {} } : null;
}
