/**
 * Cron schedules evaluated in a named time zone, DST-aware, with the clock passed in.
 * node-cron parses and validates the expression (its syntax: lists, ranges, steps, names);
 * the instants are computed here, on wall-clock days of the schedule's zone, so that:
 * - a time the spring-forward gap skips runs once, shifted by the gap (02:30 → 03:30 PDT),
 * - a time the fall-back hour repeats runs once, at its first occurrence,
 * the same as Temporal's "compatible" disambiguation.
 */
import nodeCron from 'node-cron';
import { addDays, pad, zonedDate, zonedTimeToInstant } from './zone.js';

export interface CronSchedule {
  expr: string;
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

export class CronSyntaxError extends Error {}

export function parseCron(expr: string): CronSchedule {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new CronSyntaxError(`"${expr}" is not a 5-field cron expression (minute hour day-of-month month day-of-week), for example "0 4,5 * * *"`);
  }
  const v = nodeCron.validateDetailed(expr.trim());
  if (!v.valid) throw new CronSyntaxError(`"${expr}" is not a valid cron expression: ${v.errors.map((e) => e.message).join('; ')}`);
  const p = nodeCron.parse(expr.trim());
  const nums = (xs: (number | string)[]) => xs.filter((x): x is number => typeof x === 'number');
  const dom = nums(p.dayOfMonth);
  const dow = nums(p.dayOfWeek).map((d) => d % 7);
  return {
    expr,
    minutes: [...p.minute].sort((a, b) => a - b),
    hours: [...p.hour].sort((a, b) => a - b),
    daysOfMonth: new Set(dom),
    months: new Set(p.month),
    daysOfWeek: new Set(dow),
    domRestricted: fields[2] !== '*',
    dowRestricted: fields[4] !== '*',
  };
}

function dayMatches(s: CronSchedule, date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (!s.months.has(m)) return false;
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const domOk = s.daysOfMonth.has(d);
  const dowOk = s.daysOfWeek.has(dow);
  // Classic cron: when both day fields are restricted, either may match.
  if (s.domRestricted && s.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

/** The slots of one zoned calendar day, as instants, ascending, without repeats. */
export function slotsOnDay(s: CronSchedule, date: string, timeZone: string): Date[] {
  if (!dayMatches(s, date)) return [];
  const seen = new Set<number>();
  const out: Date[] = [];
  for (const h of s.hours) {
    for (const m of s.minutes) {
      const t = zonedTimeToInstant(date, `${pad(h)}:${pad(m)}:00`, timeZone);
      // A time the gap shifts onto another slot runs once.
      if (seen.has(t.getTime())) continue;
      seen.add(t.getTime());
      out.push(t);
    }
  }
  return out.sort((a, b) => a.getTime() - b.getTime());
}

/** The first slot strictly after `after`. */
export function nextSlot(s: CronSchedule, after: Date, timeZone: string): Date | undefined {
  let date = addDays(zonedDate(after, timeZone), -1);
  for (let i = 0; i < 370 * 4; i++, date = addDays(date, 1)) {
    for (const t of slotsOnDay(s, date, timeZone)) if (t.getTime() > after.getTime()) return t;
  }
  return undefined;
}

/** The latest slot at or before `at`. */
export function previousSlot(s: CronSchedule, at: Date, timeZone: string): Date | undefined {
  let date = addDays(zonedDate(at, timeZone), 1);
  for (let i = 0; i < 370 * 4; i++, date = addDays(date, -1)) {
    const slots = slotsOnDay(s, date, timeZone).reverse();
    for (const t of slots) if (t.getTime() <= at.getTime()) return t;
  }
  return undefined;
}

/** All slots in [from, to). */
export function slotsBetween(s: CronSchedule, from: Date, to: Date, timeZone: string): Date[] {
  const out: Date[] = [];
  let t = new Date(from.getTime() - 1);
  for (;;) {
    const n = nextSlot(s, t, timeZone);
    if (!n || n.getTime() >= to.getTime()) return out;
    out.push(n);
    t = n;
  }
}

/** The next n slots after `after`. */
export function nextSlots(s: CronSchedule, after: Date, timeZone: string, n: number): Date[] {
  const out: Date[] = [];
  let t = after;
  while (out.length < n) {
    const x = nextSlot(s, t, timeZone);
    if (!x) break;
    out.push(x);
    t = x;
  }
  return out;
}

/** True when the schedule fires every hour (so a DST day only shifts one run). */
export function isHourly(s: CronSchedule): boolean {
  return s.hours.length === 24;
}

/**
 * The wall-clock times of a schedule that a DST change skips or repeats in this zone
 * (for America/Los_Angeles: 02:xx in spring, 01:xx in autumn), for a warning at start.
 */
export function dstAmbiguousTimes(s: CronSchedule, timeZone: string, year: number): string[] {
  const found = new Set<string>();
  // Find the days whose length is not 24 h and check the schedule's times against them.
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
    const start = zonedTimeToInstant(d, '00:00:00', timeZone).getTime();
    const end = zonedTimeToInstant(addDays(d, 1), '00:00:00', timeZone).getTime();
    if (end - start === 86_400_000) continue;
    for (const h of s.hours) {
      for (const m of s.minutes) {
        const wall = `${pad(h)}:${pad(m)}`;
        const t = zonedTimeToInstant(d, `${wall}:00`, timeZone);
        const back = new Date(t.getTime() + 3_600_000);
        const shown = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
        // skipped: the instant does not show this wall time; repeated: an hour later shows it again
        if (shown.format(t) !== wall || shown.format(back) === wall) found.add(wall);
      }
    }
  }
  return [...found].sort();
}

/** The next `count` instants strictly after `from` at which an expression fires in `timeZone`. */
export function nextRunTimes(expr: string | CronSchedule, timeZone: string, from: Date, count: number): Date[] {
  return nextSlots(typeof expr === 'string' ? parseCron(expr) : expr, from, timeZone, count);
}
