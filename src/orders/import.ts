/**
 * `orders import FILE`: the webstore's order export (a JSON array) into the mirror.
 * Idempotent: the same file twice changes nothing. A changed order that was not sent yet is
 * updated; a sent order is never changed. Bad orders are reported with their position (1-based)
 * and reason; the good ones are kept, all in one transaction.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import { InputError } from '../errors.js';
import type { OrderImport } from '../store/orders.js';
import type { Store } from '../store/store.js';
import { readOrder } from './order.js';

export interface OrderProblem {
  /** 1-based position of the order in the file's array. */
  position: number;
  orderNumber?: string;
  message: string;
}

export interface OrderImportSummary {
  file: string;
  orders: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Pending in the mirror; the file says it was sent already. */
  markedSent: number;
  /** Sent already; the file's changed content was not applied (change it in Lizzy by hand if needed). */
  keptSent: string[];
  /** Being sent (outcome unknown); the changed content was not applied. Import again after the next push. */
  keptSending: string[];
  bad: OrderProblem[];
  warnings: OrderProblem[];
}

/** Validate the parsed export; pure. */
/** An order placed further ahead than this is a wrong clock or a wrong export, not an order to send. */
const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

export function readOrderExport(parsed: unknown, now?: Date): { orders: OrderImport[]; bad: OrderProblem[]; warnings: OrderProblem[] } {
  if (!Array.isArray(parsed)) {
    throw new InputError(`The orders file must hold a JSON array of orders, found ${parsed === null ? 'null' : typeof parsed === 'object' ? 'an object' : typeof parsed}.`, {
      hint: 'Export the orders as [ { "orderNumber": "...", "placedAt": "...", ... }, ... ].',
    });
  }
  const orders: OrderImport[] = [];
  const bad: OrderProblem[] = [];
  const warnings: OrderProblem[] = [];
  const seen = new Map<string, { position: number; hash: string }>();
  parsed.forEach((raw, i) => {
    const position = i + 1;
    const r = readOrder(raw);
    if (!r.order) {
      bad.push({ position, orderNumber: r.orderNumber, message: r.problems.join('; ') });
      return;
    }
    // Found by a break-it pass: an order placed a year ahead was queued to send.
    if (now && Date.parse(r.order.placedAt) > now.getTime() + FUTURE_TOLERANCE_MS) {
      bad.push({ position, orderNumber: r.order.orderNumber, message: `placedAt ${r.order.placedAt} is more than a day in the future: the webstore's clock or the export is wrong; fix it and import again` });
      return;
    }
    const first = seen.get(r.order.orderNumber);
    if (first) {
      if (first.hash === r.order.contentHash) {
        warnings.push({ position, orderNumber: r.order.orderNumber, message: `repeats order ${r.order.orderNumber} of position ${first.position} exactly; imported once` });
      } else {
        bad.push({ position, orderNumber: r.order.orderNumber, message: `order number ${r.order.orderNumber} already appears at position ${first.position} with different content; the first one is kept` });
      }
      return;
    }
    seen.set(r.order.orderNumber, { position, hash: r.order.contentHash });
    for (const w of r.warnings) warnings.push({ position, orderNumber: r.order.orderNumber, message: w });
    orders.push(r.order);
  });
  return { orders, bad, warnings };
}

export async function importOrdersFile(store: Store, file: string, clock: Clock): Promise<OrderImportSummary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not valid JSON: ${(err as Error).message}`, { hint: 'Nothing was imported.' });
  }
  const { orders, bad, warnings } = readOrderExport(parsed, clock());
  const outcomes = orders.length > 0 ? await store.importOrders(orders, clock().toISOString()) : [];
  const summary: OrderImportSummary = {
    file,
    orders: Array.isArray(parsed) ? parsed.length : 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    markedSent: 0,
    keptSent: [],
    keptSending: [],
    bad,
    warnings,
  };
  outcomes.forEach((o, i) => {
    const n = orders[i]!.orderNumber;
    if (o === 'added') summary.added++;
    else if (o === 'updated') summary.updated++;
    else if (o === 'unchanged') summary.unchanged++;
    else if (o === 'marked_sent') summary.markedSent++;
    else if (o === 'kept_sent') summary.keptSent.push(n);
    else summary.keptSending.push(n);
  });
  return summary;
}
