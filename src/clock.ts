import { UsageError } from './errors.js';

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
  const t = Date.parse(pinned);
  if (Number.isNaN(t)) throw new UsageError(`LIZZY_SYNC_NOW is not an ISO 8601 instant: ${pinned}`, { hint: 'For example 2026-12-03T12:00:00Z, or unset it to use the real clock.' });
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
