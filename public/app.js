// Gatehouse's small behaviour layer; htmx does the requests. No inline script anywhere (strict CSP).

// The main menu (views/ui/layout.tsx) arrives open, so it works without JavaScript; on a narrow screen it folds behind
// its "Menu" button, and it opens again when the window becomes wide (where that button is not shown).
(() => {
  const narrow = window.matchMedia('(max-width: 48rem)');
  const fit = () => {
    for (const menu of document.querySelectorAll('details.menu')) menu.open = !narrow.matches;
  };
  fit();
  narrow.addEventListener('change', fit);
})();
document.addEventListener('htmx:after:swap', (event) => {
  // After a swap, move focus to the first error or to the swapped region's heading, so keyboard and
  // screen-reader users land where the change happened.
  const target = event.target instanceof Element ? event.target : document;
  const focusable = target.querySelector('[aria-invalid="true"], [role="alert"], h1, h2');
  if (focusable instanceof HTMLElement) {
    if (!focusable.hasAttribute('tabindex') && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(focusable.tagName)) {
      focusable.setAttribute('tabindex', '-1');
    }
    focusable.focus();
  }
});

// Staff administration (P4): forms that htmx opens into #staff-dialog (the Update Staff drawer, confirmations)
// behave as modal dialogs: focus moves in, Tab stays inside, Escape / Close / Cancel / the backdrop close it,
// and focus goes back to the button or link that opened it.
(() => {
  let opener = null;
  const dialogHost = () => document.getElementById('staff-dialog');
  const dialogOpen = () => Boolean(dialogHost()?.querySelector('[role="dialog"]'));

  document.addEventListener('click', (event) => {
    const host = dialogHost();
    if (!host || !(event.target instanceof Element)) return;
    if (!host.contains(event.target)) {
      const trigger = event.target.closest('[hx-target="#staff-dialog"]');
      if (trigger) opener = event.target.closest('a, button') ?? trigger;
      return;
    }
    const close = event.target.closest('[data-dialog-close]');
    if (close || event.target.classList.contains('dialog-backdrop')) {
      event.preventDefault();
      closeDialog();
    }
  }, true);

  function closeDialog() {
    const host = dialogHost();
    if (host) host.replaceChildren();
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }

  document.addEventListener('keydown', (event) => {
    if (!dialogOpen()) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      closeDialog();
      return;
    }
    if (event.key !== 'Tab') return;
    const dialog = dialogHost().querySelector('[role="dialog"]');
    const items = [...dialog.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, [tabindex="0"]')]
      .filter((el) => !el.disabled && el.offsetParent !== null);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (!dialog.contains(document.activeElement)) {
      event.preventDefault();
      first.focus();
    } else if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  // Focus into the dialog: its first invalid field, else its error, else its title.
  // Only swaps into the dialog host count (not, say, the strength meter updating while someone types in it).
  document.addEventListener('htmx:after:swap', (event) => {
    const host = dialogHost();
    if (!host || event.detail?.ctx?.target !== host) return;
    const dialog = host.querySelector('[role="dialog"]');
    if (!dialog) return;
    const target = dialog.querySelector('[aria-invalid="true"]') ?? dialog.querySelector('[role="alert"]') ?? dialog.querySelector('h2');
    if (!target) return;
    if (!/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName) && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  });
})();

// Patient Administration (P5).
(() => {
  // A confirmation panel or a re-rendered form swapped into a region marked data-focus-after-swap gets focus: its
  // first invalid field, else its heading, so keyboard and screen-reader users land on what just appeared.
  document.addEventListener('htmx:after:swap', (event) => {
    const swapped = event.detail?.ctx?.target;
    const region = swapped?.isConnected ? swapped : swapped?.id ? document.getElementById(swapped.id) : null;
    if (!region || !region.hasAttribute('data-focus-after-swap')) return;
    const target = region.querySelector('[aria-invalid="true"]') ?? region.querySelector('h1, h2');
    if (!target) return;
    if (!/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName) && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  });

  // While someone types in the patient search, a field error from the last full page is out of date (the live
  // summary says what is wrong now); clearing it also keeps focus in the field being typed in after each swap.
  document.addEventListener('htmx:before:request', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== 'patient-search') return;
    for (const field of form.querySelectorAll('[aria-invalid="true"]')) {
      field.removeAttribute('aria-invalid');
      field.closest('.field')?.classList.remove('invalid');
    }
    for (const error of form.querySelectorAll('.field-error')) error.remove();
  });
})();

// Password fields (sign-in, new passwords, confirmations): a "Show password" toggle (a real button, aria-pressed),
// a Caps Lock warning, and a field's error that goes away once the person starts correcting it. Added here, so a
// browser without JavaScript shows the plain field; run again on what htmx swaps in.
(() => {
  let counter = 0;

  function enhancePasswords(root) {
    for (const input of root.querySelectorAll('input[type="password"]:not([data-enhanced])')) {
      input.setAttribute('data-enhanced', '');
      if (!input.id) input.id = `password-${++counter}`;
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'reveal';
      toggle.setAttribute('aria-pressed', 'false');
      toggle.setAttribute('aria-controls', input.id);
      // The page's own words (the layout puts them on <body>): the name says what it shows, the pressed state whether.
      toggle.textContent = document.body.dataset.showPassword || 'Show password';
      const caps = document.createElement('p');
      caps.className = 'caps-lock';
      caps.id = `${input.id}-caps`;
      caps.setAttribute('role', 'status');
      input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), caps.id].filter(Boolean).join(' '));
      input.after(toggle, caps);
    }
  }

  document.addEventListener('click', (event) => {
    const toggle = event.target instanceof Element ? event.target.closest('button.reveal') : null;
    if (!toggle) return;
    const input = document.getElementById(toggle.getAttribute('aria-controls') ?? '');
    if (!(input instanceof HTMLInputElement)) return;
    const showing = toggle.getAttribute('aria-pressed') !== 'true';
    input.type = showing ? 'text' : 'password';
    toggle.setAttribute('aria-pressed', String(showing));
  });

  // A field shown as text is a password again before its form leaves, so no browser keeps it as plain text.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    for (const toggle of form.querySelectorAll('button.reveal[aria-pressed="true"]')) toggle.click();
  }, true);

  function showCapsLock(event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-enhanced') || typeof event.getModifierState !== 'function') return;
    const caps = document.getElementById(`${input.id}-caps`);
    if (!caps) return;
    const on = event.type !== 'blur' && event.getModifierState('CapsLock');
    const text = on ? document.body.dataset.capsLock || 'Caps Lock is on.' : '';
    if (caps.textContent !== text) caps.textContent = text;
  }
  document.addEventListener('keydown', showCapsLock);
  document.addEventListener('keyup', showCapsLock);
  document.addEventListener('blur', (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute('data-enhanced')) {
      const caps = document.getElementById(`${input.id}-caps`);
      if (caps) caps.textContent = '';
    }
  }, true);

  // Typing in a field that was refused clears its error: what is wrong now is no longer what was wrong then.
  document.addEventListener('input', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement || input instanceof HTMLTextAreaElement)) return;
    const field = input.closest('.field.invalid');
    if (!field) return;
    field.classList.remove('invalid');
    input.removeAttribute('aria-invalid');
    const error = field.querySelector('.field-error');
    if (error) {
      const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== error.id);
      if (described.length) input.setAttribute('aria-describedby', described.join(' '));
      else input.removeAttribute('aria-describedby');
      error.remove();
    }
  });

  enhancePasswords(document);
  document.addEventListener('htmx:after:swap', () => enhancePasswords(document));
})();

// A form that posts without htmx is sent once: a second click while the page is on its way is ignored, and its
// button shows that it is working. (htmx forms have their buttons disabled by htmx itself: hx-disable in layout.)
(() => {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if (form.method.toLowerCase() !== 'post' || form.hasAttribute('hx-post') || form.hasAttribute('data-repeatable')) return;
    if (form.classList.contains('is-submitting')) {
      event.preventDefault();
      return;
    }
    form.classList.add('is-submitting');
    form.setAttribute('aria-busy', 'true');
  });
  // Coming back with the browser's Back button shows the page as it was left: ready to be sent again.
  window.addEventListener('pageshow', () => {
    for (const form of document.querySelectorAll('form.is-submitting')) {
      form.classList.remove('is-submitting');
      form.removeAttribute('aria-busy');
    }
  });
})();
