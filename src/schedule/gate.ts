/**
 * When is a job due? Pure functions of (config, now, last runs), shared by the daemon and
 * by `--scheduled` runs from cron or the Windows Task Scheduler.
 */
import type { Config } from '../config/schema.js';
import { CLOCK_SKEW_MS } from '../clock.js';
import { ConfigError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Job, RunRecord } from '../store/types.js';
import { CronSyntaxError, nextSlot, parseCron, previousSlot, slotsOnDay, type CronSchedule } from './cron.js';
import { formatInZone, zonedDate, zonedWeekday } from './zone.js';

/**
 * The runs every decision reads (the schedule gate, the daemon's catch-up, the wipe guards,
 * status): the latest that started by now, allowing CLOCK_SKEW_MS. A run recorded further
 * in the future (a clock that was ahead) proves nothing about today; taken as the last
 * success, it hid the real one of this morning, so the 05:00 slot and every daemon start
 * ran the pull again (found by a break-it pass).
 */
export function runsUpTo(now: Date): string {
  return new Date(now.getTime() + CLOCK_SKEW_MS).toISOString();
}

export function lastFinishedRun(store: Pick<Store, 'lastRun'>, job: Job, now: Date): Promise<RunRecord | null> {
  return store.lastRun(job, { status: ['success', 'needs_attention'], notAfter: runsUpTo(now) });
}

export function lastAnyRun(store: Pick<Store, 'lastRun'>, job: Job, now: Date): Promise<RunRecord | null> {
  return store.lastRun(job, { notAfter: runsUpTo(now) });
}

/** A slot counts as "now" for this long after it (an hourly crontab entry may start late). */
export const SLOT_TOLERANCE_MS = 60 * 60_000;

export function scheduleFor(config: Config, job: Job): CronSchedule {
  const expr = job === 'inventory' ? config.schedule.inventory : config.schedule.orders;
  try {
    return parseCron(expr);
  } catch (err) {
    if (err instanceof CronSyntaxError) throw new ConfigError(`schedule.${job}: ${err.message}`, { hint: `In ${config.file}.` });
    throw err;
  }
}

/** The first inventory slot of the zoned day that `now` is in (undefined if the day has none). */
export function firstSlotOfDay(config: Config, job: Job, now: Date): Date | undefined {
  return slotsOnDay(scheduleFor(config, job), zonedDate(now, config.schedule.timezone), config.schedule.timezone)[0];
}

export interface Gate {
  due: boolean;
  /** Why not, or which slot. */
  reason: string;
  slot?: Date;
  next?: Date;
}

/**
 * Is the job due at `now`? Inventory: inside a slot's hour, not a disabled day, and no
 * successful pull yet since the day's first slot (so the later slots are retries and the
 * pull runs once a day). Orders: inside a slot's hour.
 */
export function gate(config: Config, job: Job, now: Date, lastSuccess: RunRecord | null): Gate {
  const tz = config.schedule.timezone;
  const s = scheduleFor(config, job);
  const next = nextRun(config, job, now, lastSuccess);
  const nextText = next ? `; next run ${formatInZone(next, tz)}` : '';
  const slot = previousSlot(s, now, tz);
  if (!slot || now.getTime() - slot.getTime() >= SLOT_TOLERANCE_MS) {
    return { due: false, reason: `not scheduled now (${job} schedule "${s.expr}" in ${tz})${nextText}`, next };
  }
  if (job === 'inventory') {
    const day = zonedWeekday(now, tz);
    if (config.inventory.disabledDays.includes(day)) {
      return { due: false, reason: `${day} is a disabled day (inventory.disabledDays, ${tz})${nextText}`, slot, next };
    }
    const first = firstSlotOfDay(config, job, now);
    if (first && ranBetween(lastSuccess, first, now)) {
      return { due: false, reason: `the inventory pull already succeeded today (${formatInZone(new Date(lastSuccess!.startedAt), tz)})${nextText}`, slot, next };
    }
  }
  return { due: true, reason: `slot ${formatInZone(slot, tz)}`, slot, next };
}

/**
 * Did this run start between `from` and `now`? A run recorded after `now` (the clock was
 * set back, or a run was recorded by a machine whose clock was ahead) proves nothing about
 * today: without this, one bad clock stopped every scheduled pull until that date. A run a
 * few seconds ahead (another machine's clock, CLOCK_SKEW_MS at most) did run now.
 */
export function ranBetween(run: RunRecord | null, from: Date, now: Date): boolean {
  if (!run) return false;
  const t = Date.parse(run.startedAt);
  return t >= from.getTime() && t <= now.getTime() + CLOCK_SKEW_MS;
}

/**
 * Did the daemon miss a slot while it was not running (or the machine slept)? Inventory:
 * today's first slot has passed, today is enabled, and no pull succeeded since it. Orders:
 * no order push started in the past hour.
 */
export function missed(config: Config, job: Job, now: Date, lastRun: RunRecord | null, lastSuccess: RunRecord | null): string | undefined {
  const tz = config.schedule.timezone;
  if (job === 'inventory') {
    const first = firstSlotOfDay(config, job, now);
    if (!first || first.getTime() > now.getTime()) return undefined;
    if (config.inventory.disabledDays.includes(zonedWeekday(now, tz))) return undefined;
    if (ranBetween(lastSuccess, first, now)) return undefined;
    return `no successful inventory pull since today's first slot (${formatInZone(first, tz)})`;
  }
  if (ranBetween(lastRun, new Date(now.getTime() - 60 * 60_000 + 1), now)) return undefined;
  return lastRun ? `no order push since ${formatInZone(new Date(lastRun.startedAt), tz)}` : 'no order push has run yet';
}

/**
 * The next slot at which the job will really run: for inventory, not on a disabled day, and
 * not a later slot of a day whose pull already succeeded.
 */
export function nextRun(config: Config, job: Job, now: Date, lastSuccess: RunRecord | null): Date | undefined {
  const tz = config.schedule.timezone;
  const s = scheduleFor(config, job);
  let t = now;
  for (let i = 0; i < 2000; i++) {
    const n = nextSlot(s, t, tz);
    if (!n) return undefined;
    t = n;
    if (job !== 'inventory') return n;
    if (config.inventory.disabledDays.includes(zonedWeekday(n, tz))) continue;
    const first = firstSlotOfDay(config, job, n);
    if (first && ranBetween(lastSuccess, first, now)) continue;
    return n;
  }
  return undefined;
}
