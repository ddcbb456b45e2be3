/**
 * The daemon: runs each dealership's jobs at their schedule's slots (DST-aware, in the
 * schedule's zone), catches up missed slots once, never overlaps a job with itself, and
 * stops gracefully. Clock, sleep and the job runner are parameters, so a test can drive a
 * simulated week in milliseconds.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Store } from '../store/store.js';
import type { Job } from '../store/types.js';
import { dstAmbiguousTimes, isHourly, nextSlot, slotsBetween } from './cron.js';
import type { EventLog } from './events.js';
import { firstSlotOfDay, lastAnyRun, lastFinishedRun, missed, nextRun, ranBetween, scheduleFor, SLOT_TOLERANCE_MS } from './gate.js';
import { formatInZone, zonedWeekday } from './zone.js';

export interface Tenant {
  /** A short name for logs (the config file's name). */
  name: string;
  config: Config;
  store: Store;
}

export interface RunOutcome {
  /** stopped: the daemon's own shutdown ended the run early (nothing half-done; not a failure). */
  status: 'success' | 'needs_attention' | 'skipped' | 'failed' | 'locked' | 'stopped';
  message: string;
  /** The error class that ended a failed run (RunTimeout: its deadline or a shutdown stopped it). */
  errorName?: string;
  summary?: unknown;
}

export interface RunContext {
  runId: string;
  reason: string;
  /** The run's deadline (runTimeoutMinutes). */
  deadline: AbortSignal;
  /** Set on SIGINT/SIGTERM: finish the current transaction or batch, start nothing new. */
  stop: AbortSignal;
}

export type JobRunner = (tenant: Tenant, job: Job, ctx: RunContext) => Promise<RunOutcome>;

export interface DaemonDeps {
  clock: Clock;
  /** Wait ms, or less when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  run: JobRunner;
  log: EventLog;
  notify?: (tenant: Tenant, job: Job, outcome: RunOutcome, runId: string) => Promise<void>;
  /** Longest single sleep: bounds how late a slot is noticed after the machine wakes. */
  maxSleepMs?: number;
  /** Makes a deadline signal; tests pass one that follows their clock. */
  deadline?: (ms: number) => AbortSignal;
}

export const JOBS: Job[] = ['inventory', 'orders'];

export class Daemon {
  private readonly stopper = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly running = new Set<string>();

  constructor(
    private readonly tenants: Tenant[],
    private readonly deps: DaemonDeps,
  ) {}

  get stopSignal(): AbortSignal {
    return this.stopper.signal;
  }

  /** Start every tenant's job loops; resolves once they are scheduled. */
  start(): void {
    for (const t of this.tenants) {
      for (const job of JOBS) {
        const s = scheduleFor(t.config, job);
        const tz = t.config.schedule.timezone;
        const year = Number(formatInZone(this.deps.clock(), tz).slice(0, 4));
        const odd = isHourly(s) ? [] : dstAmbiguousTimes(s, tz, year);
        if (odd.length > 0) {
          this.deps.log.event(
            'warn',
            'schedule.dst',
            `schedule.${job} "${s.expr}" has times (${odd.join(', ')}) that a daylight-saving change in ${tz} skips or repeats: a skipped time runs once, shifted by the gap; a repeated time runs once, at its first occurrence`,
            { dealer: t.name, job },
          );
        }
        this.loops.push(this.loop(t, job));
      }
    }
    this.deps.log.event('info', 'daemon.start', `daemon started for ${this.tenants.map((t) => `${t.name} (${t.config.file})`).join(', ')}`, { pid: process.pid });
  }

  /** Stop new work, let current runs finish, resolve when every loop has ended. */
  async stop(): Promise<void> {
    if (!this.stopper.signal.aborted) {
      this.deps.log.event('info', 'daemon.stopping', this.running.size ? `stopping: waiting for ${[...this.running].join(', ')} to finish` : 'stopping');
      this.stopper.abort();
    }
    await Promise.all(this.loops);
    this.deps.log.event('info', 'daemon.stopped', 'daemon stopped');
  }

  /** Resolves when every loop has ended (after stop()). */
  done(): Promise<void> {
    return Promise.all(this.loops).then(() => undefined);
  }

  private async loop(t: Tenant, job: Job): Promise<void> {
    const { clock, log } = this.deps;
    const tz = t.config.schedule.timezone;
    const s = scheduleFor(t.config, job);
    const maxSleep = this.deps.maxSleepMs ?? 60_000;
    const stop = this.stopper.signal;

    try {
      // Catch up a slot missed while the daemon was not running.
      const at = clock();
      const why = missed(t.config, job, at, await lastAnyRun(t.store, job, at), await lastFinishedRun(t.store, job, at));
      if (why && !stop.aborted) await this.runOnce(t, job, `catch-up: ${why}`);

      let next = nextSlot(s, clock(), tz);
      const now = clock();
      const runsAt = nextRun(t.config, job, now, await lastFinishedRun(t.store, job, now));
      log.event('info', 'schedule.next', `${job}: next run ${runsAt ? formatInZone(runsAt, tz) : 'none'} (schedule "${s.expr}" in ${tz})`, { dealer: t.name, job });
      while (!stop.aborted && next) {
        const now = clock();
        if (now.getTime() < next.getTime()) {
          await this.deps.sleep(Math.min(next.getTime() - now.getTime(), maxSleep), stop);
          continue;
        }
        const late = now.getTime() - next.getTime();
        const slot = next;
        const reason = late > 2 * maxSleep ? `catch-up: woke ${Math.round(late / 60_000)} min after the ${formatInZone(slot, tz)} slot` : `slot ${formatInZone(slot, tz)}`;
        const skip = await this.skipReason(t, job, now, late);
        if (skip) log.event('info', 'run.skip', `${job}: ${skip}`, { dealer: t.name, job });
        else await this.runOnce(t, job, reason);
        const after = clock();
        const passed = slotsBetween(s, new Date(slot.getTime() + 1), new Date(after.getTime() + 1), tz);
        if (passed.length > 0 && !stop.aborted) {
          log.event('warn', 'run.skip', `${job}: skipped ${passed.length} slot(s) (${passed.map((p) => formatInZone(p, tz)).join(', ')}) because the previous run was still running`, {
            dealer: t.name,
            job,
          });
        }
        next = nextSlot(s, after, tz);
      }
    } catch (err) {
      log.event('error', 'daemon.error', `${job} loop stopped by an error: ${(err as Error).message}`, { dealer: t.name, job });
    }
  }

  private async skipReason(t: Tenant, job: Job, now: Date, late: number): Promise<string | undefined> {
    if (job !== 'inventory') return undefined;
    const tz = t.config.schedule.timezone;
    const day = zonedWeekday(now, tz);
    if (t.config.inventory.disabledDays.includes(day)) return `${day} is a disabled day`;
    const first = firstSlotOfDay(t.config, job, now);
    const ok = await lastFinishedRun(t.store, job, now);
    if (first && ok && ranBetween(ok, first, now)) return `already succeeded today (${formatInZone(new Date(ok.startedAt), tz)})`;
    if (late > SLOT_TOLERANCE_MS && !first) return 'missed slot belongs to another day';
    return undefined;
  }

  private async runOnce(t: Tenant, job: Job, reason: string): Promise<void> {
    const key = `${t.name}/${job}`;
    const { log } = this.deps;
    if (this.running.has(key)) {
      log.event('info', 'run.skip', `${job}: still running, tick skipped`, { dealer: t.name, job });
      return;
    }
    this.running.add(key);
    const runId = randomBytes(4).toString('hex');
    const fields = { dealer: t.name, job, runId };
    log.event('info', 'run.start', `${job} run started (${reason})`, fields);
    const started = this.deps.clock().getTime();
    const deadline = (this.deps.deadline ?? ((ms: number) => AbortSignal.timeout(ms)))(t.config.runTimeoutMinutes * 60_000);
    let outcome: RunOutcome;
    try {
      outcome = await this.deps.run(t, job, { runId, reason, deadline, stop: this.stopper.signal });
    } catch (err) {
      outcome = { status: 'failed', message: (err as Error).message, errorName: (err as Error).name };
    } finally {
      this.running.delete(key);
    }
    // A run cut short by our own shutdown (SIGTERM from a service manager, an upgrade) is not
    // a failure to alert anyone about: it changed nothing half-way, and the next start redoes it.
    if (outcome.status === 'failed' && outcome.errorName === 'RunTimeout' && this.stopper.signal.aborted && !deadline.aborted) {
      outcome = { status: 'stopped', message: `stopped by the daemon's shutdown; the next run does it (${outcome.message})` };
    }
    const ms = this.deps.clock().getTime() - started;
    const level = outcome.status === 'failed' ? 'error' : outcome.status === 'needs_attention' || outcome.status === 'locked' ? 'warn' : 'info';
    log.event(level, 'run.finished', `${job} run ${outcome.status} in ${Math.round(ms / 100) / 10} s: ${outcome.message}`, { ...fields, status: outcome.status, durationMs: ms });
    if ((outcome.status === 'failed' || outcome.status === 'needs_attention') && t.config.notify.on.includes(outcome.status) && this.deps.notify) {
      await this.deps.notify(t, job, outcome, runId).catch((err) => log.event('warn', 'notify.failed', `notification failed: ${(err as Error).message}`, fields));
    }
  }
}

