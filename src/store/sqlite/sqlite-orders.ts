/**
 * The SQLite implementation of OrderStore (see ../orders.ts). Plain functions over the
 * database handle; SqliteStore delegates to them. Every state change is a conditional
 * UPDATE inside an IMMEDIATE transaction, so two processes sharing the file can never
 * claim the same order.
 */
import type Database from 'better-sqlite3';
import type { HeldLock } from '../types.js';
import { checkFence } from './sqlite-stage.js';
import type {
  OrderAddress,
  OrderImport,
  OrderImportOutcome,
  OrderLine,
  OrderSettlement,
  OrderState,
  OrderStatusRow,
  StoredOrder,
} from '../orders.js';

type DB = Database.Database;

/**
 * Prepared statements kept per connection: the push settles and claims a batch every
 * request, and preparing its statements each time was most of a settle's cost.
 */
const prepared = new WeakMap<DB, Map<string, Database.Statement>>();
function stmt(db: DB, sql: string): Database.Statement {
  let m = prepared.get(db);
  if (!m) prepared.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

const ADDRESS_FIELDS = ['name', 'email', 'phone', 'address1', 'address2', 'city', 'state', 'zip', 'country'] as const satisfies readonly (keyof OrderAddress)[];
const SHIP_COLS = ADDRESS_FIELDS.map((f) => `ship_${f}`);
const BILL_COLS = ADDRESS_FIELDS.map((f) => `bill_${f}`);
const CONTENT_COLS = ['placed_at', ...SHIP_COLS, ...BILL_COLS, 'tax_cents', 'shipping_cents', 'total_cents', 'content_hash'];
const STATUS_COLS =
  'order_number, placed_at, state, attempts, last_error, last_attempt_at, picked_up_at, claim_run, claimed_at, sent_at, invoice_number';

/** SQLite allows many more, but a bounded IN list keeps statements cacheable and PostgreSQL-like. */
const CHUNK = 500;

interface StatusDbRow {
  order_number: string;
  placed_at: string;
  state: OrderState;
  attempts: number;
  last_error: string | null;
  last_attempt_at: string | null;
  picked_up_at: string | null;
  claim_run: number | null;
  claimed_at: string | null;
  sent_at: string | null;
  invoice_number: string | null;
}

type OrderDbRow = StatusDbRow & Record<string, unknown>;

interface ItemDbRow {
  order_number: string;
  line_no: number;
  product_id: string;
  manufacturer: string;
  description: string;
  price_cents: number;
  quantity: number;
}

function toStatus(r: StatusDbRow): OrderStatusRow {
  return {
    orderNumber: r.order_number,
    placedAt: r.placed_at,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at,
    pickedUpAt: r.picked_up_at,
    claimRun: r.claim_run,
    claimedAt: r.claimed_at,
    sentAt: r.sent_at,
    invoiceNumber: r.invoice_number,
  };
}

function address(r: Record<string, unknown>, prefix: 'ship' | 'bill'): OrderAddress {
  const a = {} as OrderAddress;
  for (const f of ADDRESS_FIELDS) a[f] = String(r[`${prefix}_${f}`] ?? '');
  return a;
}

function contentValues(o: OrderImport): unknown[] {
  return [
    o.placedAt,
    ...ADDRESS_FIELDS.map((f) => o.shipTo[f]),
    ...ADDRESS_FIELDS.map((f) => o.billTo[f]),
    o.taxCents,
    o.shippingCents,
    o.totalCents,
    o.contentHash,
  ];
}

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export function importOrders(db: DB, orders: OrderImport[], at: string): OrderImportOutcome[] {
  const find = db.prepare<[string], { state: OrderState; content_hash: string }>('SELECT state, content_hash FROM orders WHERE order_number = ?');
  const insert = db.prepare(
    `INSERT INTO orders (order_number, ${CONTENT_COLS.join(', ')}, state, sent_at, invoice_number, imported_at, updated_at)
     VALUES (?, ${marks(CONTENT_COLS.length)}, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE orders SET ${CONTENT_COLS.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE order_number = ? AND state = 'pending'`,
  );
  const markSent = db.prepare(
    `UPDATE orders SET state = 'sent', sent_at = ?, invoice_number = coalesce(?, invoice_number), last_error = NULL, updated_at = ?
     WHERE order_number = ? AND state = 'pending'`,
  );
  const deleteItems = db.prepare('DELETE FROM order_items WHERE order_number = ?');
  const insertItem = db.prepare(
    'INSERT INTO order_items (order_number, line_no, product_id, manufacturer, description, price_cents, quantity) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const writeItems = (o: OrderImport) => {
    deleteItems.run(o.orderNumber);
    o.items.forEach((it, i) => insertItem.run(o.orderNumber, i + 1, it.productId, it.manufacturer, it.description, it.priceCents, it.quantity));
  };
  return db
    .transaction((): OrderImportOutcome[] =>
      orders.map((o): OrderImportOutcome => {
        const old = find.get(o.orderNumber);
        if (!old) {
          insert.run(o.orderNumber, ...contentValues(o), o.sentAt ? 'sent' : 'pending', o.sentAt ?? null, o.invoiceNumber ?? null, at, at);
          writeItems(o);
          return 'added';
        }
        const same = old.content_hash === o.contentHash;
        if (old.state === 'pending') {
          if (!same) {
            update.run(...contentValues(o), at, o.orderNumber);
            writeItems(o);
          }
          if (o.sentAt) {
            markSent.run(o.sentAt, o.invoiceNumber ?? null, at, o.orderNumber);
            return 'marked_sent';
          }
          return same ? 'unchanged' : 'updated';
        }
        if (same) return 'unchanged';
        return old.state === 'sent' ? 'kept_sent' : 'kept_sending';
      }),
    )
    .immediate();
}

export function orderQueue(db: DB, sentSince: string): OrderStatusRow[] {
  const rows = db
    .prepare<[string], StatusDbRow>(
      `SELECT ${STATUS_COLS} FROM orders
       WHERE state IN ('pending', 'sending') OR (state = 'sent' AND placed_at >= ?)
       ORDER BY placed_at, order_number`,
    )
    .all(sentSince);
  return rows.map(toStatus);
}

function getOrdersSync(db: DB, orderNumbers: string[]): StoredOrder[] {
  const byNumber = new Map<string, StoredOrder>();
  for (const part of chunks(orderNumbers)) {
    const rows = stmt(db, `SELECT * FROM orders WHERE order_number IN (${marks(part.length)})`).all(...part) as OrderDbRow[];
    const items = stmt(db, `SELECT * FROM order_items WHERE order_number IN (${marks(part.length)}) ORDER BY order_number, line_no`).all(...part) as ItemDbRow[];
    const lines = new Map<string, OrderLine[]>();
    for (const it of items) {
      let list = lines.get(it.order_number);
      if (!list) lines.set(it.order_number, (list = []));
      list.push({ productId: it.product_id, manufacturer: it.manufacturer, description: it.description, priceCents: it.price_cents, quantity: it.quantity });
    }
    for (const r of rows) {
      byNumber.set(r.order_number, {
        ...toStatus(r),
        shipTo: address(r, 'ship'),
        billTo: address(r, 'bill'),
        taxCents: r.tax_cents as number,
        shippingCents: r.shipping_cents as number,
        totalCents: r.total_cents as number,
        items: lines.get(r.order_number) ?? [],
      });
    }
  }
  return orderNumbers.map((n) => byNumber.get(n)).filter((o): o is StoredOrder => o !== undefined);
}

export function getOrders(db: DB, orderNumbers: string[]): StoredOrder[] {
  return getOrdersSync(db, orderNumbers);
}

export function markPickedUp(db: DB, orderNumbers: string[], at: string): void {
  db.transaction(() => {
    for (const part of chunks(orderNumbers)) {
      db.prepare(`UPDATE orders SET picked_up_at = ? WHERE picked_up_at IS NULL AND order_number IN (${marks(part.length)})`).run(at, ...part);
    }
  }).immediate();
}

export function claimOrders(db: DB, orderNumbers: string[], claim: { runId: number; at: string; countAttempt: boolean; fence?: HeldLock }): StoredOrder[] {
  // The claim is the one write that must reach the disk before the request goes out: with the
  // connection's usual synchronous = NORMAL, a power cut could roll a committed claim back
  // after Lizzy had the orders, and the next run would send them again. A lost "sent" mark
  // is harmless (the order stays "sending" and is reconciled), so only the claim pays for
  // the sync.
  db.pragma('synchronous = FULL');
  try {
    return claimTransaction(db, orderNumbers, claim);
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

function claimTransaction(db: DB, orderNumbers: string[], claim: { runId: number; at: string; countAttempt: boolean; fence?: HeldLock }): StoredOrder[] {
  return db
    .transaction((): StoredOrder[] => {
      if (claim.fence) checkFence(db, claim.fence);
      const claimed = new Set<string>();
      for (const part of chunks(orderNumbers)) {
        const rows = stmt(
          db,
          `UPDATE orders SET state = 'sending', claim_run = ?, claimed_at = ?, attempts = attempts + ?, last_attempt_at = ?,
               picked_up_at = coalesce(picked_up_at, ?), updated_at = ?
             WHERE state = 'pending' AND order_number IN (${marks(part.length)})
             RETURNING order_number`,
        )
          .all(claim.runId, claim.at, claim.countAttempt ? 1 : 0, claim.at, claim.at, claim.at, ...part) as { order_number: string }[];
        for (const r of rows) claimed.add(r.order_number);
      }
      return getOrdersSync(
        db,
        orderNumbers.filter((n) => claimed.has(n)),
      );
    })
    .immediate();
}

export function settleOrders(db: DB, settlements: OrderSettlement[], claim: { runId: number; at: string }): number {
  const sent = stmt(
    db,
    `UPDATE orders SET state = 'sent', sent_at = ?, invoice_number = coalesce(?, invoice_number), last_error = NULL, updated_at = ?
     WHERE order_number = ? AND state = 'sending' AND claim_run = ?`,
  );
  const pending = stmt(
    db,
    `UPDATE orders SET state = 'pending', last_error = ?, updated_at = ? WHERE order_number = ? AND state = 'sending' AND claim_run = ?`,
  );
  const unknown = stmt(db, `UPDATE orders SET last_error = ?, updated_at = ? WHERE order_number = ? AND state = 'sending' AND claim_run = ?`);
  const released = stmt(
    db,
    `UPDATE orders SET state = 'pending', attempts = max(attempts - 1, 0), last_error = coalesce(?, last_error), updated_at = ? WHERE order_number = ? AND state = 'sending' AND claim_run = ?`,
  );
  return db
    .transaction((): number => {
      let changed = 0;
      for (const s of settlements) {
        if (s.outcome === 'sent') changed += sent.run(claim.at, s.invoiceNumber ?? null, claim.at, s.orderNumber, claim.runId).changes;
        else if (s.outcome === 'pending') changed += pending.run(s.error ?? null, claim.at, s.orderNumber, claim.runId).changes;
        else if (s.outcome === 'released') changed += released.run(s.error ?? null, claim.at, s.orderNumber, claim.runId).changes;
        else changed += unknown.run(s.error ?? null, claim.at, s.orderNumber, claim.runId).changes;
      }
      return changed;
    })
    .immediate();
}

/** A "sending" order may be reconciled once its claim is older than the caller's cut-off (request timeout + grace). */
const RECONCILABLE = `state = 'sending' AND claimed_at < ?`;

export function sendingToReconcile(db: DB, claimedBefore: string): OrderStatusRow[] {
  return db
    .prepare<[string], StatusDbRow>(`SELECT ${STATUS_COLS} FROM orders WHERE ${RECONCILABLE} ORDER BY placed_at, order_number`)
    .all(claimedBefore)
    .map(toStatus);
}

export function adoptSending(db: DB, orderNumbers: string[], claim: { runId: number; at: string; claimedBefore: string }): string[] {
  return db
    .transaction((): string[] => {
      const taken: string[] = [];
      for (const part of chunks(orderNumbers)) {
        const rows = db
          .prepare(
            `UPDATE orders SET claim_run = ?, claimed_at = ?, updated_at = ?
             WHERE ${RECONCILABLE} AND order_number IN (${marks(part.length)})
             RETURNING order_number`,
          )
          .all(claim.runId, claim.at, claim.at, claim.claimedBefore, ...part) as { order_number: string }[];
        taken.push(...rows.map((r) => r.order_number));
      }
      return taken;
    })
    .immediate();
}

export function ordersNeedingAttention(db: DB, maxAttempts: number): OrderStatusRow[] {
  return db
    .prepare<[number], StatusDbRow>(`SELECT ${STATUS_COLS} FROM orders WHERE state <> 'sent' AND attempts >= ? ORDER BY placed_at, order_number`)
    .all(maxAttempts)
    .map(toStatus);
}
