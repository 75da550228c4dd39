import type { FC } from 'hono/jsx';
import type { ChoiceSetting, RoleChoice, SettingsSection } from '../../src/features/practice-settings/practice-settings.ts';
import { practiceText } from '../../src/copy/practice/index.ts';
import { ErrorSummary, Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';

const T = practiceText.settings;

export type SettingsFormProps = {
  action: string; sections: SettingsSection[]; roleChoices: RoleChoice[]; values: Record<string, string>; errors?: Record<string, string>;
};

/** P7: the practice's security settings in one form. */
export const PracticeSettingsPage: FC<SettingsFormProps & { chrome: Chrome; notice?: string | null }> = (props) => (
  <Layout title={T.title} chrome={props.chrome}>
    <h1>{T.title}</h1>
    <Notice message={props.notice} />
    <p class="muted">{T.intro(props.chrome.practiceName ?? '')}</p>
    <SettingsForm {...props} />
  </Layout>
);

/** The form alone is also the htmx answer to a refused save: it swaps itself, input and errors kept. */
export const SettingsForm: FC<SettingsFormProps> = ({ action, sections, roleChoices, values, errors }) => (
  <form method="post" action={action} class="settings" novalidate hx-post={action} hx-target="this" hx-swap="outerHTML">
    <ErrorSummary message={errors ? T.needsCorrecting : null} focus />
    {sections.map((section) => (
      <fieldset class="card">
        <legend>{section.legend}</legend>
        {(section.choices ?? []).map((s) => <Choice setting={s} value={values[s.name] ?? ''} error={errors?.[s.name]} />)}
        {section.numbers.map((s) => (
          <Field name={s.name} label={s.label} hint={s.hint} value={values[s.name] ?? ''} inputmode="numeric" maxlength={6}
            autocomplete="off" required error={errors?.[s.name]} />
        ))}
        {section.flags.map((s) => <Checkbox name={s.name} label={s.label} hint={s.hint} checked={values[s.name] === '1'} />)}
        {section.phones?.map((s) => (
          <Field name={s.name} label={s.label} hint={s.hint} type="tel" value={values[s.name] ?? ''} inputmode="tel" maxlength={40}
            autocomplete="off" error={errors?.[s.name]} />
        ))}
        {section.addresses?.map((s) => (
          <Field name={s.name} label={s.label} hint={s.hint} type="email" value={values[s.name] ?? ''} inputmode="email" maxlength={254}
            autocomplete="off" error={errors?.[s.name]} />
        ))}
      </fieldset>
    ))}
    <fieldset class="card">
      <legend>{T.patientAdmin}</legend>
      <p class="hint">{T.patientAdminHint}</p>
      {roleChoices.map((r) => <Checkbox name={r.name} label={r.label} checked={values[r.name] === '1'} />)}
    </fieldset>
    <button type="submit">{T.save}</button>
  </form>
);

const Choice: FC<{ setting: ChoiceSetting; value: string; error?: string }> = ({ setting, value, error }) => {
  const id = `field-${setting.name}`;
  const described = [`${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{setting.label}</label>
      <p class="hint" id={`${id}-hint`}>{setting.hint}</p>
      <select id={id} name={setting.name} required aria-invalid={error ? 'true' : undefined} aria-describedby={described}>
        {setting.groups.map((group) => (
          <optgroup label={group.label}>
            {group.options.map((o) => <option value={o.value} selected={o.value === value}>{o.label}</option>)}
          </optgroup>
        ))}
      </select>
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
};

const Checkbox: FC<{ name: string; label: string; hint?: string; checked: boolean }> = ({ name, label, hint, checked }) => {
  const id = `field-${name}`;
  return (
    <div class="check">
      <input type="checkbox" id={id} name={name} value="1" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} />
      <div>
        <label for={id}>{label}</label>
        {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      </div>
    </div>
  );
};
