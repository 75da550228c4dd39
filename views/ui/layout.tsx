import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';

/** Everything around a page's content: the practice's header, menu and sign-out, and the asset URLs to load. */
export type Chrome = {
  assets: { css: string; htmx: string; script: string };
  lang?: string;
  practiceName?: string;
  portalLabel?: string;
  homeHref?: string;
  signOutAction?: string;
  signOutLabel?: string;
  signedInAs?: string;
  nav?: { href: string; label: string; current?: boolean }[];
  /** The name of the button that opens the menu on a narrow screen. */
  menuLabel?: string;
  /** Words app.js adds to password fields: the Show toggle's name and the Caps Lock warning. */
  passwordWords?: { show: string; capsLock: string };
  skipLabel?: string;
  /** The patient portal's link to the same page in the other language, named in that language ("Español"). */
  languageSwitch?: { href: string; label: string; lang: string; hint: string };
};

/** Every full page: practice name in the header, the signed-in person and "Sign out", a main landmark. */
export const Layout: FC<{ title: string; chrome: Chrome; children?: Child }> = ({ title, chrome, children }) => (
  <>
    {raw('<!DOCTYPE html>')}
    <html lang={chrome.lang ?? 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorCSS": false}' />
        <title>{chrome.practiceName ? `${title} · ${chrome.practiceName}` : `${title} · Gatehouse`}</title>
        <link rel="stylesheet" href={chrome.assets.css} />
        <script src={chrome.assets.htmx} defer></script>
        <script src={chrome.assets.script} defer></script>
      </head>
      {/* While htmx sends a form, its submit buttons are disabled (and show that it is working, app.css). */}
      <body hx-disable:inherited="findAll button[type=submit]" data-show-password={chrome.passwordWords?.show ?? 'Show password'}
        data-caps-lock={chrome.passwordWords?.capsLock ?? 'Caps Lock is on.'}>
        <a class="skip" href="#main">{chrome.skipLabel ?? 'Skip to main content'}</a>
        <header class="top">
          <div class="brand">
            <a href={chrome.homeHref ?? '/'}>{chrome.practiceName ?? 'Gatehouse'}</a>
            {chrome.portalLabel && <span class="portal">{chrome.portalLabel}</span>}
          </div>
          {chrome.nav && (
            // Open as sent, so it works without JavaScript; on a narrow screen app.js folds it behind its "Menu" button.
            <details class="menu" open>
              <summary>{chrome.menuLabel ?? 'Menu'}</summary>
              <nav aria-label="Main">
                <ul>
                  {chrome.nav.map((item) => (
                    <li><a href={item.href} aria-current={item.current ? 'page' : undefined}>{item.label}</a></li>
                  ))}
                </ul>
              </nav>
            </details>
          )}
          {chrome.languageSwitch && (
            <a class="language" href={chrome.languageSwitch.href} lang={chrome.languageSwitch.lang} hreflang={chrome.languageSwitch.lang}
              title={chrome.languageSwitch.hint}>{chrome.languageSwitch.label}</a>
          )}
          {chrome.signOutAction && (
            <form method="post" action={chrome.signOutAction} class="sign-out">
              {chrome.signedInAs && <span class="who">{chrome.signedInAs}</span>}
              <button type="submit">{chrome.signOutLabel ?? 'Sign out'}</button>
            </form>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  </>
);

/**
 * A form's error. With `focus`, a freshly loaded page puts focus on it (autofocus), as app.js does after an htmx
 * swap: a role="alert" present at load is not reliably announced, so focus is what makes screen readers read it.
 */
export const ErrorSummary: FC<{ message?: string | null; id?: string; focus?: boolean }> = ({ message, id = 'form-error', focus }) =>
  message ? (
    <div class="alert error" role="alert" id={id} tabindex={focus ? -1 : undefined} autofocus={focus}>
      {message}
    </div>
  ) : null;

export const Notice: FC<{ message?: string | null }> = ({ message }) =>
  message ? <div class="alert notice" role="status">{message}</div> : null;

type FieldProps = {
  name: string;
  /** Needed only when a page has two fields of the same name (two forms); defaults to field-{name}. */
  id?: string;
  label: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  hint?: string;
  error?: string | null;
  required?: boolean;
  maxlength?: number;
  inputmode?: 'numeric' | 'email' | 'text' | 'tel';
  autofocus?: boolean;
};

/** A labelled input; its hint and error are tied to it with aria-describedby. */
export const Field: FC<FieldProps> = (props) => {
  const id = props.id ?? `field-${props.name}`;
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && <p class="hint" id={`${id}-hint`}>{props.hint}</p>}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required}
        maxlength={props.maxlength}
        inputmode={props.inputmode}
        autofocus={props.autofocus}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
      />
      {props.error && <p class="field-error" id={`${id}-error`}>{props.error}</p>}
    </div>
  );
};
