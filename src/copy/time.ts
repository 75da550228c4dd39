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

// Intl formatters are costly to build and each is tied to one zone: kept per zone (a few hundred at most).
const clocks = new Map<string, Clock>();

export function clockFor(timeZone: string): Clock {
  const zone = isTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
  let clock = clocks.get(zone);
  if (!clock) {
    const dateTime = new Intl.DateTimeFormat('en-US', {
      month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short',
    });
    const precise = new Intl.DateTimeFormat('en-US', {
      month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZone: zone, timeZoneName: 'short',
    });
    const date = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: zone });
    const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short' });
    clock = {
      timeZone: zone, dateTime: (when) => dateTime.format(when), precise: (when) => precise.format(when),
      date: (when) => date.format(when), time: (when) => time.format(when),
    };
    clocks.set(zone, clock);
  }
  return clock;
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
