import { assetUrl } from '../../http/assets.ts';

/**
 * The script of the passkey ceremonies, by versioned URL. It fetches the browser library (a pinned copy,
 * public/simplewebauthn-browser.min.js) itself when a ceremony starts, so a login page does not carry it.
 */
export const passkeyScripts = () => [assetUrl('passkeys.js')];
