import { assetUrl } from '../../http/assets.ts';

/** The scripts a passkey ceremony needs, by versioned URL: the browser library (a pinned copy), then ours. */
export const passkeyScripts = () => [assetUrl('simplewebauthn-browser.min.js'), assetUrl('passkeys.js')];
