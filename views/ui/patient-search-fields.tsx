import type { FC } from 'hono/jsx';
import { PATIENT_SEARCH_FIELDS as F } from '../../src/copy/practice.ts';
import { Field } from './layout.tsx';

export type PatientSearchValues = { account: string; name: string; dob: string; guardian_email: string };

/** Patient Administration's four filters: on its search page, and on the front desk's home (a GET to that page). */
export const PatientSearchFields: FC<{ values: PatientSearchValues; dobError?: string | null }> = ({ values, dobError }) => (
  <div class="filters">
    <Field name="account" label={F.account} hint={F.accountHint} value={values.account} autocomplete="off" maxlength={32} />
    <Field name="name" label={F.name} hint={F.nameHint} value={values.name} autocomplete="off" maxlength={100} />
    <Field name="dob" type="date" label={F.dob} hint={F.dobHint} value={values.dob} autocomplete="off" error={dobError} />
    <Field name="guardian_email" type="email" label={F.guardianEmail} hint={F.guardianEmailHint} value={values.guardian_email} autocomplete="off" maxlength={254} />
  </div>
);
