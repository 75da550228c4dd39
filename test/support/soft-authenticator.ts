// A software passkey authenticator for the HTTP tests, written here from the WebAuthn spec with node:crypto (ES256,
// "none" attestation) and independent of the library the server uses: it makes credentials and signs assertions as
// a phone would, and can be told to misbehave (no user verification, another origin, a counter that goes backwards).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  if (length < 65536) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}

/** The few CBOR types a credential needs: integers, text, byte strings, maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export type SoftCredential = { id: string; rpId: string; userHandle: string; privateKey: KeyObject; counter: number };

export type CeremonyTweaks = { origin?: string; userVerified?: boolean; counter?: number; rpId?: string; type?: string };

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  constructor(private readonly origin: string, private readonly options: { synced?: boolean } = {}) {}

  /** navigator.credentials.create() for the options a server sent; returns RegistrationResponseJSON. */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, tweaks: CeremonyTweaks = {}) {
    const rpId = tweaks.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = cbor(new Map<number, Cbor>([
      [1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')],
    ]));
    const id = randomBytes(32);
    const counter = tweaks.counter ?? 0;
    const credential: SoftCredential = { id: b64url(id), rpId, userHandle: options.user.id, privateKey, counter };
    const idLength = Buffer.from([id.length >> 8, id.length & 0xff]);
    const authData = Buffer.concat([
      sha256(rpId), Buffer.from([this.flags(tweaks) | FLAG_AT]), this.counterBytes(counter), Buffer.alloc(16), idLength, id, coseKey,
    ]);
    const clientDataJSON = JSON.stringify({
      type: tweaks.type ?? 'webauthn.create', challenge: options.challenge, origin: tweaks.origin ?? this.origin, crossOrigin: false,
    });
    const attestationObject = cbor(new Map<string, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    this.credentials.push(credential);
    return {
      id: credential.id, rawId: credential.id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
    };
  }

  /** navigator.credentials.get() with a discoverable credential (the newest, unless one is named). */
  assert(options: { challenge: string; rpId?: string }, tweaks: CeremonyTweaks & { credential?: SoftCredential } = {}) {
    const credential = tweaks.credential ?? this.credentials.at(-1);
    if (!credential) throw new Error('this authenticator holds no passkey');
    credential.counter = tweaks.counter ?? credential.counter + 1;
    const authData = Buffer.concat([sha256(tweaks.rpId ?? credential.rpId), Buffer.from([this.flags(tweaks)]), this.counterBytes(credential.counter)]);
    const clientDataJSON = Buffer.from(JSON.stringify({
      type: tweaks.type ?? 'webauthn.get', challenge: options.challenge, origin: tweaks.origin ?? this.origin, crossOrigin: false,
    }));
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: credential.id, rawId: credential.id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: credential.userHandle },
    };
  }

  private flags(tweaks: CeremonyTweaks): number {
    const synced = this.options.synced ? FLAG_BE | FLAG_BS : 0;
    return FLAG_UP | (tweaks.userVerified === false ? 0 : FLAG_UV) | synced;
  }

  private counterBytes(counter: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(counter);
    return b;
  }
}
