/**
 * `orders push`: reconcile → select → batches → claim → submit → settle → report.
 *
 * Guarantees:
 * - Never sent twice: an order is claimed ("sending") in one conditional UPDATE before its
 *   request; a POST is never retried automatically; an order whose outcome is unknown stays
 *   "sending" until a later run asks Lizzy (/orderstatus) whether it has it.
 * - Never lost: a batch is marked sent in one transaction right after Lizzy's 2xx; anything
 *   not accepted goes back to "pending"; once a run has picked an order up it stays eligible
 *   until sent, whatever its age.
 * - One bad order cannot hold four good ones back: a batch Lizzy refuses with a 4xx is
 *   retried order by order.
 * - Lizzy down (unreachable, 5xx, 429, unreadable answer): the run stops at once (exit 3).
 */
import path from 'node:path';
import { checkReportsWritable, makeReportsFolder } from '../report/csv.js';
import type { Clock } from '../clock.js';
import { requireWebstoreId } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { abortedByDeadline, LizzyError, LizzySyncError, LockLost, RunTimeout } from '../errors.js';
import type { LizzyClient } from '../lizzy/client.js';
import { orderStatusMeansReceived, type WireOrderStatus } from '../lizzy/wire.js';
import { withJobLock } from '../lock.js';
import type { Logger } from '../log.js';
import { zonedDate } from '../schedule/zone.js';
import type { OrderSettlement, OrderStatusRow, StoredOrder } from '../store/orders.js';
import type { HeldLock } from '../store/types.js';
import type { Store } from '../store/store.js';
import { redact } from '../util/redact.js';
import { batchPayload, maskPersonal } from './payload.js';
import { ORDER_REPORT_STATUSES, writeOrdersReport, type OrderReportRow, type OrderReportStatus } from './report.js';
import { describeInstant, inBatches, orderWindow, selectOrders, type OrderWindow } from './select.js';

export interface PushOptions {
  clock: Clock;
  log: Logger;
  /** Show what would be sent; send nothing, change nothing. */
  dryRun?: boolean;
  /** Dry run: show names, e-mails, phones and street addresses instead of masking them. */
  showPersonal?: boolean;
  /** Widen the window to send expired orders: a date (midnight in the schedule's zone) or an instant. */
  since?: string;
  /**
   * Checked between batches: once aborted (deadline, shutdown), no further batch starts and the
   * rest stay pending. A request already in flight is governed by the client's own signal.
   */
  signal?: AbortSignal;
}

export interface BatchRecord {
  /** 1-based batch number. */
  batch: number;
  orders: string[];
  /** accepted: 2xx; rejected: a 4xx about the orders; failed: not accepted, Lizzy-side (stops the run); unknown: no answer. */
  outcome: 'accepted' | 'rejected' | 'failed' | 'unknown' | 'would_send';
  httpStatus?: number;
  /** One of the order-by-order retries of a refused batch. */
  single?: boolean;
  error?: string;
  /** Dry run: the payload that would be sent (personal details masked unless showPersonal). */
  payload?: unknown;
}

export interface OrderPushSummary {
  job: 'orders';
  status: 'success' | 'needs_attention' | 'failed';
  dryRun: boolean;
  runId?: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  window: OrderWindow;
  counts: Record<OrderReportStatus, number>;
  /** submitorder requests made. */
  requests: number;
  batches: BatchRecord[];
  orders: OrderReportRow[];
  reportPath?: string;
  /** Why the report could not be written (the run itself went as the counts say). */
  reportError?: string;
  error?: { type: string; message: string; hint?: string };
}

export interface OrderPushResult {
  summary: OrderPushSummary;
  /** Why the run stopped early (exit 3); the summary and report are complete regardless. */
  error?: LizzySyncError;
}

/** How long an order whose request's outcome is unknown waits before /orderstatus is asked about it. */
export function reconcileAfterMs(timeoutSeconds: number): number {
  return timeoutSeconds * 1000 + RECONCILE_GRACE_MS;
}
export const RECONCILE_GRACE_MS = 5 * 60_000;

/** How many order numbers one /orderstatus request asks about. */
const ORDER_STATUS_CHUNK = 50;

/** 4xx answers that are not about the orders (key, URL, throttling, incomplete request): they stop the run instead. */
const NOT_ABOUT_THE_ORDERS = new Set([401, 403, 404, 408, 429]);

export type SubmitErrorKind = 'rejected' | 'stop' | 'unknown';

/** rejected: Lizzy read the orders and refused them (retry one by one); stop: Lizzy is down or refuses us; unknown: no answer. */
export function classifySubmitError(e: LizzyError): SubmitErrorKind {
  if (e.outcomeUnknown) return 'unknown';
  const s = e.status;
  if (s !== undefined && s >= 400 && s < 500 && !NOT_ABOUT_THE_ORDERS.has(s)) return 'rejected';
  return 'stop';
}

type Outcome = { kind: 'accepted'; status: number; invoices: Map<string, string> } | { kind: SubmitErrorKind; error: LizzyError };

export function emptyOrderCounts(): Record<OrderReportStatus, number> {
  return Object.fromEntries(ORDER_REPORT_STATUSES.map((s) => [s, 0])) as Record<OrderReportStatus, number>;
}

export async function runOrderPush(config: Config, store: Store, client: LizzyClient | undefined, opts: PushOptions): Promise<OrderPushResult> {
  const { clock, log } = opts;
  const dryRun = !!opts.dryRun;
  const webstoreId = requireWebstoreId(config);
  const tz = config.schedule.timezone;
  const { batchSize, maxAttempts } = config.orders;
  const started = clock();
  const window = orderWindow(started, { lookbackDays: config.orders.lookbackDays, timeZone: tz, since: opts.since });
  if (!dryRun && !client) throw new Error('runOrderPush: a Lizzy client is needed unless dryRun');
  const now = () => clock().toISOString();

  const body = async (lock?: HeldLock): Promise<OrderPushResult> => {
    // A reports.dir that cannot be a folder, or cannot be written, is found before any order
    // is sent: the report is the record of what reached Lizzy (found by a break-it pass).
    makeReportsFolder(path.join(config.reports.dir, 'orders.csv'));
    checkReportsWritable(config.reports.dir);
    const runId = dryRun ? undefined : await store.startRun('orders', started.toISOString());
    const claim = () => ({ runId: runId!, at: now() });
    const rows = new Map<string, OrderReportRow>();
    const batches: BatchRecord[] = [];
    let requests = 0;
    let stop: LizzySyncError | undefined;
    let stoppedByShutdown = false;

    const row = (
      o: Pick<OrderStatusRow, 'orderNumber' | 'placedAt' | 'attempts' | 'invoiceNumber' | 'lastError'>,
      status: OrderReportStatus,
      extra: { error?: string | null; invoiceNumber?: string | null } = {},
    ) =>
      rows.set(o.orderNumber, {
        orderNumber: o.orderNumber,
        placedAt: o.placedAt,
        status,
        attempts: o.attempts,
        invoiceNumber: extra.invoiceNumber !== undefined ? extra.invoiceNumber : o.invoiceNumber,
        error: extra.error !== undefined ? extra.error : o.lastError,
      });

    const settle = async (orders: StoredOrder[], outcome: OrderSettlement['outcome'], extra: { error?: string; invoices?: Map<string, string> }) =>
      store.settleOrders(
        orders.map((o) => ({ orderNumber: o.orderNumber, outcome, invoiceNumber: extra.invoices?.get(o.orderNumber), error: extra.error })),
        claim(),
      );

    const submit = async (orders: StoredOrder[], onSent?: () => void): Promise<Outcome> => {
      requests++;
      try {
        const { orders: wire } = batchPayload(webstoreId, orders, tz);
        const res = await client!.submitOrders(webstoreId, wire, onSent);
        const invoices = new Map<string, string>();
        for (const r of res.results) if (r.InvoiceNumber) invoices.set(r.OrderNumber, r.InvoiceNumber);
        return { kind: 'accepted', status: res.status, invoices };
      } catch (e) {
        if (!(e instanceof LizzyError)) throw e;
        return { kind: classifySubmitError(e), error: e };
      }
    };

    const stopped = (e: LizzyError, batchNo: number, kind: SubmitErrorKind): LizzyError =>
      new LizzyError(`Order push stopped at batch ${batchNo}: ${redact(e.message)}`, {
        status: e.status,
        outcomeUnknown: e.outcomeUnknown,
        cause: e,
        hint:
          kind === 'unknown'
            ? `That batch's orders stay "sending": the first run from ${describeInstant(
                new Date(clock().getTime() + reconcileAfterMs(config.lizzy.timeoutSeconds)).toISOString(),
                tz,
              )} on (once a request still in flight would have timed out) asks Lizzy (/orderstatus) which it already has and sends only the rest. Orders after it stay pending.`
            : `Nothing more was sent in this run, so as not to hammer Lizzy. This batch and the orders after it stay pending; the next run sends them.${
                e.hint ? ` ${e.hint.replace(/^Nothing was changed\.\s*/, '')}` : ''
              }`,
      });

    /** Mark these orders "sending" (one conditional UPDATE): only what this run claims may be sent by it. */
    const claimFor = async (numbers: string[], single: boolean): Promise<StoredOrder[]> => {
      // With the lock's fence: a run whose lock was taken over (its PostgreSQL lock connection
      // dropped, its heartbeat stalled) claims nothing more. The claims alone already kept the
      // two runs from sending one order twice, but the first went on sending beside the run
      // that had called it dead (found by a break-it pass).
      const claimed = await store.claimOrders(numbers, { ...claim(), countAttempt: !single, ...(lock ? { fence: lock } : {}) });
      if (claimed.length < numbers.length) {
        const taken = new Set(claimed.map((o) => o.orderNumber));
        log.warn(`Another process claimed ${numbers.filter((n) => !taken.has(n)).join(', ')} first; this run does not send them.`);
      }
      return claimed;
    };

    /**
     * Claim (unless `pre` brings the claim), send and settle one batch, or one order of a
     * refused batch; returns the error that stops the run, if any. The claim of batch N+1 is
     * made while batch N's request is in flight, so the database work hides under Lizzy's
     * answer time: `pre.whileInFlight` starts it once this request has gone out.
     */
    const send = async (
      numbers: string[],
      batchNo: number,
      single: boolean,
      pre?: { claimed: StoredOrder[]; whileInFlight?: () => void },
    ): Promise<LizzySyncError | undefined> => {
      const claimed = pre ? pre.claimed : await claimFor(numbers, single);
      if (claimed.length === 0) {
        pre?.whileInFlight?.();
        return undefined;
      }
      log.progress(single ? `Batch ${batchNo}: sending ${claimed[0]!.orderNumber} on its own` : `Sending batch ${batchNo} (${claimed.length} orders)`);
      // The next claim starts once this request is on the wire: started earlier, the
      // (synchronous, for SQLite, and synced to disk) claim would hold the request back.
      let nextStarted = false;
      const startNext = pre?.whileInFlight
        ? () => {
            if (nextStarted) return;
            nextStarted = true;
            pre.whileInFlight!();
          }
        : undefined;
      const out = await submit(claimed, startNext);
      startNext?.(); // if the request failed before it was sent: the next claim is under way before this batch is settled or the run stops
      const rec: BatchRecord = { batch: batchNo, orders: claimed.map((o) => o.orderNumber), outcome: 'accepted', ...(single ? { single } : {}) };
      batches.push(rec);
      if (out.kind === 'accepted') {
        rec.httpStatus = out.status;
        await settle(claimed, 'sent', { invoices: out.invoices });
        for (const o of claimed) row(o, 'sent', { invoiceNumber: out.invoices.get(o.orderNumber) ?? null, error: null });
        return undefined;
      }
      const e = out.error;
      const msg = redact(e.message);
      rec.httpStatus = e.status;
      rec.error = msg;
      if (out.kind === 'rejected') {
        rec.outcome = 'rejected';
        if (claimed.length === 1) {
          await settle(claimed, 'pending', { error: msg });
          row(claimed[0]!, 'failed', { error: msg });
          return undefined;
        }
        const note = `${msg} (Lizzy refused the batch of ${claimed.length} as a whole; its orders were retried one by one)`;
        await settle(claimed, 'pending', { error: note });
        for (const o of claimed) row(o, 'failed', { error: note });
        log.warn(`Lizzy refused batch ${batchNo} (HTTP ${e.status}); retrying its ${claimed.length} orders one by one.`);
        for (const o of claimed) {
          const err = await send([o.orderNumber], batchNo, true);
          if (err) return err;
        }
        return undefined;
      }
      if (out.kind === 'unknown') {
        rec.outcome = 'unknown';
        const note = `outcome unknown: ${msg}`;
        await settle(claimed, 'unknown', { error: note });
        for (const o of claimed) row(o, 'unknown', { error: note });
        return stopped(e, batchNo, 'unknown');
      }
      rec.outcome = 'failed';
      // Lizzy unreachable, the key rejected, throttled: not the orders' fault, so not one of
      // their maxAttempts (found by a new-user walkthrough: five hourly outages made good
      // orders "need attention"). (A 5xx is an unknown outcome, settled by the next run's check.)
      const notTheOrders = e.status === undefined || NOT_ABOUT_THE_ORDERS.has(e.status);
      await settle(claimed, notTheOrders ? 'released' : 'pending', { error: msg });
      for (const o of claimed) row(o, 'failed', { error: msg });
      return stopped(e, batchNo, 'stop');
    };

    /** Orders an earlier run left "sending": ask Lizzy which it has; mark those sent, the rest pending. */
    const reconcile = async (): Promise<LizzySyncError | undefined> => {
      // Only claims older than the request timeout plus a grace period: Lizzy may still be
      // working on a request whose answer we did not wait for, and /orderstatus cannot see it
      // yet, so checking sooner could send an order twice. The run that claimed it having
      // ended proves nothing.
      const claimedBefore = new Date(clock().getTime() - reconcileAfterMs(config.lizzy.timeoutSeconds)).toISOString();
      const candidates = await store.sendingToReconcile(claimedBefore);
      if (candidates.length === 0) return undefined;
      const taken = new Set(await store.adoptSending(candidates.map((c) => c.orderNumber), { ...claim(), claimedBefore }));
      const list = candidates.filter((c) => taken.has(c.orderNumber));
      if (list.length === 0) return undefined;
      log.info(`${list.length} order(s) were left "sending" by an earlier run whose outcome is unknown; asking Lizzy which it already has.`);
      for (const [i, part] of inBatches(list, ORDER_STATUS_CHUNK).entries()) {
        let have: Map<string, WireOrderStatus>;
        try {
          const statuses = await client!.orderStatus(webstoreId, part.map((o) => o.orderNumber));
          have = new Map(statuses.filter(orderStatusMeansReceived).map((s) => [s.OrderNumber, s]));
        } catch (e) {
          if (!(e instanceof LizzyError)) throw e;
          const msg = redact(e.message);
          for (const o of list.slice(i * ORDER_STATUS_CHUNK)) row(o, 'unknown', { error: `${o.lastError ?? 'outcome unknown'}; asking Lizzy failed: ${msg}` });
          return new LizzyError(`Could not ask Lizzy about ${list.length} order(s) whose outcome is unknown: ${msg}`, {
            status: e.status,
            cause: e,
            hint: 'They stay "sending" and nothing else was sent; the next run asks again before sending anything.',
          });
        }
        const settlements: OrderSettlement[] = part.map((o) => {
          const s = have.get(o.orderNumber);
          if (s) return { orderNumber: o.orderNumber, outcome: 'sent', invoiceNumber: s.InvoiceNumber };
          return {
            orderNumber: o.orderNumber,
            outcome: 'pending',
            error: `Lizzy did not have it after a request whose outcome was unknown (${o.lastError ?? 'the run ended while sending'}); sent again`,
          };
        });
        await store.settleOrders(settlements, claim());
        for (const o of part) {
          const s = have.get(o.orderNumber);
          if (s) row(o, 'confirmed', { invoiceNumber: s.InvoiceNumber ?? o.invoiceNumber, error: null });
        }
        const confirmed = part.filter((o) => have.has(o.orderNumber)).length;
        log.info(`Lizzy already has ${confirmed} of them (marked sent, not resent); ${part.length - confirmed} will be sent again.`);
      }
      return undefined;
    };

    try {
      if (!dryRun) stop = await reconcile();

      const sel = selectOrders(await store.orderQueue(window.start), window, { maxAttempts });
      for (const o of sel.expired) {
        row(o, 'expired', {
          error: `never sent, and placed before the window (${describeInstant(window.start, tz)}); to send it: orders push --since ${zonedDate(new Date(o.placedAt), tz)}`,
        });
      }
      for (const o of sel.alreadySent) if (!rows.has(o.orderNumber)) row(o, 'already_sent', { error: null });
      // A dry run does not ask Lizzy, but says which orders a real run would ask about: only
      // claims old enough (as reconcile() picks them); the rest are in flight in both.
      const checkFrom = new Date(clock().getTime() - reconcileAfterMs(config.lizzy.timeoutSeconds)).toISOString();
      for (const o of sel.sending) {
        if (rows.has(o.orderNumber)) continue;
        const checkAt = o.claimedAt ? describeInstant(new Date(Date.parse(o.claimedAt) + reconcileAfterMs(config.lizzy.timeoutSeconds)).toISOString(), tz) : 'the next run';
        const dueForCheck = o.claimedAt === null || o.claimedAt < checkFrom;
        row(o, dryRun && dueForCheck ? 'would_check' : 'in_flight', {
          error: `waiting for the outcome of an earlier request (Lizzy may still be processing it); checked with Lizzy from ${checkAt} on, never resent before`,
        });
      }
      if (sel.expired.length > 0) {
        const names = sel.expired.slice(0, 10).map((o) => o.orderNumber).join(', ');
        log.warn(
          `${sel.expired.length} order(s) were never sent and are older than the ${window.lookbackDays}-day window: ${names}${sel.expired.length > 10 ? ` and ${sel.expired.length - 10} more` : ''}. Send them with --since DATE if Lizzy should still get them; one that reached Lizzy another way stops being listed once it is imported again with sentAt.`,
        );
      }

      const groups = inBatches(sel.eligible, batchSize);
      if (dryRun) {
        for (const [i, g] of groups.entries()) {
          const full = await store.getOrders(g.map((o) => o.orderNumber));
          const payload = batchPayload(webstoreId, full, tz);
          batches.push({
            batch: i + 1,
            orders: full.map((o) => o.orderNumber),
            outcome: 'would_send',
            payload: opts.showPersonal ? payload : { ...payload, orders: payload.orders.map(maskPersonal) },
          });
          for (const o of full) row(o, 'would_send');
        }
      } else {
        if (sel.eligible.length > 0) await store.markPickedUp(sel.eligible.map((o) => o.orderNumber), now());
        // The claim of the next batch, made while the current request is in flight.
        let ahead: Promise<StoredOrder[]> | undefined;
        for (const [i, g] of groups.entries()) {
          if (!stop && opts.signal?.aborted) {
            const timedOut = abortedByDeadline(opts.signal);
            stoppedByShutdown = !timedOut;
            stop = new RunTimeout(`The order push ${timedOut ? `hit its deadline (runTimeoutMinutes: ${config.runTimeoutMinutes})` : 'was stopped by a shutdown'} before batch ${i + 1}.`, {
              hint: 'The orders not sent yet stay pending; the next run sends them.',
            });
          }
          if (stop) {
            for (const o of g) if (!rows.has(o.orderNumber)) row(o, 'pending');
            continue;
          }
          const numbers = g.map((o) => o.orderNumber);
          let claimed: StoredOrder[];
          try {
            claimed = ahead ? await ahead : await claimFor(numbers, false);
          } catch (err) {
            if (!(err instanceof LockLost)) throw err;
            // Nothing of this batch was claimed: it and the rest stay pending for the run that holds the lock.
            ahead = undefined;
            stop = err;
            for (const o of g) if (!rows.has(o.orderNumber)) row(o, 'pending');
            continue;
          }
          ahead = undefined;
          const next = groups[i + 1];
          stop = await send(numbers, i + 1, false, {
            claimed,
            whileInFlight: next
              ? () => {
                  ahead = claimFor(
                    next.map((o) => o.orderNumber),
                    false,
                  );
                  ahead.catch(() => undefined); // awaited below or in the next round; never an unhandled rejection
                }
              : undefined,
          });
        }
        // The run stopped with the next batch claimed but not sent: give it back, uncounted.
        if (ahead) {
          const unsent = await ahead;
          if (unsent.length > 0) await settle(unsent, 'released', {});
        }
      }

      // Every unsent order that reached maxAttempts, in every report until it is sent.
      for (const o of await store.ordersNeedingAttention(maxAttempts)) {
        const r = rows.get(o.orderNumber);
        if (!r || r.status === 'failed' || r.status === 'pending') row(o, 'needs_attention');
      }

      const counts = emptyOrderCounts();
      const orderRows = [...rows.values()].sort((a, b) =>
        a.placedAt < b.placedAt ? -1 : a.placedAt > b.placedAt ? 1 : a.orderNumber < b.orderNumber ? -1 : a.orderNumber > b.orderNumber ? 1 : 0,
      );
      for (const r of orderRows) counts[r.status]++;
      // Every order refused, all for the same reason: that is rarely the orders' fault.
      const refused = orderRows.filter((r) => r.status === 'failed');
      const reasons = new Set(refused.map((r) => r.error ?? ''));
      if (!stop && refused.length >= 2 && counts.sent === 0 && reasons.size === 1) {
        log.warn(
          `Lizzy refused all ${refused.length} orders with the same answer (${[...reasons][0]}). Check lizzy.webstoreId (${webstoreId}): it must be the number in parentheses next to your webstore's name in the Lizzy Webstore Interface.`,
        );
      }
      const status: OrderPushSummary['status'] = stop ? 'failed' : counts.failed + counts.needs_attention > 0 ? 'needs_attention' : 'success';
      const summary: OrderPushSummary = {
        job: 'orders',
        status,
        dryRun,
        runId,
        startedAt: started.toISOString(),
        finishedAt: started.toISOString(),
        durationMs: 0,
        window,
        counts,
        requests,
        batches,
        orders: orderRows,
      };
      if (stop) summary.error = { type: stop.name, message: redact(stop.message), hint: stop.hint };
      log.progress('Writing the report');
      try {
        summary.reportPath = await writeOrdersReport(config.reports.dir, started, orderRows, { dryRun });
      } catch (err) {
        // The orders went where they went and the database says so: a report that cannot be
        // written (the disk filled up during the run) does not turn that into "failed".
        summary.reportError = redact((err as Error).message);
        if (summary.status === 'success') summary.status = 'needs_attention';
        log.warn(`${summary.reportError}. The run's outcome is recorded in the database (${counts.sent} sent); lizzy-sync status shows it.`);
      }
      const end = clock();
      summary.finishedAt = end.toISOString();
      summary.durationMs = end.getTime() - started.getTime();
      if (runId !== undefined) {
        await store.finishRun(runId, {
          finishedAt: summary.finishedAt,
          // As the inventory pull records it: cut short by a shutdown, not failed.
          status: stoppedByShutdown ? 'interrupted' : summary.status,
          counts: { ...counts, requests, durationMs: summary.durationMs },
          reportPath: summary.reportPath ?? null,
          error: summary.error?.message ?? summary.reportError ?? null,
        });
      }
      return { summary, error: stop };
    } catch (err) {
      if (runId !== undefined) {
        await store
          .finishRun(runId, { finishedAt: now(), status: 'failed', counts: { requests }, reportPath: null, error: redact((err as Error).message ?? String(err)) })
          .catch(() => undefined);
      }
      throw err;
    }
  };
  return dryRun ? body() : withJobLock(store, 'orders', clock, log, body, { timeZone: config.schedule.timezone });
}
