/** Gather what `status` needs from the store; the assessment itself is pure (status.ts). */
import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';
import { LOCK_STALE_MS, processAlive } from '../lock.js';
import { orderWindow, selectOrders } from '../orders/select.js';
import { localTimeZone } from '../schedule/zone.js';
import { lastAnyRun, lastFinishedRun, runsUpTo } from '../schedule/gate.js';
import type { Store } from '../store/store.js';
import type { Job } from '../store/types.js';
import { assessStatus, type JobFacts, type OrderFacts, type StatusReport } from './status.js';

/**
 * A run recorded in the future (this machine's clock was ahead when it ran, or a machine
 * sharing the database has a clock ahead) proves nothing about now: it is set aside, and
 * named, instead of standing as the last run and the last success (found by a new-user
 * walkthrough: a future "success" kept status healthy and hid the failures after it). A run
 * up to CLOCK_SKEW_MS ahead is a clock a little ahead, not the future: it counts.
 */
async function jobFacts(store: Store, job: Job, now: Date): Promise<JobFacts> {
  const latest = await store.lastRun(job);
  const lock = await store.lockHolder(job);
  const inFuture = latest !== null && Date.parse(latest.startedAt) > Date.parse(runsUpTo(now));
  return {
    lastRun: inFuture ? await lastAnyRun(store, job, now) : latest,
    lastSuccess: await lastFinishedRun(store, job, now),
    lock,
    futureRun: inFuture ? latest : null,
    lastFailure: await store.lastRun(job, { status: ['failed', 'interrupted'], notAfter: runsUpTo(now) }),
    // A holder on this machine can be asked whether it is alive; another machine's cannot.
    holderAlive: lock && lock.host === hostname() ? processAlive(lock.pid) : undefined,
  };
}

/** Order counts through the order store and the push's own selection rules, so status and push agree. */
export async function orderFacts(store: Store, config: Config, now: Date): Promise<OrderFacts> {
  // sentSince = now: sent orders are not needed here, only pending and sending ones.
  const rows = await store.orderQueue(now.toISOString());
  const sel = selectOrders(rows, orderWindow(now, { lookbackDays: config.orders.lookbackDays, timeZone: config.schedule.timezone }), {
    maxAttempts: config.orders.maxAttempts,
  });
  const attention = await store.ordersNeedingAttention(config.orders.maxAttempts);
  return {
    pending: sel.eligible.length,
    sending: sel.sending.length,
    needsAttention: attention.length,
    needsAttentionOrders: attention.map((o) => o.orderNumber),
    expired: sel.expired.length,
    lookbackDays: config.orders.lookbackDays,
  };
}

export async function collectStatus(config: Config, store: Store, now: Date): Promise<StatusReport> {
  return assessStatus({
    now,
    timeZone: config.schedule.timezone,
    localTimeZone: localTimeZone(),
    schedule: { inventory: config.schedule.inventory, orders: config.schedule.orders },
    disabledDays: config.inventory.disabledDays,
    inventory: await jobFacts(store, 'inventory', now),
    orders: await jobFacts(store, 'orders', now),
    orderFacts: await orderFacts(store, config, now),
    lockStaleMs: LOCK_STALE_MS,
  });
}
