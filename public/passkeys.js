// Passkeys: "Sign in with a passkey" on the login pages and "Add a passkey" in My Account / Settings. The server
// renders both hidden; this reveals them where the browser can use passkeys and runs the ceremony with the pinned
// SimpleWebAuthn browser library (public/simplewebauthn-browser.min.js), fetched when a ceremony starts rather than
// with every login page: most visits never use it, and a first visit stays small. Every word shown comes from the
// page (data-* attributes) or from the server's answer: none is written here.
(() => {
  // What the library's own browserSupportsWebAuthn() checks.
  const supported = typeof window.PublicKeyCredential === 'function';
  let library = null;
  function loadLibrary() {
    library ??= new Promise((resolve, reject) => {
      if (window.SimpleWebAuthnBrowser) return resolve(window.SimpleWebAuthnBrowser);
      const script = document.createElement('script');
      script.src = '/public/simplewebauthn-browser.min.js';
      script.onload = () => (window.SimpleWebAuthnBrowser ? resolve(window.SimpleWebAuthnBrowser) : reject(new Error('no library')));
      script.onerror = () => {
        library = null; // the next attempt tries again
        reject(new Error('the passkey library did not load'));
      };
      document.head.append(script);
    });
    return library;
  }
  if (document.documentElement.dataset.passkeysReady) return; // loaded twice on one page
  document.documentElement.dataset.passkeysReady = '1';

  /** Posts and reads the JSON answer; a page that is not JSON (a refusal page, say) counts as a failure. */
  async function post(url, body, json) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: json ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
      body: json ? JSON.stringify(body) : body,
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return { ok: response.ok, data: data ?? {} };
  }

  /** The browser's own refusals (cancelled, timed out, no passkey chosen) read differently from a server refusal. */
  function cancelledByPerson(error) {
    return error && (error.name === 'NotAllowedError' || error.name === 'AbortError' || error.code === 'ERROR_CEREMONY_ABORTED');
  }

  function showError(region, message) {
    const box = region.querySelector('[data-passkey-error]');
    const status = region.querySelector('[data-passkey-status]');
    if (status) status.textContent = '';
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    box.setAttribute('tabindex', '-1');
    box.focus();
  }

  function clearError(region) {
    const box = region.querySelector('[data-passkey-error]');
    if (box) {
      box.hidden = true;
      box.textContent = '';
    }
    for (const field of region.querySelectorAll('[aria-invalid="true"]')) field.removeAttribute('aria-invalid');
  }

  function setWaiting(region, button, waiting) {
    const status = region.querySelector('[data-passkey-status]');
    if (status) status.textContent = waiting ? region.dataset.waiting : '';
    button.disabled = waiting;
  }

  /**
   * One ceremony: the server's options, the browser's passkey dialog (`ceremony`), the server's verdict. On success
   * the server names the next page; otherwise its sentence (or the region's own words) is shown and focused.
   */
  async function run(region, button, requestOptions, ceremony) {
    clearError(region);
    setWaiting(region, button, true);
    try {
      const options = await requestOptions();
      if (!options.ok) return refuse(region, options.data);
      let answer;
      try {
        answer = await ceremony({ optionsJSON: options.data });
      } catch (error) {
        return showError(region, cancelledByPerson(error) ? region.dataset.cancelled : region.dataset.failed);
      }
      const result = await post(region.dataset.verify, answer, true);
      if (result.ok && result.data.redirect) return window.location.assign(result.data.redirect);
      refuse(region, result.data);
    } catch {
      showError(region, region.dataset.failed);
    } finally {
      setWaiting(region, button, false);
    }
  }

  /** The server's refusal: its sentence, and the field it names (a wrong password, a missing name) marked and focused. */
  function refuse(region, data) {
    showError(region, data.error || region.dataset.failed);
    const field = data.field && region.querySelector(`[name="${data.field}"]`);
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  // Login pages, and the page asking policy-bound staff for their passkey.
  for (const region of document.querySelectorAll('[data-passkey-sign-in]')) {
    if (!supported) continue;
    region.hidden = false;
    const button = region.querySelector('[data-passkey-start]');
    button.addEventListener('click', () => {
      loadLibrary().catch(() => {}); // fetched while the server prepares the options
      run(region, button, () => post(region.dataset.options, {}, true), async (options) => (await loadLibrary()).startAuthentication(options));
    });
  }

  // My Account / Settings → Passkeys → Add a passkey.
  for (const note of document.querySelectorAll('[data-passkey-no-script]')) note.hidden = true;
  for (const region of document.querySelectorAll('[data-passkey-add]')) {
    if (!supported) {
      region.parentElement?.querySelector('[data-passkey-unsupported]')?.removeAttribute('hidden');
      continue;
    }
    region.hidden = false;
    const form = region.querySelector('form');
    const button = form.querySelector('button[type="submit"]');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      loadLibrary().catch(() => {});
      run(region, button, () => post(form.action, new URLSearchParams(new FormData(form)), false), async (options) => (await loadLibrary()).startRegistration(options));
    });
  }
})();
