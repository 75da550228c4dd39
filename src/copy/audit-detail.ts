import { ROLE_LABELS, SETTING_LABELS, actionLabel } from './practice.ts';
import { formatCalendarDate, type Clock } from './time.ts';

// The detail of an audit event as an administrator reads it (P6): sentences, not the keys it is stored with.
// "Practice portal. 2 failed attempts in a row." rather than "portal: practice · failures: 2".

type Detail = Record<string, unknown>;

const FIELD_NAMES: Record<string, string> = {
  first_name: 'first name', last_name: 'last name', primary_provider: 'primary provider', username: 'username',
  cell_phone: 'cell phone', home_phone: 'home phone', role: 'role', email: 'email',
};
const VIA: Record<string, string> = {
  'forgot-password': 'Asked for from the sign-in page.', administrator: 'Sent by an administrator.',
  'patient-administration': 'Sent from Patient Administration.', reset: 'Through a password reset link.',
  invitation: 'Through an invitation link.',
};
const METHODS: Record<string, string> = {
  totp: 'With a code from an authenticator app.', recovery_code: 'With a recovery code.', sms: 'With a code sent by text message.',
  remembered_device: 'No code asked: a browser saved for two-factor sign-in.',
};
const FILTER_NAMES: Record<string, string> = { person: 'person', action: 'action', from: 'from', to: 'to' };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const roleName = (role: unknown) => ROLE_LABELS[role as keyof typeof ROLE_LABELS] ?? String(role);
const isRecord = (value: unknown): value is Detail => typeof value === 'object' && value !== null && !Array.isArray(value);
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** One sentence per recorded fact, in the order they were recorded; what is not known reads as "name: value". */
export function describeDetail(action: string, detail: Detail, clock: Clock): string {
  const parts: string[] = [];
  const moment = (value: unknown) => {
    const when = typeof value === 'string' ? new Date(value) : null;
    return when && !Number.isNaN(when.getTime()) ? clock.dateTime(when) : String(value);
  };
  for (const [key, raw] of Object.entries(detail)) {
    switch (key) {
      // Shown with their partner (attempt, from, previous, before), or not at all (internal ids, the typed name).
      case 'identifier': case 'contactId': case 'patientId': break;
      case 'accountNumber': parts.push(`Patient account ${value(raw)}.`); break;
      case 'attemptsLeft': if (detail.attempt === undefined) parts.push(`${raw} left.`); break;
      case 'to': if (detail.from === undefined) parts.push(`To ${value(raw)}.`); break;
      case 'current': if (detail.previous === undefined) parts.push(`Now ${value(raw)}.`); break;
      case 'after': if (!isRecord(detail.before)) parts.push(`after: ${value(raw)}`); break;
      case 'before':
        if (isRecord(raw) && isRecord(detail.after)) {
          // A change recorded as before/after (settings.changed): one "name: old → new" per key.
          for (const name of Object.keys(detail.after)) parts.push(settingChange(name, raw[name], detail.after[name]));
        } else {
          parts.push(`before: ${value(raw)}`);
        }
        break;
      case 'from': case 'previous': parts.push(`From ${value(raw)} to ${value(detail[key === 'from' ? 'to' : 'current'])}.`); break;
      case 'attempt':
        parts.push(detail.attemptsLeft === undefined ? `Attempt ${raw}.` : `Attempt ${raw}, ${detail.attemptsLeft} left.`);
        break;
      case 'portal': parts.push(raw === 'patient' ? 'Patient portal.' : raw === 'practice' ? 'Practice portal.' : `Portal: ${value(raw)}.`); break;
      case 'via': parts.push(VIA[String(raw)] ?? `Via ${value(raw)}.`); break;
      case 'hours': parts.push(`The link is valid for ${plural(Number(raw), 'hour', 'hours')}.`); break;
      case 'days': parts.push(`Remembered for ${plural(Number(raw), 'day', 'days')}.`); break;
      case 'minutes': parts.push(`Locked for ${plural(Number(raw), 'minute', 'minutes')}.`); break;
      case 'failures':
        parts.push(action === 'security_question.answer_failed'
          ? `Wrong answer number ${raw}.`
          : `${plural(Number(raw), 'failed attempt', 'failed attempts')} in a row.`);
        break;
      case 'failedSignIns': parts.push(`After ${plural(Number(raw), 'failed sign-in', 'failed sign-ins')}.`); break;
      case 'status': parts.push(`The account is ${value(raw)}.`); break;
      case 'why': parts.push(sentence(capitalise(String(raw)))); break;
      case 'twoFactor': case 'method': parts.push(METHODS[String(raw)] ?? `Method: ${value(raw)}.`); break;
      case 'throttled': if (raw) parts.push('Refused: too many attempts for now.'); break;
      case 'left': parts.push(`${plural(Number(raw), 'unused recovery code', 'unused recovery codes')} left.`); break;
      case 'provider': parts.push(`Through ${value(raw)}.`); break;
      case 'error': parts.push(`Error: ${sentence(String(raw))}`); break;
      case 'during': parts.push(`During a ${value(raw)}.`); break;
      case 'generated': parts.push(raw ? 'A password Gatehouse generated.' : 'A password typed by staff.'); break;
      case 'notified': parts.push(raw ? 'A notice was emailed.' : 'No notice was emailed.'); break;
      case 'expiresAt': parts.push(`Valid until ${moment(raw)}.`); break;
      case 'temporaryUntil': parts.push(`The temporary password works until ${moment(raw)}.`); break;
      case 'sessionsEnded':
        parts.push(Number(raw) === 0 ? 'No device was signed in.' : `${plural(Number(raw), 'signed-in device was', 'signed-in devices were')} signed out.`);
        break;
      case 'signedOutOthers': parts.push(raw ? 'Other devices were signed out.' : 'Other devices stayed signed in.'); break;
      case 'familyContactUpdated': parts.push(raw ? 'The Family Contact email was changed too.' : 'The Family Contact email was left as it was.'); break;
      case 'fields': {
        const fields = Array.isArray(raw) ? raw.map((f) => FIELD_NAMES[String(f)] ?? String(f).replace(/_/g, ' ')) : [];
        if (fields.length) parts.push(`Changed: ${fields.join(', ')}.`);
        else if (!isRecord(detail.role)) parts.push('Nothing was changed.');
        break;
      }
      case 'role':
        parts.push(isRecord(raw) ? `Role changed from ${roleName(raw.from)} to ${roleName(raw.to)}.` : `Role: ${roleName(raw)}.`);
        break;
      case 'filters': parts.push(describeFilters(raw)); break;
      case 'slug': parts.push(`Address /${value(raw)}.`); break;
      case 'name': parts.push(`Named “${value(raw)}”.`); break;
      case 'administrator': parts.push(`First administrator: ${value(raw)}.`); break;
      default: parts.push(`${key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}: ${value(raw)}`);
    }
  }
  return parts.join(' ');
}

function settingChange(key: string, before: unknown, after: unknown): string {
  const name = SETTING_LABELS[key as keyof typeof SETTING_LABELS] ?? key;
  const show = key === 'patientAdminRoles' ? (v: unknown) => listOf(v, roleName) : value;
  return `${name}: ${show(before)} → ${show(after)}.`;
}

function describeFilters(raw: unknown): string {
  if (!isRecord(raw) || Object.keys(raw).length === 0) return 'Every event, no filters.';
  const parts = Object.entries(raw).map(([key, v]) => {
    const name = FILTER_NAMES[key] ?? key;
    if (key === 'action') return `${name} “${actionLabel(String(v))}”`;
    if (key === 'from' || key === 'to') return `${name} ${formatCalendarDate(String(v))}`;
    return `${name} “${value(v)}”`;
  });
  return `Filtered by ${parts.join(', ')}.`;
}

function listOf(raw: unknown, name: (v: unknown) => string): string {
  return Array.isArray(raw) ? (raw.length ? raw.map(name).join(', ') : 'none') : value(raw);
}

function value(raw: unknown): string {
  if (Array.isArray(raw)) return raw.length ? raw.map(value).join(', ') : 'none';
  if (typeof raw === 'boolean') return raw ? 'yes' : 'no';
  if (raw === null || raw === undefined) return '—';
  return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
