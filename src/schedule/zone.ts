/**
 * Calendar arithmetic in a named time zone (America/Los_Angeles by default), from an
 * instant passed in. Pure: no clock is read here.
 */

export const PACIFIC = 'America/Los_Angeles';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'long',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(instant: Date, timeZone: string = PACIFIC): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday!.toLowerCase() as Weekday,
  };
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function zonedDate(instant: Date, timeZone: string = PACIFIC): string {
  const p = zonedParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** A calendar date moved by whole days (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const t = new Date(0);
  t.setUTCFullYear(y!, m! - 1, d! + days);
  return `${String(t.getUTCFullYear()).padStart(4, '0')}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** The weekday of an instant in a zone. */
export function zonedWeekday(instant: Date, timeZone: string = PACIFIC): Weekday {
  return zonedParts(instant, timeZone).weekday;
}

/** Offset of the zone from UTC at an instant, in minutes (Pacific: -480 or -420). */
export function zoneOffsetMinutes(instant: Date, timeZone: string = PACIFIC): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant at which the wall-clock time `date` + `hh:mm:ss` happens in a zone. For a time
 * that DST skips, the instant after the gap; for one it repeats, the first of the two.
 */
export function zonedTimeToInstant(date: string, time: string, timeZone: string = PACIFIC): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s ?? 0);
  // Try the offsets in force a day either side; pick the earliest that shows this wall time.
  const candidates = new Set([
    zoneOffsetMinutes(new Date(wall - 86_400_000), timeZone),
    zoneOffsetMinutes(new Date(wall + 86_400_000), timeZone),
  ]);
  const hits: number[] = [];
  for (const off of candidates) {
    const t = wall - off * 60_000;
    const p = zonedParts(new Date(t), timeZone);
    if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === wall) hits.push(t);
  }
  if (hits.length > 0) return new Date(Math.min(...hits));
  // In the spring-forward gap: the wall time does not exist; use the larger offset's reading.
  const off = Math.min(...candidates);
  return new Date(wall - off * 60_000);
}

export function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "2026-12-03 04:00 PST" style rendering of an instant in a zone. */
export function formatInZone(instant: Date, timeZone: string = PACIFIC, opts: { seconds?: boolean } = {}): string {
  const p = zonedParts(instant, timeZone);
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
      .formatToParts(instant)
      .find((x) => x.type === 'timeZoneName')?.value ?? timeZone;
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}${opts.seconds ? `:${pad(p.second)}` : ''} ${name}`;
}

/** A recorded ISO instant in a zone, to the second, with the UTC instant for logs; as it is when unreadable. */
export function formatRecorded(iso: string, timeZone: string = PACIFIC): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${formatInZone(t, timeZone, { seconds: true })} (${iso})`;
}

/** The machine's own zone (TZ), for showing times in local time too. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
