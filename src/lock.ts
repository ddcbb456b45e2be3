import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { LockHeld, LockLost } from './errors.js';
import type { Logger } from './log.js';
import { formatRecorded } from './schedule/zone.js';
import type { Store } from './store/store.js';
import type { HeldLock, Job, LockInfo } from './store/types.js';

/** A lock whose holder stopped heartbeating this long ago is taken over. */
export const LOCK_STALE_MS = 2 * 60_000;
const HEARTBEAT_MS = 15_000;

/**
 * Run `fn` holding the job's lock in the store, so the daemon, a manual run and a crontab
 * entry never run the same job at once. The holder heartbeats; a crashed holder's lock is
 * taken over after LOCK_STALE_MS with a warning.
 */
export async function withJobLock<T>(
  store: Store,
  job: Job,
  clock: Clock,
  log: Logger,
  fn: (lock: HeldLock) => Promise<T>,
  opts: { staleMs?: number; heartbeatMs?: number; timeZone?: string } = {},
): Promise<T> {
  const at = (iso: string) => formatRecorded(iso, opts.timeZone);
  const me = { owner: randomUUID(), pid: process.pid, host: hostname() };
  // A holder on this machine whose process is gone (killed, crashed) is taken over at once.
  const holder = await store.lockHolder(job);
  const dead = holder && holder.host === me.host && !processAlive(holder.pid) ? holder.owner : undefined;
  const got = await store.acquireLock(job, me, clock().toISOString(), opts.staleMs ?? LOCK_STALE_MS, dead);
  if (!got.acquired) {
    const h = got.holder;
    throw new LockHeld(`Another ${job} run holds the lock: pid ${h.pid} on ${h.host}, since ${at(h.acquiredAt)}, last heartbeat ${at(h.heartbeatAt)}.`, {
      hint: 'Wait for it to finish. A lock whose holder died is taken over automatically: at once on this machine, after 2 minutes without a heartbeat from another one.',
    });
  }
  if (got.tookOverFrom) {
    const h = got.tookOverFrom;
    log.warn(
      `Took over the ${job} lock left by pid ${h.pid} on ${h.host} (last heartbeat ${at(h.heartbeatAt)}): ${dead === h.owner ? 'that process is gone' : 'it stopped heartbeating'}; that run probably crashed or was killed. Its changes, if any, were all or nothing.`,
    );
  }
  // Holding the lock, any run of this job still marked "running" died without finishing.
  const interrupted = await store.markInterrupted(job, clock().toISOString()).catch(() => []);
  if (interrupted.length > 0) log.warn(`${interrupted.length} earlier ${job} run(s) ended without finishing (killed or crashed); marked interrupted in the run log.`);
  let warned = false;
  const timer = setInterval(() => {
    store
      .heartbeatLock(job, me.owner, clock().toISOString())
      .then((held) => {
        // Taken over: the apply's own check (fenceError) stops this run before it changes anything.
        if (!held && !warned) {
          warned = true;
          log.warn(`Another ${job} run took this run's lock over (its heartbeat was late or its database connection dropped); this run will stop before applying.`);
        }
      })
      .catch(() => undefined);
  }, opts.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  try {
    return await fn({ job, owner: me.owner, interrupted, ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) });
  } finally {
    clearInterval(timer);
    await store.releaseLock(job, me.owner).catch(() => undefined);
  }
}

/**
 * The check a store makes inside the apply's transaction: undefined while `lock` is still the
 * job's holder, else the LockLost to throw (nothing has changed yet).
 */
export function fenceError(lock: HeldLock, holder: LockInfo | null): LockLost | undefined {
  if (holder?.owner === lock.owner) return undefined;
  const who = holder ? `pid ${holder.pid} on ${holder.host} (holding it since ${formatRecorded(holder.acquiredAt, lock.timeZone)})` : 'nobody (the lock was released)';
  const why = 'Its heartbeat stopped for over 2 minutes, or (PostgreSQL) its lock connection dropped, and another run took over.';
  if (lock.job === 'orders') {
    return new LockLost(`This orders run lost its lock: it is now held by ${who}. It claimed no more orders; those it had not sent stay pending.`, {
      hint: `${why} That run sends them; check the network or database if this repeats.`,
    });
  }
  return new LockLost(`This ${lock.job} run lost its lock before applying: it is now held by ${who}. Nothing was changed by this run.`, {
    hint: `${why} That run applies the feed; check the network or database if this repeats.`,
  });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
