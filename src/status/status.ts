/**
 * `lizzy-sync status`: "is it working?" as a pure function of what the store says and the
 * instant passed in. Healthy unless
 * - the last successful inventory pull is older than 26 hours (not counting the disabled days
 *   in between, so a dealer with weekends off is not alarmed every Sunday), or there is none;
 * - the last successful order push is older than 2 hours, or there is none;
 * - any order needs attention.
 */
import type { Weekday } from '../schedule/zone.js';
import { addDays, formatInZone, zonedDate, zonedWeekday } from '../schedule/zone.js';
import { CronSyntaxError as UnsupportedCron, nextRunTimes } from '../schedule/cron.js';
import type { Job, LockInfo, RunRecord } from '../store/types.js';

export const INVENTORY_MAX_AGE_MS = 26 * 3_600_000;
export const ORDERS_MAX_AGE_MS = 2 * 3_600_000;
/** How many upcoming runs to list per job. */
export const NEXT_RUNS = 3;

export interface JobFacts {
  lastRun: RunRecord | null;
  /** The last run that finished its work (success or needs_attention). */
  lastSuccess: RunRecord | null;
  lock: LockInfo | null;
  /** The latest run when it is recorded after `now` (set aside: lastRun and lastSuccess are the latest up to now). */
  futureRun?: RunRecord | null;
  /** The latest failed or interrupted run up to now. */
  lastFailure?: RunRecord | null;
  /** Whether the lock holder's process is alive, when it is on this machine (undefined: another machine). */
  holderAlive?: boolean;
}

export interface OrderFacts {
  /** Pending orders the next push sends (in the window, or already tried). */
  pending: number;
  /** Orders left "sending" by a run whose outcome is unknown (reconciled by the next push). */
  sending: number;
  /** Unsent orders that reached orders.maxAttempts. */
  needsAttention: number;
  /** A few of them, for the message. */
  needsAttentionOrders: string[];
  /** Pending, never picked up, placed before the lookback window: never sent without --since. */
  expired: number;
  lookbackDays: number;
}

export interface StatusInput {
  now: Date;
  /** schedule.timezone */
  timeZone: string;
  /** The machine's zone, for the second rendering of the next runs. */
  localTimeZone: string;
  schedule: { inventory: string; orders: string };
  disabledDays: Weekday[];
  inventory: JobFacts;
  orders: JobFacts;
  /** Undefined when the store cannot tell (no order data). */
  orderFacts?: OrderFacts;
  /** A lock without a heartbeat for this long is stale (taken over by the next run). */
  lockStaleMs: number;
}

export interface RunView {
  id: number;
  status: RunRecord['status'];
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** How long ago it started, at `now`. */
  ageMs: number;
  counts: Record<string, unknown>;
  reportPath: string | null;
  error: string | null;
}

export interface NextRun {
  at: string;
  /** In schedule.timezone (Pacific by default). */
  zoned: string;
  local: string;
}

export interface JobStatus {
  job: Job;
  healthy: boolean;
  problems: string[];
  /** Not unhealthy by the age rules, but worth reading: a run that failed since the last success. */
  warnings: string[];
  lastRun: RunView | null;
  lastSuccess: RunView | null;
  lock: (LockInfo & { stale: boolean }) | null;
  /** The last run is recorded as running but no live process holds the lock: it crashed or was killed. */
  lastRunInterrupted: boolean;
  schedule: string;
  nextRuns: NextRun[];
  /** Why the next runs could not be computed (an unsupported cron expression). */
  scheduleError?: string;
  /** A run recorded in the future, not counted (the clock was ahead when it was recorded). */
  futureRun: RunView | null;
}

export interface StatusReport {
  healthy: boolean;
  warnings: string[];
  now: string;
  nowZoned: string;
  timeZone: string;
  localTimeZone: string;
  problems: string[];
  inventory: JobStatus & { maxAgeHours: number; allowedAgeHours: number };
  orders: JobStatus & { maxAgeHours: number; orders: OrderFacts | null };
}

function view(r: RunRecord | null, now: Date): RunView | null {
  if (!r) return null;
  const start = Date.parse(r.startedAt);
  return {
    id: r.id,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.finishedAt ? Date.parse(r.finishedAt) - start : null,
    ageMs: now.getTime() - start,
    counts: r.counts,
    reportPath: r.reportPath,
    error: r.error,
  };
}

/** The success's age is measured from when it finished (a long run is not counted against it). */
function successAgeMs(r: RunRecord, now: Date): number {
  return now.getTime() - Date.parse(r.finishedAt ?? r.startedAt);
}

/**
 * The inventory allowance: 26 hours plus a day for every disabled weekday between the last
 * success's date and today (dates in the schedule's zone).
 */
export function inventoryAllowanceMs(lastSuccessAt: Date, now: Date, timeZone: string, disabledDays: readonly Weekday[]): number {
  if (disabledDays.length === 0) return INVENTORY_MAX_AGE_MS;
  let extra = 0;
  const today = zonedDate(now, timeZone);
  let d = addDays(zonedDate(lastSuccessAt, timeZone), 1);
  for (let i = 0; d <= today && i < 400; i++, d = addDays(d, 1)) {
    // noon avoids any DST edge when asking a date's weekday
    const weekday = zonedWeekday(new Date(`${d}T12:00:00Z`), 'UTC');
    if (disabledDays.includes(weekday)) extra++;
  }
  return INVENTORY_MAX_AGE_MS + extra * 86_400_000;
}

export function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h < 10 ? `${Math.round(h * 10) / 10} h` : `${Math.round(h)} h`;
}

function nextRuns(expr: string, input: StatusInput, skipDisabled: boolean): { runs: NextRun[]; error?: string } {
  try {
    const candidates = nextRunTimes(expr, input.timeZone, input.now, skipDisabled && input.disabledDays.length > 0 ? 60 : NEXT_RUNS);
    const runs = candidates
      .filter((t) => !skipDisabled || !input.disabledDays.includes(zonedWeekday(t, input.timeZone)))
      .slice(0, NEXT_RUNS)
      .map((t) => ({ at: t.toISOString(), zoned: formatInZone(t, input.timeZone), local: formatInZone(t, input.localTimeZone) }));
    return { runs };
  } catch (err) {
    if (err instanceof UnsupportedCron) return { runs: [], error: err.message };
    throw err;
  }
}

function lockView(lock: LockInfo | null, input: StatusInput) {
  if (!lock) return null;
  return { ...lock, stale: input.now.getTime() - Date.parse(lock.heartbeatAt) >= input.lockStaleMs };
}

function interrupted(j: JobFacts, input: StatusInput): boolean {
  if (j.lastRun?.status !== 'running') return false;
  const lock = lockView(j.lock, input);
  // A holder on this machine whose process is gone died with the run (found by a break-it
  // pass: a killed pull showed "running" and a live-looking lock, and status said healthy).
  return !lock || lock.stale || j.holderAlive === false;
}

/** Assess the health of both jobs. */
export function assessStatus(input: StatusInput): StatusReport {
  const { now } = input;

  // Inventory.
  const inv: string[] = [];
  const invSuccess = input.inventory.lastSuccess;
  let allowed = INVENTORY_MAX_AGE_MS;
  if (!invSuccess) {
    inv.push('no inventory pull has finished successfully yet (run: lizzy-sync inventory pull)');
  } else {
    const age = successAgeMs(invSuccess, now);
    allowed = inventoryAllowanceMs(new Date(invSuccess.finishedAt ?? invSuccess.startedAt), now, input.timeZone, input.disabledDays);
    if (age > allowed) {
      const extra = allowed > INVENTORY_MAX_AGE_MS ? ` (26 h plus ${hours(allowed - INVENTORY_MAX_AGE_MS)} of disabled days)` : '';
      inv.push(`the last successful inventory pull finished ${hours(age)} ago, more than ${hours(allowed)}${extra}`);
    }
  }
  const invNext = nextRuns(input.schedule.inventory, input, true);

  // Orders.
  const ord: string[] = [];
  const ordSuccess = input.orders.lastSuccess;
  if (!ordSuccess) {
    ord.push('no order push has finished successfully yet (run: lizzy-sync orders push)');
  } else {
    const age = successAgeMs(ordSuccess, now);
    if (age > ORDERS_MAX_AGE_MS) ord.push(`the last successful order push finished ${hours(age)} ago, more than 2 h`);
  }
  const facts = input.orderFacts ?? null;
  if (facts && facts.needsAttention > 0) {
    const some = facts.needsAttentionOrders.slice(0, 5).join(', ');
    ord.push(`${facts.needsAttention} order${facts.needsAttention === 1 ? '' : 's'} need${facts.needsAttention === 1 ? 's' : ''} attention (${some}${facts.needsAttention > 5 ? ', ...' : ''}): see lizzy-sync orders push's report`);
  }
  const ordNext = nextRuns(input.schedule.orders, input, false);

  const inventory = {
    job: 'inventory' as const,
    healthy: inv.length === 0,
    problems: inv,
    warnings: [] as string[],
    lastRun: view(input.inventory.lastRun, now),
    lastSuccess: view(invSuccess, now),
    lock: lockView(input.inventory.lock, input),
    lastRunInterrupted: interrupted(input.inventory, input),
    futureRun: view(input.inventory.futureRun ?? null, now),
    schedule: input.schedule.inventory,
    nextRuns: invNext.runs,
    ...(invNext.error ? { scheduleError: invNext.error } : {}),
    maxAgeHours: INVENTORY_MAX_AGE_MS / 3_600_000,
    allowedAgeHours: allowed / 3_600_000,
  };
  const orders = {
    job: 'orders' as const,
    healthy: ord.length === 0,
    problems: ord,
    warnings: [] as string[],
    lastRun: view(input.orders.lastRun, now),
    lastSuccess: view(ordSuccess, now),
    lock: lockView(input.orders.lock, input),
    lastRunInterrupted: interrupted(input.orders, input),
    futureRun: view(input.orders.futureRun ?? null, now),
    schedule: input.schedule.orders,
    nextRuns: ordNext.runs,
    ...(ordNext.error ? { scheduleError: ordNext.error } : {}),
    maxAgeHours: ORDERS_MAX_AGE_MS / 3_600_000,
    orders: facts,
  };
  const problems = [...inv, ...ord];
  // Health follows the documented age rules, but a run that failed since the last success is
  // said on the first line: "healthy" alone, right after a rejected key, read as all well
  // (found by a new-user walkthrough).
  // Any failed or interrupted run since the last success, not only the very last run: a
  // skipped run after a failure hid it (found by a break-it pass).
  const failedSince = (j: JobFacts, label: string): string[] => {
    const out: string[] = [];
    const fail = j.lastFailure ?? (j.lastRun?.status === 'failed' ? j.lastRun : null);
    const after = (r: RunRecord) => !j.lastSuccess || Date.parse(r.startedAt) > Date.parse(j.lastSuccess.startedAt);
    if (fail && after(fail)) {
      out.push(`the ${label} of ${formatInZone(new Date(fail.startedAt), input.timeZone)}, after the last success, ${fail.status === 'interrupted' ? 'was interrupted' : 'failed'}${fail.error ? `: ${fail.error}` : ''}`);
    }
    if (interrupted(j, input)) out.push(`the ${label} started ${formatInZone(new Date(j.lastRun!.startedAt), input.timeZone)} did not finish (its process is gone)`);
    return out;
  };
  inventory.warnings = inv.length ? [] : failedSince(input.inventory, 'inventory pull');
  orders.warnings = ord.length ? [] : failedSince(input.orders, 'order push');
  return {
    healthy: problems.length === 0,
    warnings: [...inventory.warnings, ...orders.warnings],
    now: now.toISOString(),
    nowZoned: formatInZone(now, input.timeZone),
    timeZone: input.timeZone,
    localTimeZone: input.localTimeZone,
    problems,
    inventory,
    orders,
  };
}
