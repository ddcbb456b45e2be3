/** Wires the daemon's job loops to the real jobs, and its notifications. */
import { spawn } from 'node:child_process';
import got from 'got';
import type { Clock } from '../clock.js';
import { requireApiKey } from '../config/load.js';
import { asKnownError, LizzySyncError, LockHeld } from '../errors.js';
import { clientFor, runInventoryPull } from '../inventory/pull.js';
import type { Logger } from '../log.js';
import type { Job } from '../store/types.js';
import { clip, envWithoutSecrets, redact } from '../util/redact.js';
import type { JobRunner, RunOutcome, Tenant } from './daemon.js';
import type { EventLog } from './events.js';

/** A core Logger that writes the daemon's event lines. */
export function loggerFor(log: EventLog, fields: Record<string, unknown>): Logger {
  return {
    info: (m) => log.event('info', 'run.log', m, fields),
    warn: (m) => log.event('warn', 'run.warn', m, fields),
    progress: () => undefined,
  };
}

export type OrdersJob = (tenant: Tenant, ctx: { clock: Clock; log: Logger; deadline: AbortSignal; stop: AbortSignal }) => Promise<RunOutcome>;

export function makeJobRunner(clock: Clock, events: EventLog, orders: OrdersJob): JobRunner {
  return async (tenant, job, ctx) => {
    const log = loggerFor(events, { dealer: tenant.name, job, runId: ctx.runId });
    try {
      if (job === 'inventory') {
        const apiKey = requireApiKey(tenant.config);
        // Stopping the daemon abandons a fetch (nothing is changed); an apply, once begun, completes.
        const signal = AbortSignal.any([ctx.deadline, ctx.stop]);
        const s = await runInventoryPull(tenant.config, tenant.store, clientFor(tenant.config, apiKey, signal), { clock, log, signal });
        const c = s.counts;
        return {
          status: s.status === 'failed' ? 'failed' : s.status,
          message:
            s.status === 'skipped'
              ? (s.skippedReason ?? 'skipped')
              : `feed ${s.feedItems}, updated ${c.updated}, unchanged ${c.unchanged}, not found ${c.not_found}, unrecognized vendor ${c.unrecognized_vendor}, invalid ${c.invalid}, cleared ${s.cleared}; report ${s.reportPath}`,
          summary: s,
        };
      }
      return await orders(tenant, { clock, log, deadline: ctx.deadline, stop: ctx.stop });
    } catch (err) {
      if (err instanceof LockHeld) return { status: 'locked', message: err.message };
      const e = asKnownError(err) as Error;
      return { status: 'failed', message: redact(e instanceof LizzySyncError ? e.message : `internal error: ${e.message}`), errorName: e.name };
    }
  };
}

/** How long notify.command may run (LIZZY_SYNC_NOTIFY_TIMEOUT_MS shortens it for tests). */
const NOTIFY_TIMEOUT_MS = Number(process.env.LIZZY_SYNC_NOTIFY_TIMEOUT_MS) > 0 ? Number(process.env.LIZZY_SYNC_NOTIFY_TIMEOUT_MS) : 30_000;

/** Send a run's summary to notify.command (on stdin) and notify.webhookUrl (POST JSON). */
export async function notify(tenant: Tenant, job: Job, outcome: RunOutcome, runId: string): Promise<void> {
  const payload = redact(
    JSON.stringify({ dealer: tenant.name, job, runId, status: outcome.status, message: outcome.message, summary: outcome.summary ?? null, at: new Date().toISOString() }),
  );
  const tasks: Promise<void>[] = [];
  const { command, webhookUrl } = tenant.config.notify;
  if (command) {
    tasks.push(
      new Promise<void>((resolve, reject) => {
        // Its own process group (not on Windows, which has none), so a timeout stops the
        // whole command: killing only the shell left its children holding stderr open, and
        // the daemon's job loop waited for them.
        const group = process.platform !== 'win32';
        const child = spawn(command, { shell: true, detached: group, stdio: ['pipe', 'ignore', 'pipe'], cwd: tenant.config.dir, env: envWithoutSecrets(process.env) });
        let err = '';
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          try {
            if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
            else child.kill('SIGKILL');
          } catch {
            // already gone
          }
        }, NOTIFY_TIMEOUT_MS);
        child.stderr.on('data', (d) => (err += d));
        child.stdin.on('error', () => undefined); // a command that does not read its input
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          if (timedOut) reject(new Error(`notify.command did not finish within ${NOTIFY_TIMEOUT_MS / 1000} s and was stopped`));
          else if (code === 0) resolve();
          else reject(new Error(`notify.command exited ${code}: ${clip(err.trim(), 200)}`));
        });
        child.stdin.end(payload);
      }),
    );
  }
  if (webhookUrl) {
    tasks.push(
      got
        .post(webhookUrl, { body: payload, headers: { 'content-type': 'application/json' }, timeout: { request: 10_000 }, retry: { limit: 1 } })
        .then(() => undefined),
    );
  }
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
}
