/**
 * logging.file for the one-shot job commands (cron, Task Scheduler): one JSON line per
 * `inventory pull` and `orders push` run, with its time, outcome and counts, like the
 * daemon's `run.finished` lines. Found by a new-user walkthrough: a cron log of summaries
 * had no dates, and a Windows task kept no log at all.
 */
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { asKnownError, exitCodeFor, LizzySyncError, LockHeld } from '../errors.js';
import type { Job } from '../store/types.js';
import { checkLogFile, makeEventLog } from '../schedule/events.js';
import { redact } from '../util/redact.js';

export interface RunLine {
  status: string;
  message: string;
  fields?: Record<string, unknown>;
}

export interface RunLog {
  finished(line: RunLine): void;
  failed(err: unknown): void;
}

/** Checked before the run (a bad logging.file is exit 2 with nothing done); a no-op without logging.file. */
export function openRunLog(config: Config, job: Job, opts: { dryRun?: boolean; now?: () => Date } = {}): RunLog {
  const file = config.logging.file;
  if (!file || opts.dryRun) return { finished: () => undefined, failed: () => undefined };
  checkLogFile(file);
  const log = makeEventLog({ format: 'json', file, write: () => undefined, now: opts.now });
  const base = { dealer: path.basename(config.file).replace(/\.ya?ml$/i, ''), job, pid: process.pid };
  return {
    finished({ status, message, fields }) {
      const level = status === 'success' || status === 'skipped' ? 'info' : status === 'needs_attention' ? 'warn' : 'error';
      log.event(level, status === 'skipped' ? 'run.skip' : 'run.finished', `${job} run ${status}: ${message}`, { ...base, status, ...fields });
    },
    failed(err) {
      const e = asKnownError(err) as Error;
      // Another run holding the job's lock is that run doing the work, not a failure: the
      // daemon logs it as 'locked' at warn, and an alert on errors must not fire for it
      // (found by a break-it pass and a new-user walkthrough).
      if (e instanceof LockHeld) {
        log.event('warn', 'run.finished', `${job} run locked: ${redact(e.message)}`, { ...base, status: 'locked', exitCode: exitCodeFor(e), error: e.name });
        return;
      }
      const message = redact(e instanceof LizzySyncError ? e.message : `internal error: ${e.message}`);
      log.event('error', 'run.finished', `${job} run failed: ${message}`, { ...base, status: 'failed', exitCode: exitCodeFor(e), error: e.name });
    },
  };
}
