// Gatehouse's small behaviour layer; htmx does the requests. No inline script anywhere (strict CSP).
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
