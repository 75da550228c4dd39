import type { FC } from 'hono/jsx';
import type { PasswordCheck } from '../../src/core/password-policy.ts';
import { Field } from './layout.tsx';

export type PasswordLabels = { newPasswordLabel: string; confirmationLabel: string; newPasswordIntro: string };

/**
 * Live strength: the server's own policy, asked as you type (htmx); the same words come back on submit. A bar of four
 * steps shows it at a glance (its colour and length follow the score); the words say it for everyone.
 */
export const PasswordStrength: FC<{ check: PasswordCheck | null }> = ({ check }) => (
  <div id="password-strength" class="strength" aria-live="polite">
    {check && (
      <>
        <div class={`strength-meter score-${check.score}${check.ok ? ' accepted' : ''}`} aria-hidden="true"><span></span><span></span><span></span><span></span></div>
        <p class={check.ok ? 'strength-ok' : 'strength-weak'}>
          <strong>{check.strength}</strong> {check.message}
        </p>
      </>
    )}
  </div>
);

export const NewPasswordFields: FC<{
  labels: PasswordLabels;
  strengthAction: string;
  errors?: { new_password?: string | null; new_password_confirmation?: string | null };
}> = ({ labels, strengthAction, errors }) => (
  <>
    <div class={errors?.new_password ? 'field invalid' : 'field'}>
      <label for="field-new_password">{labels.newPasswordLabel}</label>
      <p class="hint" id="field-new_password-hint">{labels.newPasswordIntro}</p>
      <input
        id="field-new_password"
        name="new_password"
        type="password"
        autocomplete="new-password"
        required
        maxlength={1024}
        aria-invalid={errors?.new_password ? 'true' : undefined}
        aria-describedby={['field-new_password-hint', errors?.new_password && 'field-new_password-error', 'password-strength'].filter(Boolean).join(' ')}
        hx-post={strengthAction}
        hx-trigger="input changed delay:400ms"
        hx-target="#password-strength"
        hx-swap="outerHTML"
        hx-include="this"
      />
      {errors?.new_password && <p class="field-error" id="field-new_password-error">{errors.new_password}</p>}
      <PasswordStrength check={null} />
    </div>
    <Field
      name="new_password_confirmation"
      type="password"
      label={labels.confirmationLabel}
      autocomplete="new-password"
      required
      maxlength={1024}
      error={errors?.new_password_confirmation}
    />
  </>
);
