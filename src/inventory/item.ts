import { pickItemFields } from '../lizzy/wire.js';
import type { StagedFeedItem } from '../store/types.js';
import { formatCents, hasFractionOfCent, parseCents, THOUSANDS } from '../util/money.js';

/** The longest vendor name, item number, part number or brand read (keys, indexed in both stores). */
export const MAX_NAME_LENGTH = 200;

/** One feed item after the tolerant reader: identifiers as strings, values checked. */
export interface FeedItem {
  /** 1-based position in the feed. */
  position: number;
  vendor?: string;
  itemNumber?: string;
  description?: string;
  /** Whole, non-negative quantity; undefined when the item is invalid. */
  quantity?: number;
  /** List price in cents; undefined when missing, zero or unreadable (see priceProblem). */
  priceCents?: number;
  priceProblem?: string;
  /** Why the item cannot be used, if it cannot. */
  invalid?: string;
  /** Things the reader changed or noticed. */
  notes: string[];
  /**
   * Earlier feed items with the same vendor and item number, which this one supersedes
   * (set when the feed was de-duplicated before planning, in the streaming pull).
   */
  earlier?: Array<{ position: number; quantity?: number }>;
}

const QTY = /^([+-])?(\d+)(?:\.(\d*))?$/;

/** Read one parsed feed element into a FeedItem. Never throws. */
export function readFeedItem(element: unknown, position: number): FeedItem {
  const item: FeedItem = { position, notes: [] };
  if (!element || typeof element !== 'object' || Array.isArray(element)) {
    item.invalid = `feed element is not an object (${JSON.stringify(element)?.slice(0, 40)})`;
    return item;
  }
  let conflicts: Array<[string, [string, unknown][]]> | undefined;
  const raw = pickItemFields(element as Record<string, unknown>, (field, keys) => (conflicts ??= []).push([field, keys]));
  // Which of two quantities Lizzy meant is a guess: the item is invalid (the product keeps its
  // quantity); for the other fields the canonical key is used and the report says so (found
  // by a break-it pass: one was applied silently).
  if (conflicts) {
    for (const [field, keys] of conflicts) {
      const label = field === 'listPrice' ? 'list price' : field === 'itemNumber' ? 'item number' : field === 'vendorName' ? 'vendor name' : field;
      const text = `${label} given twice with different values (${keys.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')})`;
      if (field === 'quantity') item.invalid ??= text;
      else item.notes.push(`${text}: ${JSON.stringify(raw[field as keyof typeof raw])} used`);
    }
  }

  // Vendor: exact as sent.
  if (typeof raw.vendorName === 'string') item.vendor = raw.vendorName;
  else if (typeof raw.vendorName === 'number') {
    item.vendor = String(raw.vendorName);
    item.notes.push('vendor name arrived as a number');
  }
  // Item number: a string exactly as sent; a JSON number is used as its digits.
  if (typeof raw.itemNumber === 'string') item.itemNumber = raw.itemNumber;
  else if (typeof raw.itemNumber === 'number' && Number.isFinite(raw.itemNumber)) {
    item.itemNumber = Number.isSafeInteger(raw.itemNumber) ? String(raw.itemNumber) : undefined;
    item.notes.push(
      item.itemNumber !== undefined
        ? 'item number arrived as a JSON number: used as its decimal digits (leading zeros, if any, are lost)'
        : `item number arrived as an unusable JSON number (${raw.itemNumber})`,
    );
  }
  if (typeof raw.description === 'string') item.description = raw.description;

  // A NUL character cannot be stored (PostgreSQL text refuses it) and is never part of a real name.
  if (item.description?.includes('\u0000')) item.description = item.description.replace(/\u0000/g, '');
  if (item.vendor?.includes('\u0000') || item.itemNumber?.includes('\u0000')) {
    item.invalid = 'vendor name or item number contains a NUL character';
    item.vendor = item.vendor?.replace(/\u0000/g, '\uFFFD');
    item.itemNumber = item.itemNumber?.replace(/\u0000/g, '\uFFFD');
  }
  // Names are keys (indexed in both stores; PostgreSQL refuses an index entry over 2,704
  // bytes): a longer one is junk, reported as invalid, and kept short enough to stage.
  for (const [field, label] of [
    ['vendor', 'vendor name'],
    ['itemNumber', 'item number'],
  ] as const) {
    const v = item[field];
    if (v !== undefined && v.length > MAX_NAME_LENGTH) {
      item.invalid ??= `${label} is ${v.length.toLocaleString('en-US')} characters long; at most ${MAX_NAME_LENGTH} are read`;
      item[field] = `${v.slice(0, MAX_NAME_LENGTH)}…`;
    }
  }
  if (item.vendor === undefined || item.vendor.trim() === '') {
    item.invalid ??= 'no vendor name';
  } else if (item.itemNumber === undefined || item.itemNumber.trim() === '') {
    item.invalid ??= 'no item number';
  }

  // Quantity.
  const q = raw.quantity;
  if (q === undefined || q === null || (typeof q === 'string' && q.trim() === '')) {
    item.invalid ??= 'quantity is missing';
  } else {
    const t = typeof q === 'string' ? q.trim() : '';
    const s =
      typeof q === 'number' ? (Number.isFinite(q) ? String(q) : '') : typeof q === 'string' ? (t.includes(',') && THOUSANDS.test(t) ? t.replace(/,/g, '') : t) : '';
    const m = /e/i.test(s) && typeof q === 'number' ? null : QTY.exec(s);
    let n: number | undefined;
    if (m) n = Number(s);
    else if (typeof q === 'number' && Number.isFinite(q)) n = q;
    if (n === undefined || !Number.isFinite(n) || Math.abs(n) > 2_000_000_000) {
      // A number that reads but is out of range is "too large", not "not a number" (found by a break-it pass).
      item.invalid ??=
        typeof q === 'number' && !Number.isFinite(q)
          ? 'quantity is a number too large to read'
          : n !== undefined && Number.isFinite(n)
            ? `quantity ${s} is out of range (beyond ±2,000,000,000)`
            : `quantity ${JSON.stringify(q)} is not a number`;
    } else {
      let qty = n;
      if (!Number.isInteger(qty)) {
        item.notes.push(`fractional quantity ${s} rounded down`);
        qty = Math.floor(qty);
      }
      if (qty < 0) {
        item.notes.push(`negative quantity ${s} applied as 0`);
        qty = 0;
      }
      item.quantity = qty;
    }
  }

  // Price.
  const p = raw.listPrice;
  if (p === undefined || p === null || (typeof p === 'string' && p.trim() === '')) {
    item.priceProblem = 'no list price';
  } else {
    const cents = parseCents(p);
    if (cents === undefined)
      item.priceProblem = typeof p === 'number' && !Number.isFinite(p) ? 'list price is a number too large to read' : `list price ${JSON.stringify(p)} is unreadable`;
    else if (cents <= 0) item.priceProblem = `list price ${JSON.stringify(p)} is not above zero`;
    else {
      item.priceCents = cents;
      if (hasFractionOfCent(p)) item.notes.push(`list price ${JSON.stringify(p)} has fractions of a cent: rounded to ${formatCents(cents)}`);
    }
  }
  return item;
}

/** A FeedItem as the store stages it (the description is not staged: planning never reads it). */
export function toStaged(it: FeedItem): StagedFeedItem {
  return {
    position: it.position,
    vendor: it.vendor ?? null,
    itemNumber: it.itemNumber ?? null,
    quantity: it.quantity ?? null,
    priceCents: it.priceCents ?? null,
    priceProblem: it.priceProblem ?? null,
    invalid: it.invalid ?? null,
    notes: it.notes,
  };
}

/** Back from the stage, with the earlier duplicates this item supersedes. */
export function fromStaged(s: StagedFeedItem): FeedItem {
  const it: FeedItem = { position: s.position, notes: s.notes };
  if (s.vendor !== null) it.vendor = s.vendor;
  if (s.itemNumber !== null) it.itemNumber = s.itemNumber;
  if (s.quantity !== null) it.quantity = s.quantity;
  if (s.priceCents !== null) it.priceCents = s.priceCents;
  if (s.priceProblem !== null) it.priceProblem = s.priceProblem;
  if (s.invalid !== null) it.invalid = s.invalid;
  if (s.earlier) it.earlier = s.earlier;
  return it;
}
