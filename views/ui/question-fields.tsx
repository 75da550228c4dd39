import type { FC } from 'hono/jsx';
import { securityQuestionIn, type Messages } from '../../src/copy/messages.ts';
import { Field } from './layout.tsx';

/** Choosing a security question and its answer: invitation, forced update, My Account / Settings. */
export const QuestionFields: FC<{ t: Messages; errors?: { question?: string | null; answer?: string | null }; selected?: string }> = ({ t, errors, selected }) => {
  // A question kept in another language is offered as the same question in this one.
  const shown = selected && securityQuestionIn(t, selected);
  return (
  <>
    <div class={errors?.question ? 'field invalid' : 'field'}>
      <label for="field-question">{t.recovery.questionLabel}</label>
      <select id="field-question" name="question" required aria-invalid={errors?.question ? 'true' : undefined}
        aria-describedby={errors?.question ? 'field-question-error' : undefined}>
        <option value="">{t.recovery.questionChoose}</option>
        {t.securityQuestions.map((q) => <option value={q} selected={q === shown}>{q}</option>)}
      </select>
      {errors?.question && <p class="field-error" id="field-question-error">{errors.question}</p>}
    </div>
    <Field name="answer" label={t.recovery.answerLabel} hint={t.recovery.answerHint} autocomplete="off" required maxlength={200} error={errors?.answer} />
  </>
  );
};
