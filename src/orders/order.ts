/**
 * Reading one order of the webstore's export (camelCase JSON) into the mirror's shape:
 * strict about identifiers (strings, never numbers), instants (ISO 8601 with an offset,
 * stored as canonical UTC) and money (exact cents: an amount with a fraction of a cent is an
 * error, not something to round silently). Pure.
 */
import { createHash } from 'node:crypto';
import type { OrderAddress, OrderData, OrderImport, OrderLine } from '../store/orders.js';
import { formatCents, parseCents } from '../util/money.js';

const ADDRESS_FIELDS: readonly (keyof OrderAddress)[] = ['name', 'email', 'phone', 'address1', 'address2', 'city', 'state', 'zip', 'country'];
/** Without these an order cannot be shipped or billed: such an order is bad, not sent. */
const REQUIRED_ADDRESS_FIELDS: readonly (keyof OrderAddress)[] = ['name', 'address1', 'city', 'state', 'zip'];

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO 8601 instant with an offset ("2026-11-27T17:29:29-08:00", "...Z") as canonical UTC
 * ("2026-11-28T01:29:29.000Z"), or undefined when it is not one (no offset, impossible date).
 */
export function canonicalInstant(text: string): string | undefined {
  const m = ISO_WITH_OFFSET.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00'] = m;
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March; refuse dates and times that do not exist.
  const off = m[8] === 'Z' ? 0 : (m[8]!.startsWith('-') ? -1 : 1) * (Number(m[8]!.slice(1, 3)) * 60 + Number(m[8]!.slice(-2)));
  const wall = new Date(ms + off * 60_000);
  if (
    wall.getUTCFullYear() !== Number(y) ||
    wall.getUTCMonth() + 1 !== Number(mo) ||
    wall.getUTCDate() !== Number(d) ||
    wall.getUTCHours() !== Number(h) ||
    wall.getUTCMinutes() !== Number(mi) ||
    wall.getUTCSeconds() !== Number(s)
  ) {
    return undefined;
  }
  return new Date(ms).toISOString();
}

/**
 * An amount as exact integer cents. JSON numbers are accepted when they are a whole number of
 * cents (19.99, 0.1; float noise such as 0.30000000000000004 is tolerated), strings when they
 * have at most two decimals ("19.99", "1,299.00", "$5"). Negative amounts are refused.
 */
export function readMoney(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${value} is not an amount`;
    const cents = Math.round(value * 100);
    if (Math.abs(value * 100 - cents) > 1e-6) return `${value} has a fraction of a cent`;
    if (cents < 0) return `${value} is negative`;
    if (!Number.isSafeInteger(cents) || cents > 100_000_000_00) return `${value} is too large`;
    return cents === 0 ? 0 : cents; // no -0
  }
  if (typeof value === 'string') {
    const t = value.trim();
    const frac = /\.(\d*)$/.exec(t.replace(/\s/g, ''))?.[1] ?? '';
    if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) return `${JSON.stringify(value)} has a fraction of a cent`;
    const cents = parseCents(t);
    if (cents === undefined) return `${JSON.stringify(value)} is not an amount such as 12.95`;
    if (cents < 0) return `${JSON.stringify(value)} is negative`;
    if (cents > 100_000_000_00) return `${JSON.stringify(value)} is too large`;
    return cents === 0 ? 0 : cents;
  }
  if (value === undefined || value === null) return 'is missing';
  return `${JSON.stringify(value)} is not an amount such as 12.95`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read a text field. Numbers are refused (identifiers and codes lose leading zeros as numbers). */
function readText(obj: Record<string, unknown>, key: string, where: string, problems: string[], required: boolean): string {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) problems.push(`${where}${key} is missing`);
    return '';
  }
  if (typeof v !== 'string') {
    problems.push(`${where}${key} must be text in quotes, found ${typeof v === 'number' ? `the number ${v}` : JSON.stringify(v)}${typeof v === 'number' ? ' (numbers lose leading zeros)' : ''}`);
    return '';
  }
  const t = v.trim();
  if (required && t === '') problems.push(`${where}${key} is empty`);
  if (t.includes('\u0000')) problems.push(`${where}${key} contains a NUL character`);
  return t;
}

function readAddress(obj: Record<string, unknown>, key: 'shipTo' | 'billTo', problems: string[]): OrderAddress {
  const raw = obj[key];
  const a = {} as OrderAddress;
  if (!isObject(raw)) {
    problems.push(raw === undefined || raw === null ? `${key} is missing` : `${key} must be an object with name, email, phone, address1, address2, city, state, zip, country`);
    for (const f of ADDRESS_FIELDS) a[f] = '';
    return a;
  }
  for (const f of ADDRESS_FIELDS) a[f] = readText(raw, f, `${key}.`, problems, REQUIRED_ADDRESS_FIELDS.includes(f));
  return a;
}

function readAmount(obj: Record<string, unknown>, key: string, where: string, problems: string[]): number {
  const c = readMoney(obj[key]);
  if (typeof c === 'string') {
    problems.push(`${where}${key} ${c}`);
    return 0;
  }
  return c;
}

function readQuantity(v: unknown, where: string, problems: string[]): number {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > 1_000_000) {
    problems.push(`${where}quantity ${v === undefined ? 'is missing' : `${JSON.stringify(v)} is not a whole number from 1 to 1,000,000`}`);
    return 1;
  }
  return n;
}

export const MAX_ORDER_NUMBER = 200;

export interface ReadOrder {
  order?: OrderImport;
  /** The order number when one could be read, for messages. */
  orderNumber?: string;
  problems: string[];
  /** Not fatal: the order is kept. */
  warnings: string[];
}

/** Validate one element of the export. Problems make the order bad (reported, not imported). */
export function readOrder(raw: unknown): ReadOrder {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!isObject(raw)) return { problems: [`expected an order object, found ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}`], warnings };
  const orderNumber = readText(raw, 'orderNumber', '', problems, true);
  // Feed names are capped alike: a key this long is a broken export, not an order number.
  if (orderNumber.length > MAX_ORDER_NUMBER) problems.push(`orderNumber is ${orderNumber.length.toLocaleString('en-US')} characters long; at most ${MAX_ORDER_NUMBER}`);
  let placedAt = '';
  if (typeof raw.placedAt !== 'string') {
    problems.push(raw.placedAt === undefined ? 'placedAt is missing' : `placedAt must be an ISO 8601 text such as "2026-11-27T17:29:29-08:00", found ${JSON.stringify(raw.placedAt)}`);
  } else {
    placedAt = canonicalInstant(raw.placedAt) ?? '';
    if (!placedAt) {
      problems.push(
        ISO_WITH_OFFSET.test(raw.placedAt.trim())
          ? `placedAt ${JSON.stringify(raw.placedAt)} is not a real date and time`
          : `placedAt ${JSON.stringify(raw.placedAt)} is not an ISO 8601 date and time with a UTC offset, such as "2026-11-27T17:29:29-08:00"`,
      );
    }
  }
  const shipTo = readAddress(raw, 'shipTo', problems);
  const billTo = readAddress(raw, 'billTo', problems);
  const taxCents = readAmount(raw, 'tax', '', problems);
  const shippingCents = readAmount(raw, 'shipping', '', problems);
  const totalCents = readAmount(raw, 'total', '', problems);
  const items: OrderLine[] = [];
  if (!Array.isArray(raw.items) || raw.items.length === 0) {
    problems.push(Array.isArray(raw.items) ? 'items is empty: an order needs at least one line' : 'items is missing (a list of order lines)');
  } else {
    raw.items.forEach((it, i) => {
      const where = `items[${i}].`;
      if (!isObject(it)) {
        problems.push(`items[${i}] must be an object with productId, manufacturer, description, price, quantity`);
        return;
      }
      items.push({
        productId: readText(it, 'productId', where, problems, true),
        manufacturer: readText(it, 'manufacturer', where, problems, false),
        description: readText(it, 'description', where, problems, false),
        priceCents: readAmount(it, 'price', where, problems),
        quantity: readQuantity(it.quantity, where, problems),
      });
    });
  }
  let sentAt: string | undefined;
  if (raw.sentAt !== undefined && raw.sentAt !== null) {
    sentAt = typeof raw.sentAt === 'string' ? canonicalInstant(raw.sentAt) : undefined;
    if (!sentAt) problems.push(`sentAt ${JSON.stringify(raw.sentAt)} is not an ISO 8601 date and time with a UTC offset`);
  }
  const invoiceNumber = raw.invoiceNumber === undefined || raw.invoiceNumber === null ? undefined : readText(raw, 'invoiceNumber', '', problems, false) || undefined;
  if (invoiceNumber && !sentAt) problems.push('invoiceNumber is given without sentAt');

  const result: ReadOrder = { orderNumber: orderNumber || undefined, problems, warnings };
  if (problems.length > 0) return result;

  const lines = items.reduce((sum, it) => sum + it.priceCents * it.quantity, 0);
  const expected = lines + taxCents + shippingCents;
  if (expected !== totalCents) {
    warnings.push(
      `total ${formatCents(totalCents)} is not items ${formatCents(lines)} + tax ${formatCents(taxCents)} + shipping ${formatCents(shippingCents)} = ${formatCents(expected)} (a discount?); it is sent as it is`,
    );
  }
  const data: OrderData = { orderNumber, placedAt, shipTo, billTo, taxCents, shippingCents, totalCents, items };
  result.order = { ...data, contentHash: orderHash(data), ...(sentAt ? { sentAt } : {}), ...(invoiceNumber ? { invoiceNumber } : {}) };
  return result;
}

/** A digest of everything that is sent to Lizzy; equal digests mean nothing changed. */
export function orderHash(o: OrderData): string {
  const canonical = [
    o.orderNumber,
    o.placedAt,
    ADDRESS_FIELDS.map((f) => o.shipTo[f]),
    ADDRESS_FIELDS.map((f) => o.billTo[f]),
    o.taxCents,
    o.shippingCents,
    o.totalCents,
    o.items.map((it) => [it.productId, it.manufacturer, it.description, it.priceCents, it.quantity]),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
