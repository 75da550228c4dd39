// Every date and time a person reads, in one place (DESIGN.md "Time"): in the practice's own time zone, in words
// such as "Nov 30, 2026, 9:13 AM EST", and dates of birth as the practice types them (MM/DD/YYYY). Pages, emails,
// text messages and the credentials sheet all format through a Clock made for the practice's zone.

/** A practice's time zone when none was chosen (and the demo practices' zone). */
export const DEFAULT_TIME_ZONE = 'America/New_York';

export type Clock = {
  /** The IANA name this clock reads time in, e.g. America/New_York. */
  timeZone: string;
  /** "Nov 30, 2026, 9:13 AM EST" */
  dateTime(when: Date): string;
  /** "Nov 30, 2026, 9:13:05 AM EST": to the second, where the order of events matters (the audit log). */
  precise(when: Date): string;
  /** "Nov 30, 2026" */
  date(when: Date): string;
  /** "9:13 AM EST" */
  time(when: Date): string;
};

// Intl formatters are costly to build and each is tied to one zone and one language: kept per pair (a few hundred
// zones at most, times the catalogs' languages).
const clocks = new Map<string, Clock>();

/**
 * A clock for the practice's zone, writing in a catalog's locale (its `locale`): "Nov 30, 2026, 9:13 AM EST" in
 * en-US, "30 nov 2026, 9:13 a.m. EST" in es-US. An unknown locale falls back to en-US.
 */
export function clockFor(timeZone: string, locale = 'en-US'): Clock {
  const zone = isTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
  const key = `${locale} ${zone}`;
  let clock = clocks.get(key);
  if (!clock) {
    const language = supportedLocale(locale);
    const dateTime = new Intl.DateTimeFormat(language, {
      month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short',
    });
    const precise = new Intl.DateTimeFormat(language, {
      month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZone: zone, timeZoneName: 'short',
    });
    const date = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', year: 'numeric', timeZone: zone });
    const time = new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short' });
    clock = {
      timeZone: zone, dateTime: (when) => dateTime.format(when), precise: (when) => precise.format(when),
      date: (when) => date.format(when), time: (when) => time.format(when),
    };
    clocks.set(key, clock);
  }
  return clock;
}

function supportedLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? 'en-US';
  } catch {
    return 'en-US'; // not a language tag at all
  }
}

/** A calendar date kept as YYYY-MM-DD (a date of birth, a day chosen in a filter) as the practice writes it: 04/12/2016. */
export function formatCalendarDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[2]}/${match[3]}/${match[1]}` : isoDate;
}

let zones: Set<string> | null = null;

/** The time zones a practice may choose: the IANA names of places (America/New_York), never UTC or Etc/…. */
export function timeZoneChoices(): string[] {
  zones ??= new Set(Intl.supportedValuesOf('timeZone').filter((zone) => zone.includes('/') && !zone.startsWith('Etc/')));
  return [...zones];
}

export function isTimeZone(value: string): boolean {
  timeZoneChoices();
  return zones!.has(value);
}
