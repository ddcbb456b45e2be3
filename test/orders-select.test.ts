/**
 * orders/select.ts: the window, the expired list and the batches, with the instant passed in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { canonicalInstant } from '../src/orders/order.js';
import { inBatches, orderWindow, parseSince, selectOrders, windowStart } from '../src/orders/select.js';
import type { OrderStatusRow } from '../src/store/orders.js';
import { addDays } from '../src/schedule/zone.js';
import { FIXTURES } from './helpers.js';

const TZ = 'America/Los_Angeles';

function row(orderNumber: string, placedAt: string, over: Partial<OrderStatusRow> = {}): OrderStatusRow {
  return {
    orderNumber,
    placedAt: new Date(placedAt).toISOString(),
    state: 'pending',
    attempts: 0,
    lastError: null,
    lastAttemptAt: null,
    pickedUpAt: null,
    claimRun: null,
    claimedAt: null,
    sentAt: null,
    invoiceNumber: null,
    ...over,
  };
}

const numbers = (rows: OrderStatusRow[]) => rows.map((r) => r.orderNumber);

describe('the window at the fixture clock (2026-12-03T18:00:00Z, no DST change inside)', () => {
  const now = new Date('2026-12-03T18:00:00Z');
  const fixture = JSON.parse(readFileSync(path.join(FIXTURES, 'orders.json'), 'utf8')) as Array<{ orderNumber: string; placedAt: string }>;
  const rows = fixture.map((o) => row(o.orderNumber, canonicalInstant(o.placedAt)!));

  it('opens 7 days back at the same Pacific wall-clock time', () => {
    const w = orderWindow(now, { lookbackDays: 7, timeZone: TZ });
    expect(w.start).toBe('2026-11-26T18:00:00.000Z'); // 10:00 PST
    expect(w.defaultStart).toBe(w.start);
  });

  it('sends the 22 recent orders and lists W100101-W100108 as expired', () => {
    const sel = selectOrders(rows, orderWindow(now, { lookbackDays: 7, timeZone: TZ }), { maxAttempts: 5 });
    expect(numbers(sel.expired)).toEqual(['W100101', 'W100102', 'W100103', 'W100104', 'W100105', 'W100106', 'W100107', 'W100108']);
    expect(sel.eligible).toHaveLength(22);
    expect(sel.eligible[0]!.orderNumber).toBe('W100109');
    expect(inBatches(sel.eligible, 5).map((b) => b.length)).toEqual([5, 5, 5, 5, 2]);
  });

  it('skips orders already sent in the window, and does not count sent orders from before it', () => {
    const mixed = rows.map((r) =>
      ['W100105', 'W100109', 'W100110'].includes(r.orderNumber) ? { ...r, state: 'sent' as const, sentAt: '2026-11-30T00:00:00.000Z' } : r,
    );
    const sel = selectOrders(mixed, orderWindow(now, { lookbackDays: 7, timeZone: TZ }), { maxAttempts: 5 });
    expect(numbers(sel.alreadySent)).toEqual(['W100109', 'W100110']);
    expect(numbers(sel.expired)).not.toContain('W100105');
    expect(sel.eligible).toHaveLength(20);
  });
});

describe('the 7-day window across the Pacific fall-back (2026-11-01 02:00 PDT → 01:00 PST)', () => {
  // 2026-11-05 04:00 PST. Seven calendar days earlier at 04:00 is 2026-10-29 04:00 PDT = 11:00Z,
  // which is 7 × 24 h + 1 h ago: a plain 168-hour window would open at 12:00Z instead.
  const now = new Date('2026-11-05T12:00:00Z');
  const w = orderWindow(now, { lookbackDays: 7, timeZone: TZ });

  it('opens at the same wall-clock time 7 days back (04:00 PDT on Oct 29), not 168 hours back', () => {
    expect(w.start).toBe('2026-10-29T11:00:00.000Z');
    expect(new Date(w.start).getTime()).toBe(now.getTime() - 7 * 24 * 3600_000 - 3600_000);
  });

  const rows = [
    row('A-before', '2026-10-29T10:59:59Z'), // 03:59:59 PDT: just before the window
    row('B-edge', '2026-10-29T11:00:00Z'), // 04:00:00 PDT: the window is inclusive
    row('C-dst-hour', '2026-10-29T11:30:00Z'), // 04:30 PDT: in the window; 168 h would drop it
    row('D-inside', '2026-10-29T12:30:00Z'),
    row('E-ambiguous', '2026-11-01T08:30:00Z'), // 01:30 PDT, the first of the two 01:30s
    row('F-ambiguous', '2026-11-01T09:30:00Z'), // 01:30 PST, the second
    row('G-new', '2026-11-05T11:00:00Z'),
    row('H-old-but-attempted', '2026-10-20T18:00:00Z', { attempts: 2, lastError: 'HTTP 500' }),
    row('I-old-but-picked-up', '2026-10-25T18:00:00Z', { pickedUpAt: '2026-10-26T18:00:00.000Z' }),
    row('J-old-never-tried', '2026-10-25T18:00:00Z'),
    row('K-sent-in-window', '2026-10-30T18:00:00Z', { state: 'sent', sentAt: '2026-10-30T19:00:00.000Z', attempts: 1 }),
    row('L-sent-before', '2026-10-28T18:00:00Z', { state: 'sent', sentAt: '2026-10-28T19:00:00.000Z', attempts: 1 }),
    row('M-sending', '2026-11-04T18:00:00Z', { state: 'sending', claimedAt: '2026-11-05T11:00:00.000Z', attempts: 1 }),
  ];
  const sel = selectOrders(rows, w, { maxAttempts: 5 });

  it('expires only never-tried orders placed before the window', () => {
    expect(numbers(sel.expired)).toEqual(['J-old-never-tried', 'A-before']);
  });

  it('keeps the edge, the DST hour, and orders already picked up or attempted, oldest first', () => {
    expect(numbers(sel.eligible)).toEqual([
      'H-old-but-attempted',
      'I-old-but-picked-up',
      'B-edge',
      'C-dst-hour',
      'D-inside',
      'E-ambiguous',
      'F-ambiguous',
      'G-new',
    ]);
  });

  it('reports sent orders of the window as already sent, and sending ones separately', () => {
    expect(numbers(sel.alreadySent)).toEqual(['K-sent-in-window']);
    expect(numbers(sel.sending)).toEqual(['M-sending']);
  });

  it('one second later the edge order is still in (the window moves with the clock)', () => {
    const later = orderWindow(new Date('2026-11-05T12:00:00.999Z'), { lookbackDays: 7, timeZone: TZ });
    expect(later.start).toBe('2026-10-29T11:00:00.999Z');
  });
});

describe('the window across the spring-forward (2027-03-14 02:00 PST → 03:00 PDT)', () => {
  // 2027-03-18 05:00 PDT. Seven days back at 05:00 is 2027-03-11 05:00 PST = 13:00Z: 7 × 24 h − 1 h.
  const now = new Date('2027-03-18T12:00:00Z');
  it('opens an hour later than a 168-hour window would', () => {
    const w = orderWindow(now, { lookbackDays: 7, timeZone: TZ });
    expect(w.start).toBe('2027-03-11T13:00:00.000Z');
    const sel = selectOrders([row('X', '2027-03-11T12:30:00Z'), row('Y', '2027-03-11T13:00:00Z')], w, { maxAttempts: 5 });
    expect(numbers(sel.expired)).toEqual(['X']);
    expect(numbers(sel.eligible)).toEqual(['Y']);
  });

  it('a wall time the DST gap skips opens the window just after the gap', () => {
    // now = 2027-03-21 02:30 PDT; 7 days back 2027-03-14 02:30 does not exist.
    const start = windowStart(new Date('2027-03-21T09:30:00Z'), 7, TZ);
    expect(start.toISOString()).toBe('2027-03-14T10:30:00.000Z'); // 03:30 PDT
  });
});

describe('--since', () => {
  const now = new Date('2026-12-03T18:00:00Z');

  it('a date means midnight in the schedule zone', () => {
    expect(parseSince('2026-11-20', TZ).toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(parseSince('2026-10-30', TZ).toISOString()).toBe('2026-10-30T07:00:00.000Z'); // PDT
    expect(parseSince('2026-11-20T06:00:00-08:00', TZ).toISOString()).toBe('2026-11-20T14:00:00.000Z');
  });

  it('widens the window so expired orders are sent deliberately', () => {
    const w = orderWindow(now, { lookbackDays: 7, timeZone: TZ, since: '2026-11-20' });
    expect(w.start).toBe('2026-11-20T08:00:00.000Z');
    const sel = selectOrders([row('old', '2026-11-21T00:00:00Z'), row('older', '2026-11-19T00:00:00Z')], w, { maxAttempts: 5 });
    expect(numbers(sel.eligible)).toEqual(['old']);
    expect(numbers(sel.expired)).toEqual(['older']);
  });

  it('never narrows the window', () => {
    const w = orderWindow(now, { lookbackDays: 7, timeZone: TZ, since: '2026-12-02' });
    expect(w.start).toBe(w.defaultStart);
    expect(w.sinceStart).toBe('2026-12-02T08:00:00.000Z');
  });

  it('refuses what is not a date', () => {
    for (const bad of ['yesterday', '2026-02-30', '11/20/2026', '2026-11-20T06:00:00']) {
      expect(() => parseSince(bad, TZ), bad).toThrow(UsageError);
    }
  });

  // Found by a break-it pass: a date in the future was "inside that window", and 0001-01-01
  // was "no such date" (Date.UTC reads years 0-99 as 19xx) or, once read, a window from 1901.
  it('refuses a date in the future and years before 1970, each saying why', () => {
    expect(() => orderWindow(now, { lookbackDays: 7, timeZone: TZ, since: '2027-06-01' })).toThrow(/--since 2027-06-01 is in the future/);
    expect(() => orderWindow(now, { lookbackDays: 7, timeZone: TZ, since: '2026-12-03T18:00:01Z' })).toThrow(/is in the future/);
    expect(orderWindow(now, { lookbackDays: 7, timeZone: TZ, since: '2026-12-03T18:00:00Z' }).start).toBe(orderWindow(now, { lookbackDays: 7, timeZone: TZ }).start);
    for (const old of ['0001-01-01', '1969-12-31', '0099-03-01T00:00:00Z']) {
      expect(() => parseSince(old, TZ), old).toThrow(/the year is before 1970/);
    }
    expect(parseSince('1970-01-01', 'UTC').toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('addDays', () => {
  it('counts calendar days in every year, the first hundred included', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('0001-01-01', 0)).toBe('0001-01-01');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
  });
});

describe('order of sending', () => {
  it('orders that already need attention go last, so they cannot hold the others up', () => {
    const w = orderWindow(new Date('2026-12-03T18:00:00Z'), { lookbackDays: 7, timeZone: TZ });
    const sel = selectOrders(
      [row('W1', '2026-12-01T00:00:00Z', { attempts: 5 }), row('W2', '2026-12-02T00:00:00Z', { attempts: 4 }), row('W3', '2026-12-03T00:00:00Z')],
      w,
      { maxAttempts: 5 },
    );
    expect(numbers(sel.eligible)).toEqual(['W2', 'W3', 'W1']);
  });

  it('batches are consecutive and at most batchSize', () => {
    const list = Array.from({ length: 12 }, (_, i) => i);
    expect(inBatches(list, 5)).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]);
    expect(inBatches([], 5)).toEqual([]);
    expect(inBatches(list, 1)).toHaveLength(12);
  });
});
