import { z } from 'zod';
import { SETTING_LABELS } from '../../copy/practice.ts';
import { practiceText } from '../../copy/practice/index.ts';
import { isTimeZone, timeZoneChoices } from '../../copy/time.ts';
import { recordEvent } from '../../core/audit.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import type { Sql } from '../../platform/db.ts';
import { parseSettings, settingsSchema, type TenantSettings } from '../../core/tenant.ts';

// P7: what a practice administrator may change, as form fields. Ranges and defaults come from settingsSchema
// (src/tenant.ts), so the page, its validation and the rest of Gatehouse always agree.

type NumberKey = { [K in keyof TenantSettings]: TenantSettings[K] extends number ? K : never }[keyof TenantSettings];
type FlagKey = { [K in keyof TenantSettings]: TenantSettings[K] extends boolean ? K : never }[keyof TenantSettings];
type Role = TenantSettings['patientAdminRoles'][number];

export type NumberSetting = { key: NumberKey; name: string; label: string; hint: string; min: number; max: number; defaultValue: number; unit: string };
export type FlagSetting = { key: FlagKey; name: string; label: string; hint?: string };
/** An email address typed in full (the Reply-To of the practice's emails); empty means none. */
export type AddressSetting = { key: 'replyToEmail'; name: string; label: string; hint: string };
/** A phone number as people dial it (the practice's, given in every email); empty means none. */
export type PhoneSetting = { key: 'phoneNumber'; name: string; label: string; hint: string };
/** A setting chosen from a list (the time zone), its options grouped as the list shows them. */
export type ChoiceSetting = {
  key: 'timeZone'; name: string; label: string; hint: string; groups: { label: string; options: { value: string; label: string }[] }[];
};
export type SettingsSection = {
  legend: string; numbers: NumberSetting[]; flags: FlagSetting[]; addresses?: AddressSetting[]; phones?: PhoneSetting[]; choices?: ChoiceSetting[];
};

/** DESIGN.md §4: 12 characters at least, unless staff must also pass a second factor. */
export const MIN_LENGTH_WITHOUT_TWO_FACTOR = 12;

const DEFAULTS = settingsSchema.parse({});
const T = practiceText.settings;
type Unit = keyof typeof T.units;

function numberSetting(key: NumberKey, name: string, unitKey: Unit, extra = ''): NumberSetting {
  const unit = T.units[unitKey];
  const label = SETTING_LABELS[key];
  const range = (settingsSchema.shape[key] as unknown as z.ZodDefault<z.ZodNumber>).unwrap();
  const min = range.minValue ?? 0;
  const max = range.maxValue ?? Number.MAX_SAFE_INTEGER;
  const hint = `${T.range(min, max, unit, DEFAULTS[key])}${extra ? ` ${extra}` : ''}`;
  return { key, name, label, hint, min, max, defaultValue: DEFAULTS[key], unit };
}

/** Every IANA zone of a place, grouped by its region ("America", "Europe" …) and named as people read it. */
function timeZoneSetting(): ChoiceSetting {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const zone of timeZoneChoices()) {
    const [region, ...place] = zone.split('/');
    const list = groups.get(region) ?? [];
    list.push({ value: zone, label: place.join(' / ').replace(/_/g, ' ') });
    groups.set(region, list);
  }
  return {
    key: 'timeZone', name: 'time_zone', label: SETTING_LABELS.timeZone,
    hint: T.hints.timeZone(DEFAULTS.timeZone.replace(/_/g, ' ')),
    groups: [...groups].map(([label, options]) => ({ label, options })),
  };
}

export const SETTINGS_SECTIONS: SettingsSection[] = [
  {
    legend: T.sections.contact,
    numbers: [],
    flags: [],
    phones: [{
      key: 'phoneNumber', name: 'phone_number', label: SETTING_LABELS.phoneNumber,
      hint: T.hints.phoneNumber,
    }],
  },
  { legend: T.sections.time, numbers: [], flags: [], choices: [timeZoneSetting()] },
  {
    legend: T.sections.links,
    numbers: [
      numberSetting('resetLinkHours', 'reset_link_hours', 'hours'),
      numberSetting('staffResetLinkHours', 'staff_reset_link_hours', 'hours'),
      numberSetting('invitationDays', 'invitation_days', 'days'),
    ],
    flags: [],
  },
  {
    legend: T.sections.passwords,
    numbers: [
      numberSetting('passwordMinLength', 'password_min_length', 'characters',
        T.hints.passwordMinLength(MIN_LENGTH_WITHOUT_TWO_FACTOR)),
    ],
    flags: [{
      key: 'staffMayTypeTemporaryPassword', name: 'staff_may_type_temporary_password',
      label: SETTING_LABELS.staffMayTypeTemporaryPassword, hint: T.hints.staffMayTypeTemporaryPassword,
    }, {
      key: 'staffPasswordSetByAdmin', name: 'staff_password_set_by_admin',
      label: SETTING_LABELS.staffPasswordSetByAdmin,
      hint: T.hints.staffPasswordSetByAdmin,
    }],
  },
  {
    legend: T.sections.idle,
    numbers: [
      numberSetting('idleMinutesPractice', 'idle_minutes_practice', 'minutes'),
      numberSetting('idleMinutesPatient', 'idle_minutes_patient', 'minutes'),
    ],
    flags: [],
  },
  {
    legend: T.sections.twoFactor,
    numbers: [numberSetting('rememberDeviceDays', 'remember_device_days', 'days', T.hints.rememberDeviceDays)],
    flags: [
      {
        key: 'staffTwoFactorRequired', name: 'staff_two_factor_required', label: SETTING_LABELS.staffTwoFactorRequired,
        hint: T.hints.staffTwoFactorRequired,
      },
      { key: 'smsCodesAllowed', name: 'sms_codes_allowed', label: SETTING_LABELS.smsCodesAllowed },
    ],
  },
  {
    legend: T.sections.email,
    numbers: [],
    flags: [],
    addresses: [{
      key: 'replyToEmail', name: 'reply_to_email', label: SETTING_LABELS.replyToEmail,
      hint: T.hints.replyToEmail,
    }],
  },
];

/** Roles an administrator may let into Patient Administration; administrators always have it. */
export type RoleChoice = { role: Exclude<Role, 'admin'>; name: string; label: string };
export const PATIENT_ADMIN_CHOICES: RoleChoice[] = [
  { role: 'staff', name: 'patient_admin_staff', label: T.roles.staff },
  { role: 'nurse', name: 'patient_admin_nurse', label: T.roles.nurse },
  { role: 'provider', name: 'patient_admin_provider', label: T.roles.provider },
];

const NUMBER_SETTINGS = SETTINGS_SECTIONS.flatMap((s) => s.numbers);
const FLAG_SETTINGS = SETTINGS_SECTIONS.flatMap((s) => s.flags);
const ADDRESS_SETTINGS = SETTINGS_SECTIONS.flatMap((s) => s.addresses ?? []);
const PHONE_SETTINGS = SETTINGS_SECTIONS.flatMap((s) => s.phones ?? []);
const CHOICE_SETTINGS = SETTINGS_SECTIONS.flatMap((s) => s.choices ?? []);
const ROLE_ORDER: Role[] = ['admin', 'provider', 'nurse', 'staff'];

function wholeNumber(setting: NumberSetting) {
  const message = T.errors.wholeNumber(setting.min, setting.max);
  return z.string().trim().regex(/^\d{1,6}$/, message).transform(Number)
    .pipe(z.number().min(setting.min, message).max(setting.max, message));
}

const checkbox = z.literal('1').optional();

const address = z.string().trim().toLowerCase().max(254, T.errors.tooLong(254))
  .pipe(z.union([z.literal(''), z.email(T.errors.email)])).optional();

// Digits with the usual separators, an optional leading + and an extension ("x12", "ext. 12"): 7 to 20 digits.
const phone = z.string().trim().max(40, T.errors.tooLong(40)).transform((value) => value.replace(/\s+/g, ' '))
  .refine((value) => value === '' || (/^\+?[\d\s().\-]+((x|ext\.?)\s*\d{1,6})?$/i.test(value) && /^(\D*\d){7,20}\D*$/.test(value)),
    T.errors.phone).optional();

const MIN_LENGTH = 'password_min_length';
const TWO_FACTOR = 'staff_two_factor_required';

export const settingsFormSchema = z.object(Object.fromEntries([
  ...NUMBER_SETTINGS.map((s) => [s.name, wholeNumber(s)] as const),
  ...FLAG_SETTINGS.map((s) => [s.name, checkbox] as const),
  ...PATIENT_ADMIN_CHOICES.map((r) => [r.name, checkbox] as const),
  ...ADDRESS_SETTINGS.map((s) => [s.name, address] as const),
  ...PHONE_SETTINGS.map((s) => [s.name, phone] as const),
  ...CHOICE_SETTINGS.map((s) => [s.name, z.string().trim().refine(isTimeZone, T.errors.timeZone)] as const),
]) as Record<string, z.ZodType<number | string | undefined, string | undefined>>).refine(
  (form) => form[TWO_FACTOR] === '1' || (form[MIN_LENGTH] as number) >= MIN_LENGTH_WITHOUT_TWO_FACTOR,
  {
    path: [MIN_LENGTH],
    message: T.errors.minLength(MIN_LENGTH_WITHOUT_TWO_FACTOR),
    // Checked whenever the length itself is a valid number, even while other fields still have errors.
    when: (payload) => typeof (payload.value as Record<string, unknown>)?.[MIN_LENGTH] === 'number',
  },
);
export type SettingsForm = z.infer<typeof settingsFormSchema>;

/** The settings the validated form chose. */
export function settingsFromForm(form: SettingsForm): Partial<TenantSettings> {
  const chosen: Record<string, unknown> = {};
  for (const s of NUMBER_SETTINGS) chosen[s.key] = form[s.name];
  for (const s of FLAG_SETTINGS) chosen[s.key] = form[s.name] === '1';
  for (const s of ADDRESS_SETTINGS) chosen[s.key] = form[s.name] || null;
  for (const s of PHONE_SETTINGS) chosen[s.key] = form[s.name] || null;
  for (const s of CHOICE_SETTINGS) chosen[s.key] = form[s.name];
  const allowed = new Set<Role>(['admin', ...PATIENT_ADMIN_CHOICES.filter((r) => form[r.name] === '1').map((r) => r.role)]);
  chosen.patientAdminRoles = ROLE_ORDER.filter((role) => allowed.has(role));
  return chosen as Partial<TenantSettings>;
}

/** The form's fields as the current settings fill them (the page's starting values). */
export function formValuesFrom(settings: TenantSettings): Record<string, string> {
  const values: Record<string, string> = {};
  for (const s of NUMBER_SETTINGS) values[s.name] = String(settings[s.key]);
  for (const s of FLAG_SETTINGS) if (settings[s.key]) values[s.name] = '1';
  for (const s of ADDRESS_SETTINGS) values[s.name] = settings[s.key] ?? '';
  for (const s of PHONE_SETTINGS) values[s.name] = settings[s.key] ?? '';
  for (const s of CHOICE_SETTINGS) values[s.name] = settings[s.key];
  for (const r of PATIENT_ADMIN_CHOICES) if (settings.patientAdminRoles.includes(r.role)) values[r.name] = '1';
  return values;
}

export type SettingsChange = { before: Partial<TenantSettings>; after: Partial<TenantSettings> };

/**
 * Saves the chosen settings in the practice's own row (row-level security allows no other) and audits the keys
 * that changed with their old and new values. The row is locked first, so two administrators saving at once
 * each see and record the other's result. Returns null when nothing changed.
 */
export async function savePracticeSettings(tx: Sql, scope: Scope, chosen: Partial<TenantSettings>): Promise<SettingsChange | null> {
  const [row] = await tx`select settings from tenants where id = app_tenant_id() for update`;
  if (!row) throw new Error('the practice in context has no row');
  const current = parseSettings(row.settings);
  const next = settingsSchema.parse({ ...current, ...chosen });
  const keys = (Object.keys(next) as (keyof TenantSettings)[])
    .filter((key) => JSON.stringify(current[key]) !== JSON.stringify(next[key]));
  if (keys.length === 0) return null;
  const pick = (settings: TenantSettings) => Object.fromEntries(keys.map((key) => [key, settings[key]])) as Partial<TenantSettings>;
  const change = { before: pick(current), after: pick(next) };
  // Only changed keys are written: settings never chosen keep following Gatehouse's defaults.
  await tx`update tenants set settings = settings || ${tx.json(change.after as never)} where id = app_tenant_id()`;
  await recordEvent(tx, scope.origin, { action: 'settings.changed', actorAccountId: actorOf(scope).id, detail: change });
  return change;
}
