/**
 * Which orders a push sends: pure, with the instant passed in.
 *
 * The window: orders placed within the last `orders.lookbackDays` (7) days, counted in the
 * schedule's zone (America/Los_Angeles): the window opens at the same wall-clock time that many
 * calendar days ago, so a DST change does not move it by an hour. (A plain 7 × 24 h window would
 * drop an order placed 6 days 23½ hours ago by the dealer's clock just after the fall-back.)
 *
 *   eligible:     pending, and placed in the window, or picked up / attempted by an earlier run
 *                 (those stay eligible until sent, so an outage never drops an order)
 *   expired:      pending, never picked up, placed before the window: reported every run,
 *                 sent only with --since
 *   already sent: sent, placed in the window (skipped)
 *   sending:      left "sending" by a run whose outcome is unknown (reconciled first)
 */
import { UsageError } from '../errors.js';
import { addDays, formatInZone, pad, zonedDate, zonedParts, zonedTimeToInstant } from '../schedule/zone.js';
import type { OrderStatusRow } from '../store/orders.js';

export interface OrderWindow {
  /** The instant the run looks from. */
  now: string;
  /** Where the window opens: the earlier of the default start and --since. */
  start: string;
  /** lookbackDays calendar days before now, same wall-clock time, in timeZone. */
  defaultStart: string;
  lookbackDays: number;
  timeZone: string;
  /** --since as given, and the instant it means. */
  since?: string;
  sinceStart?: string;
}

/** The instant lookbackDays calendar days before `now` at the same wall-clock time in the zone. */
export function windowStart(now: Date, lookbackDays: number, timeZone: string): Date {
  const p = zonedParts(now, timeZone);
  const date = addDays(zonedDate(now, timeZone), -lookbackDays);
  const t = zonedTimeToInstant(date, `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`, timeZone);
  return new Date(t.getTime() + (((now.getTime() % 1000) + 1000) % 1000));
}

/**
 * --since: a date (YYYY-MM-DD, meaning 00:00 of that day in the zone) or an ISO 8601 instant
 * with an offset. Throws UsageError otherwise.
 */
export function parseSince(text: string, timeZone: string): Date {
  const t = text.trim();
  // The store and the zone arithmetic speak of real order dates; year 0001 is a typo.
  if (/^\d{4}-/.test(t) && Number(t.slice(0, 4)) < 1970) {
    throw new UsageError(`--since ${text}: the year is before 1970; give the date of the oldest orders to send, such as 2026-11-01.`);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    if (addDays(t, 0) !== t) throw new UsageError(`--since ${text}: there is no such date.`);
    return zonedTimeToInstant(t, '00:00:00', timeZone);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  throw new UsageError(`--since ${JSON.stringify(text)} is not a date such as 2026-11-20 (midnight in ${timeZone}) or an instant such as 2026-11-20T08:00:00-08:00.`);
}

export function orderWindow(now: Date, opts: { lookbackDays: number; timeZone: string; since?: string }): OrderWindow {
  const defaultStart = windowStart(now, opts.lookbackDays, opts.timeZone);
  const w: OrderWindow = {
    now: now.toISOString(),
    start: defaultStart.toISOString(),
    defaultStart: defaultStart.toISOString(),
    lookbackDays: opts.lookbackDays,
    timeZone: opts.timeZone,
  };
  if (opts.since !== undefined) {
    const s = parseSince(opts.since, opts.timeZone);
    if (s.getTime() > now.getTime()) {
      throw new UsageError(`--since ${opts.since} is in the future: no order was placed after it, so it would change nothing.`, {
        hint: `--since sends never-sent orders placed since a past date, older than the last ${opts.lookbackDays} days (check the year).`,
      });
    }
    w.since = opts.since;
    w.sinceStart = s.toISOString();
    // --since widens the window (it exists to send expired orders); it never holds back an order the window holds.
    if (s.getTime() < defaultStart.getTime()) w.start = w.sinceStart;
  }
  return w;
}

export interface OrderSelection {
  /** In sending order: oldest first; orders that already need attention go last, so they cannot hold the others up. */
  eligible: OrderStatusRow[];
  expired: OrderStatusRow[];
  alreadySent: OrderStatusRow[];
  sending: OrderStatusRow[];
}

const byPlaced = (a: OrderStatusRow, b: OrderStatusRow) =>
  a.placedAt < b.placedAt ? -1 : a.placedAt > b.placedAt ? 1 : a.orderNumber < b.orderNumber ? -1 : a.orderNumber > b.orderNumber ? 1 : 0;

export function selectOrders(rows: readonly OrderStatusRow[], window: OrderWindow, opts: { maxAttempts: number }): OrderSelection {
  const sel: OrderSelection = { eligible: [], expired: [], alreadySent: [], sending: [] };
  for (const o of rows) {
    const inWindow = o.placedAt >= window.start;
    if (o.state === 'sent') {
      if (inWindow) sel.alreadySent.push(o);
    } else if (o.state === 'sending') {
      sel.sending.push(o);
    } else if (inWindow || o.pickedUpAt !== null || o.attempts > 0) {
      sel.eligible.push(o);
    } else {
      sel.expired.push(o);
    }
  }
  const late = (o: OrderStatusRow) => (o.attempts >= opts.maxAttempts ? 1 : 0);
  sel.eligible.sort((a, b) => late(a) - late(b) || byPlaced(a, b));
  sel.expired.sort(byPlaced);
  sel.alreadySent.sort(byPlaced);
  sel.sending.sort(byPlaced);
  return sel;
}

/** Split into consecutive batches of at most `size`. */
export function inBatches<T>(list: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** "2026-11-26 10:00 PST" for messages. */
export function describeInstant(iso: string, timeZone: string): string {
  return formatInZone(new Date(iso), timeZone);
}
