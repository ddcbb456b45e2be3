/**
 * Reading the webstore export (validation, exact cents, canonical instants) and building the
 * submitorder payload (shape per the contract, Pacific date and time, masking).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readOrderExport } from '../src/orders/import.js';
import { canonicalInstant, readMoney, readOrder } from '../src/orders/order.js';
import { batchPayload, maskPersonal, orderDateTime, toWireOrder } from '../src/orders/payload.js';
import { parseCents } from '../src/util/money.js';
import type { OrderImport } from '../src/store/orders.js';
import { FIXTURES } from './helpers.js';

const TZ = 'America/Los_Angeles';
type Raw = Record<string, any>;
const fixture = JSON.parse(readFileSync(path.join(FIXTURES, 'orders.json'), 'utf8')) as Raw[];
const byNumber = (n: string) => structuredClone(fixture.find((o) => o.orderNumber === n)!);
const read = (raw: unknown): OrderImport => {
  const r = readOrder(raw);
  expect(r.problems).toEqual([]);
  return r.order!;
};

describe('money is exact to the cent', () => {
  it('W100113: lines 0.10 + 0.20 + 19.99, tax 1.63, total 21.92, in integer cents end to end', () => {
    const o = read(byNumber('W100113'));
    expect(o.items.map((i) => i.priceCents)).toEqual([10, 20, 1999]);
    expect(o.taxCents).toBe(163);
    expect(o.shippingCents).toBe(0);
    expect(o.totalCents).toBe(2192);
    const lines = o.items.reduce((s, i) => s + i.priceCents * i.quantity, 0);
    expect(lines + o.taxCents + o.shippingCents).toBe(o.totalCents);
    // The float way gets this wrong: 0.1 + 0.2 + 19.99 + 1.63 !== 21.92.
    expect(0.1 + 0.2 + 19.99 + 1.63).not.toBe(21.92);

    const w = toWireOrder(o, TZ);
    expect(w.Items.map((i) => i.Price)).toEqual(['0.10', '0.20', '19.99']);
    expect([w.Tax, w.Shipping, w.Total]).toEqual(['1.63', '0.00', '21.92']);
    // What Lizzy reads back adds up exactly.
    const back = w.Items.reduce((s, i) => s + parseCents(i.Price)! * i.Quantity, 0) + parseCents(w.Tax)! + parseCents(w.Shipping)!;
    expect(back).toBe(parseCents(w.Total));
  });

  it('every fixture order keeps its amounts to the cent, and its total adds up', () => {
    for (const raw of fixture) {
      const r = readOrder(raw);
      expect(r.problems, raw.orderNumber).toEqual([]);
      expect(r.warnings, raw.orderNumber).toEqual([]);
      const w = toWireOrder(r.order!, TZ);
      expect(w.Total).toBe(Number(raw.total).toFixed(2));
      expect(w.Items.map((i) => i.Price)).toEqual(raw.items.map((i: Raw) => Number(i.price).toFixed(2)));
    }
  });

  it('reads numbers and strings, tolerates float noise, refuses fractions of a cent and negatives', () => {
    expect(readMoney(19.99)).toBe(1999);
    expect(readMoney(0.1)).toBe(10);
    expect(readMoney(0.1 + 0.2)).toBe(30); // 0.30000000000000004
    expect(readMoney(1211)).toBe(121100);
    expect(readMoney('19.99')).toBe(1999);
    expect(readMoney('1,299.00')).toBe(129900);
    expect(readMoney('12.500')).toBe(1250);
    expect(readMoney(0)).toBe(0);
    expect(readMoney(1.005)).toMatch(/fraction of a cent/);
    expect(readMoney('12.345')).toMatch(/fraction of a cent/);
    expect(readMoney(-1)).toMatch(/negative/);
    expect(readMoney('abc')).toMatch(/not an amount/);
    expect(readMoney(undefined)).toBe('is missing');
  });
});

describe('instants', () => {
  it('are stored as canonical UTC, whatever the offset they came with', () => {
    expect(canonicalInstant('2026-11-27T17:29:29-08:00')).toBe('2026-11-28T01:29:29.000Z');
    expect(canonicalInstant('2026-11-29T00:30:00-07:00')).toBe('2026-11-29T07:30:00.000Z');
    expect(canonicalInstant('2026-11-29T07:30:00Z')).toBe('2026-11-29T07:30:00.000Z');
    expect(canonicalInstant('2026-11-29T07:30Z')).toBe('2026-11-29T07:30:00.000Z');
  });

  it('refuses a missing offset and dates that do not exist', () => {
    expect(canonicalInstant('2026-11-27T17:29:29')).toBeUndefined();
    expect(canonicalInstant('2026-11-27')).toBeUndefined();
    expect(canonicalInstant('2026-02-30T10:00:00Z')).toBeUndefined();
    expect(canonicalInstant('2026-11-27T24:30:00Z')).toBeUndefined();
  });
});

describe('order date and time go to Lizzy in Pacific time', () => {
  it('a Mountain-time order at 00:30-07:00 is 23:30 the day before in Pacific time (W100121)', () => {
    const o = read(byNumber('W100121'));
    expect(o.placedAt).toBe('2026-11-29T07:30:00.000Z');
    const w = toWireOrder(o, TZ);
    expect([w.OrderDate, w.OrderTime]).toEqual(['2026-11-28', '23:30:00']);
  });

  it('W100113 keeps its Pacific wall clock', () => {
    const w = toWireOrder(read(byNumber('W100113')), TZ);
    expect([w.OrderDate, w.OrderTime]).toEqual(['2026-11-27', '17:29:29']);
  });

  it('both 01:30s of the fall-back night read 01:30, each in its own offset', () => {
    expect(orderDateTime('2026-11-01T08:30:00.000Z', TZ)).toEqual({ date: '2026-11-01', time: '01:30:00' }); // PDT
    expect(orderDateTime('2026-11-01T09:30:00.000Z', TZ)).toEqual({ date: '2026-11-01', time: '01:30:00' }); // PST
    expect(orderDateTime('2026-11-01T07:59:59.000Z', TZ)).toEqual({ date: '2026-11-01', time: '00:59:59' });
  });
});

describe('the submitorder payload', () => {
  it('has the Webstore ID and the orders with exactly the contract fields', () => {
    const orders = ['W100113', 'W100121'].map((n) => read(byNumber(n)));
    const p = batchPayload('12345', orders, TZ);
    expect(Object.keys(p).sort()).toEqual(['orders', 'webstoreid']);
    expect(p.webstoreid).toBe('12345');
    expect(p.orders).toHaveLength(2);
    const o = p.orders[0]!;
    expect(Object.keys(o).sort()).toEqual(['BillTo', 'Items', 'OrderDate', 'OrderNumber', 'OrderTime', 'ShipTo', 'Shipping', 'Tax', 'Total'].sort());
    const addressKeys = ['Address1', 'Address2', 'City', 'Country', 'Email', 'Name', 'Phone', 'State', 'Zip'];
    expect(Object.keys(o.ShipTo).sort()).toEqual(addressKeys);
    expect(Object.keys(o.BillTo).sort()).toEqual(addressKeys);
    expect(Object.keys(o.Items[0]!).sort()).toEqual(['Description', 'Manufacturer', 'Price', 'ProductId', 'Quantity']);
    expect(o.OrderNumber).toBe('W100113');
    expect(typeof o.Items[0]!.Quantity).toBe('number');
    expect(o.OrderDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(o.OrderTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it('carries the whole address, identifiers as text (leading zeros kept)', () => {
    const raw = byNumber('W100102');
    raw.items[0].productId = '00123';
    raw.shipTo.zip = '02134';
    const w = toWireOrder(read(raw), TZ);
    expect(w.Items[0]!.ProductId).toBe('00123');
    expect(w.ShipTo.Zip).toBe('02134');
    expect(w.BillTo).toEqual({
      Name: 'Ivy Haskins',
      Email: 'ihaskins85@example.com',
      Phone: '559-555-0171',
      Address1: '4555 Sagebrush Way',
      Address2: 'Apt 307',
      City: 'Fresno',
      State: 'CA',
      Zip: '93721',
      Country: 'US',
    });
  });

  it('masks names, e-mails, phones and street lines for dry runs, and nothing else', () => {
    const w = toWireOrder(read(byNumber('W100102')), TZ);
    const m = maskPersonal(w);
    expect(m.BillTo).toEqual({
      Name: 'I*** H***',
      Email: 'i***@example.com',
      Phone: '***0171',
      Address1: '***',
      Address2: '***',
      City: 'Fresno',
      State: 'CA',
      Zip: '93721',
      Country: 'US',
    });
    expect(JSON.stringify(m)).not.toMatch(/Haskins|Whitaker|Sagebrush|555-01/);
    expect(m.Items).toEqual(w.Items);
    expect(w.BillTo.Name).toBe('Ivy Haskins'); // the original is untouched
  });
});

describe('bad orders are reported with their position and reason; good ones are kept', () => {
  it('collects every problem of an order', () => {
    const good = byNumber('W100113');
    const numeric = { ...byNumber('W100114'), orderNumber: 100114 };
    const noOffset = { ...byNumber('W100115'), placedAt: '2026-11-28T02:21:39' };
    const subCent = byNumber('W100116');
    subCent.items[0].price = 1.005;
    const noItems = { ...byNumber('W100117'), items: [] };
    const badQty = byNumber('W100118');
    badQty.items[0].quantity = 0;
    const noAddress = byNumber('W100119');
    delete noAddress.shipTo.address1;
    noAddress.billTo.zip = 94110;
    const { orders, bad } = readOrderExport([good, numeric, noOffset, subCent, noItems, badQty, noAddress, 'x', byNumber('W100120')]);
    expect(orders.map((o) => o.orderNumber)).toEqual(['W100113', 'W100120']);
    expect(bad.map((b) => b.position)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const reason = (pos: number) => bad.find((b) => b.position === pos)!.message;
    expect(reason(2)).toMatch(/orderNumber must be text in quotes, found the number 100114/);
    expect(reason(3)).toMatch(/placedAt "2026-11-28T02:21:39" is not an ISO 8601 date and time with a UTC offset/);
    expect(reason(4)).toMatch(/items\[0\]\.price 1\.005 has a fraction of a cent/);
    expect(reason(5)).toMatch(/items is empty/);
    expect(reason(6)).toMatch(/items\[0\]\.quantity 0 is not a whole number from 1 to 1,000,000/);
    expect(reason(7)).toMatch(/shipTo\.address1 is missing/);
    expect(reason(7)).toMatch(/billTo\.zip must be text in quotes/);
    expect(reason(8)).toMatch(/expected an order object/);
    expect(bad.find((b) => b.position === 4)!.orderNumber).toBe('W100116');
  });

  it('a repeated order number: identical is imported once, different is bad', () => {
    const a = byNumber('W100113');
    const changed = { ...byNumber('W100113'), total: 99 };
    const { orders, bad, warnings } = readOrderExport([a, byNumber('W100113'), changed]);
    expect(orders).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ position: 2, orderNumber: 'W100113' });
    expect(bad[0]).toMatchObject({ position: 3, orderNumber: 'W100113' });
    expect(bad[0]!.message).toMatch(/already appears at position 1/);
  });

  it('a total that does not add up is a warning, not a rejection (a discount?)', () => {
    const r = readOrder({ ...byNumber('W100113'), total: 20.0 });
    expect(r.problems).toEqual([]);
    expect(r.warnings[0]).toMatch(/total 20\.00 is not items 20\.29 \+ tax 1\.63 \+ shipping 0\.00 = 21\.92/);
  });

  it('sentAt marks an order the webstore already sent; invoiceNumber needs it', () => {
    const r = readOrder({ ...byNumber('W100113'), sentAt: '2026-11-27T18:00:00-08:00', invoiceNumber: 'INV1' });
    expect(r.order).toMatchObject({ sentAt: '2026-11-28T02:00:00.000Z', invoiceNumber: 'INV1' });
    expect(readOrder({ ...byNumber('W100113'), invoiceNumber: 'INV1' }).problems).toEqual(['invoiceNumber is given without sentAt']);
  });

  it('content changes change the hash; the state fields do not', () => {
    const a = read(byNumber('W100113'));
    expect(read(byNumber('W100113')).contentHash).toBe(a.contentHash);
    const moved = byNumber('W100113');
    moved.shipTo.address2 = 'Apt 9';
    expect(read(moved).contentHash).not.toBe(a.contentHash);
    expect(read({ ...byNumber('W100113'), sentAt: '2026-11-28T02:00:00Z' }).contentHash).toBe(a.contentHash);
  });

  it('a file that is not an array is refused as a whole', () => {
    expect(() => readOrderExport({ orders: [] })).toThrow(InputError);
  });
});

describe('orders that cannot be real', () => {
  // Found by a break-it pass: an order placed a year ahead was queued to send, and a
  // 5,000-character order number was accepted while feed names are capped at 200.
  it('an order placed more than a day ahead, or with an order number over 200 characters, is a bad order', () => {
    const now = new Date('2026-12-03T18:00:00Z');
    const base = byNumber('W100120');
    const ahead = { ...base, orderNumber: 'AHEAD-1', placedAt: '2027-12-04T10:00:00-08:00' };
    const soon = { ...base, orderNumber: 'SOON-1', placedAt: '2026-12-04T09:00:00-08:00' };
    const long = { ...base, orderNumber: 'L'.repeat(5000) };
    const { orders, bad } = readOrderExport([ahead, soon, long], now);
    expect(orders.map((o) => o.orderNumber)).toEqual(['SOON-1']);
    expect(bad[0]).toMatchObject({ position: 1, orderNumber: 'AHEAD-1' });
    expect(bad[0]!.message).toContain('is more than a day in the future');
    expect(bad[1]).toMatchObject({ position: 3, message: 'orderNumber is 5,000 characters long; at most 200' });
  });
});
