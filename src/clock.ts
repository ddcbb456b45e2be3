import { UsageError } from './errors.js';

/**
 * An ISO 8601 instant with its date, time and offset, and a real calendar date; else
 * undefined. Date.parse took "1" (the year 2001), "2026-02-30" (March 2nd) and a time with
 * no offset (read in the machine's zone), so a rehearsal ran and recorded runs at a time
 * nobody meant (found by a break-it pass).
 */
export function isoInstant(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return undefined;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? undefined : t;
}

/** The clock is passed in, never read ad hoc, so that tests can pin it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * The clock the CLI uses. `LIZZY_SYNC_NOW` (an ISO 8601 instant) pins it; it exists for
 * tests and rehearsals ("what would the 04:00 run on a Saturday do?").
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const pinned = env.LIZZY_SYNC_NOW;
  if (!pinned) return systemClock;
  const t = isoInstant(pinned);
  if (t === undefined) throw new UsageError(`LIZZY_SYNC_NOW is not an ISO 8601 instant: ${pinned}`, { hint: 'For example 2026-12-03T12:00:00Z, or unset it to use the real clock.' });
  const offset = t - Date.now();
  // A pinned clock still moves, so durations and timeouts behave.
  return () => new Date(Date.now() + offset);
}

/**
 * How far ahead of this clock a recorded run may start and still count as "now". Machines
 * sharing a PostgreSQL database never agree to the millisecond, and a run another machine
 * just started can read a few seconds ahead of ours: without a margin, status called it a
 * run "in the future" and the schedule gate ran a pull that had already succeeded.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;
