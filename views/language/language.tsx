import type { FC } from 'hono/jsx';
import type { Messages } from '../../src/copy/messages.ts';
import { Notice } from '../ui/layout.tsx';

type Words = Messages['language'];

/** Settings, "Idioma" / "Language": the language of the portal and of everything sent to this account. */
export const LanguageSection: FC<{ t: Words; current: string; action: string; saved: boolean }> = ({ t, current, action, saved }) => (
  <section class="card" aria-labelledby="language-heading" id="language">
    <h2 id="language-heading">{t.heading}</h2>
    <Notice message={saved ? t.saved : null} />
    <form method="post" action={action}>
      <div class="field">
        <label for="field-language">{t.label}</label>
        <p class="hint" id="field-language-hint">{t.hint}</p>
        <select id="field-language" name="language" aria-describedby="field-language-hint">
          {Object.entries(t.choices).map(([value, label]) => (
            <option value={value} lang={value} selected={value === current}>{label}</option>
          ))}
        </select>
      </div>
      <div class="actions"><button type="submit">{t.save}</button></div>
    </form>
  </section>
);
