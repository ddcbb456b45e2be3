/**
 * The PostgreSQL implementation of OrderStore (see ../orders.ts), mirroring the SQLite one.
 * Claims lock the candidate rows FOR UPDATE SKIP LOCKED and move them from pending to
 * sending in the same statement, so two processes (on two machines) never send one order.
 * Instants come back as canonical ISO strings, as the interface promises.
 */
import type { PoolClient } from 'pg';
import type { OrderAddress, OrderImport, OrderImportOutcome, OrderLine, OrderSettlement, OrderStatusRow, StoredOrder } from '../orders.js';
import type { HeldLock } from '../types.js';
import { checkFence } from './pg-stage.js';
import type { PgStore } from './pg-store.js';

const ADDRESS_FIELDS = ['name', 'email', 'phone', 'address1', 'address2', 'city', 'state', 'zip', 'country'] as const satisfies readonly (keyof OrderAddress)[];
const CONTENT_COLS = [
  'placed_at',
  ...ADDRESS_FIELDS.map((f) => `ship_${f}`),
  ...ADDRESS_FIELDS.map((f) => `bill_${f}`),
  'tax_cents',
  'shipping_cents',
  'total_cents',
  'content_hash',
];
const STATUS_COLS = 'order_number, placed_at, state, attempts, last_error, last_attempt_at, picked_up_at, claim_run, claimed_at, sent_at, invoice_number';
const ORDER = 'ORDER BY placed_at, order_number COLLATE "C"';

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function toStatus(r: Record<string, any>): OrderStatusRow {
  return {
    orderNumber: r.order_number,
    placedAt: iso(r.placed_at)!,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    lastAttemptAt: iso(r.last_attempt_at),
    pickedUpAt: iso(r.picked_up_at),
    claimRun: r.claim_run === null ? null : Number(r.claim_run),
    claimedAt: iso(r.claimed_at),
    sentAt: iso(r.sent_at),
    invoiceNumber: r.invoice_number,
  };
}

function address(r: Record<string, unknown>, prefix: 'ship' | 'bill'): OrderAddress {
  const a = {} as OrderAddress;
  for (const f of ADDRESS_FIELDS) a[f] = String(r[`${prefix}_${f}`] ?? '');
  return a;
}

function contentValues(o: OrderImport): unknown[] {
  return [o.placedAt, ...ADDRESS_FIELDS.map((f) => o.shipTo[f]), ...ADDRESS_FIELDS.map((f) => o.billTo[f]), o.taxCents, o.shippingCents, o.totalCents, o.contentHash];
}

const params = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

async function writeItems(s: PgStore, c: PoolClient, o: OrderImport) {
  await c.query(`DELETE FROM ${s.t('order_items')} WHERE order_number = $1`, [o.orderNumber]);
  if (o.items.length === 0) return;
  await c.query(
    `INSERT INTO ${s.t('order_items')} (order_number, line_no, product_id, manufacturer, description, price_cents, quantity)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[])`,
    [
      o.orderNumber,
      o.items.map((_, i) => i + 1),
      o.items.map((it) => it.productId),
      o.items.map((it) => it.manufacturer),
      o.items.map((it) => it.description),
      o.items.map((it) => it.priceCents),
      o.items.map((it) => it.quantity),
    ],
  );
}

export async function importOrders(s: PgStore, orders: OrderImport[], at: string): Promise<OrderImportOutcome[]> {
  const O = s.t('orders');
  return s.tx(async (c) => {
    // Imports into one schema take turns: two files racing on the same order number must not
    // leave one file's header with the other's lines.
    await c.query("SELECT pg_advisory_xact_lock(hashtext('lizzy-sync:orders-import'), hashtext($1))", [s.schema]);
    const out: OrderImportOutcome[] = [];
    for (const o of orders) {
      const { rows } = await c.query(`SELECT state, content_hash FROM ${O} WHERE order_number = $1 FOR UPDATE`, [o.orderNumber]);
      const old = rows[0] as { state: string; content_hash: string } | undefined;
      if (!old) {
        const n = CONTENT_COLS.length;
        await c.query(
          `INSERT INTO ${O} (order_number, ${CONTENT_COLS.join(', ')}, state, sent_at, invoice_number, imported_at, updated_at)
           VALUES ($1, ${params(2, n)}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 5})
           ON CONFLICT (order_number) DO NOTHING`,
          [o.orderNumber, ...contentValues(o), o.sentAt ? 'sent' : 'pending', o.sentAt ?? null, o.invoiceNumber ?? null, at],
        );
        await writeItems(s, c, o);
        out.push('added');
        continue;
      }
      const same = old.content_hash === o.contentHash;
      if (old.state === 'pending') {
        if (!same) {
          const n = CONTENT_COLS.length;
          await c.query(`UPDATE ${O} SET ${CONTENT_COLS.map((col, i) => `${col} = $${i + 1}`).join(', ')}, updated_at = $${n + 1} WHERE order_number = $${n + 2} AND state = 'pending'`, [
            ...contentValues(o),
            at,
            o.orderNumber,
          ]);
          await writeItems(s, c, o);
        }
        if (o.sentAt) {
          await c.query(
            `UPDATE ${O} SET state = 'sent', sent_at = $1, invoice_number = coalesce($2, invoice_number), last_error = NULL, updated_at = $3 WHERE order_number = $4 AND state = 'pending'`,
            [o.sentAt, o.invoiceNumber ?? null, at, o.orderNumber],
          );
          out.push('marked_sent');
          continue;
        }
        out.push(same ? 'unchanged' : 'updated');
        continue;
      }
      out.push(same ? 'unchanged' : old.state === 'sent' ? 'kept_sent' : 'kept_sending');
    }
    return out;
  });
}

export async function orderQueue(s: PgStore, sentSince: string): Promise<OrderStatusRow[]> {
  const { rows } = await s.pool.query(
    `SELECT ${STATUS_COLS} FROM ${s.t('orders')} WHERE state IN ('pending', 'sending') OR (state = 'sent' AND placed_at >= $1) ${ORDER}`,
    [sentSince],
  );
  return rows.map(toStatus);
}

export async function getOrders(s: PgStore, orderNumbers: string[], client?: PoolClient): Promise<StoredOrder[]> {
  if (orderNumbers.length === 0) return [];
  const q = client ?? s.pool;
  const { rows } = await q.query(`SELECT * FROM ${s.t('orders')} WHERE order_number = ANY($1::text[])`, [orderNumbers]);
  const items = await q.query(`SELECT * FROM ${s.t('order_items')} WHERE order_number = ANY($1::text[]) ORDER BY order_number, line_no`, [orderNumbers]);
  const lines = new Map<string, OrderLine[]>();
  for (const it of items.rows) {
    let list = lines.get(it.order_number);
    if (!list) lines.set(it.order_number, (list = []));
    list.push({ productId: it.product_id, manufacturer: it.manufacturer, description: it.description, priceCents: Number(it.price_cents), quantity: it.quantity });
  }
  const byNumber = new Map<string, StoredOrder>();
  for (const r of rows) {
    byNumber.set(r.order_number, {
      ...toStatus(r),
      shipTo: address(r, 'ship'),
      billTo: address(r, 'bill'),
      taxCents: Number(r.tax_cents),
      shippingCents: Number(r.shipping_cents),
      totalCents: Number(r.total_cents),
      items: lines.get(r.order_number) ?? [],
    });
  }
  return orderNumbers.map((n) => byNumber.get(n)).filter((o): o is StoredOrder => o !== undefined);
}

export async function markPickedUp(s: PgStore, orderNumbers: string[], at: string): Promise<void> {
  await s.pool.query(`UPDATE ${s.t('orders')} SET picked_up_at = $1 WHERE picked_up_at IS NULL AND order_number = ANY($2::text[])`, [at, orderNumbers]);
}

export async function claimOrders(s: PgStore, orderNumbers: string[], claim: { runId: number; at: string; countAttempt: boolean; fence?: HeldLock }): Promise<StoredOrder[]> {
  const O = s.t('orders');
  return s.tx(async (c) => {
    if (claim.fence) await checkFence(s, c, claim.fence);
    const { rows } = await c.query(
      `WITH candidates AS (
         SELECT order_number FROM ${O} WHERE state = 'pending' AND order_number = ANY($1::text[]) FOR UPDATE SKIP LOCKED
       )
       UPDATE ${O} o SET state = 'sending', claim_run = $2, claimed_at = $3, attempts = attempts + $4, last_attempt_at = $3,
         picked_up_at = coalesce(picked_up_at, $3), updated_at = $3
       FROM candidates WHERE o.order_number = candidates.order_number AND o.state = 'pending'
       RETURNING o.order_number`,
      [orderNumbers, claim.runId, claim.at, claim.countAttempt ? 1 : 0],
    );
    const claimed = new Set(rows.map((r) => r.order_number as string));
    return getOrders(
      s,
      orderNumbers.filter((n) => claimed.has(n)),
      c,
    );
  });
}

export async function settleOrders(s: PgStore, settlements: OrderSettlement[], claim: { runId: number; at: string }): Promise<number> {
  const O = s.t('orders');
  return s.tx(async (c) => {
    let changed = 0;
    for (const st of settlements) {
      let r;
      if (st.outcome === 'sent') {
        r = await c.query(
          `UPDATE ${O} SET state = 'sent', sent_at = $1, invoice_number = coalesce($2, invoice_number), last_error = NULL, updated_at = $1
           WHERE order_number = $3 AND state = 'sending' AND claim_run = $4`,
          [claim.at, st.invoiceNumber ?? null, st.orderNumber, claim.runId],
        );
      } else if (st.outcome === 'released') {
        r = await c.query(
          `UPDATE ${O} SET state = 'pending', attempts = greatest(attempts - 1, 0), last_error = coalesce($4, last_error), updated_at = $1 WHERE order_number = $2 AND state = 'sending' AND claim_run = $3`,
          [claim.at, st.orderNumber, claim.runId, st.error ?? null],
        );
      } else if (st.outcome === 'pending') {
        r = await c.query(`UPDATE ${O} SET state = 'pending', last_error = $1, updated_at = $2 WHERE order_number = $3 AND state = 'sending' AND claim_run = $4`, [
          st.error ?? null,
          claim.at,
          st.orderNumber,
          claim.runId,
        ]);
      } else {
        r = await c.query(`UPDATE ${O} SET last_error = $1, updated_at = $2 WHERE order_number = $3 AND state = 'sending' AND claim_run = $4`, [
          st.error ?? null,
          claim.at,
          st.orderNumber,
          claim.runId,
        ]);
      }
      changed += r.rowCount ?? 0;
    }
    return changed;
  });
}

function reconcilable(s: PgStore, p: string): string {
  void s;
  return `state = 'sending' AND claimed_at < ${p}`;
}

export async function sendingToReconcile(s: PgStore, claimedBefore: string): Promise<OrderStatusRow[]> {
  const { rows } = await s.pool.query(`SELECT ${STATUS_COLS} FROM ${s.t('orders')} WHERE ${reconcilable(s, '$1')} ${ORDER}`, [claimedBefore]);
  return rows.map(toStatus);
}

export async function adoptSending(s: PgStore, orderNumbers: string[], claim: { runId: number; at: string; claimedBefore: string }): Promise<string[]> {
  const O = s.t('orders');
  return s.tx(async (c) => {
    const { rows } = await c.query(
      `WITH candidates AS (
         SELECT order_number FROM ${O} WHERE ${reconcilable(s, '$4')} AND order_number = ANY($1::text[]) FOR UPDATE SKIP LOCKED
       )
       UPDATE ${O} o SET claim_run = $2, claimed_at = $3, updated_at = $3
       FROM candidates WHERE o.order_number = candidates.order_number
       RETURNING o.order_number`,
      [orderNumbers, claim.runId, claim.at, claim.claimedBefore],
    );
    const taken = new Set(rows.map((r) => r.order_number as string));
    return orderNumbers.filter((n) => taken.has(n));
  });
}

export async function ordersNeedingAttention(s: PgStore, maxAttempts: number): Promise<OrderStatusRow[]> {
  const { rows } = await s.pool.query(`SELECT ${STATUS_COLS} FROM ${s.t('orders')} WHERE state <> 'sent' AND attempts >= $1 ${ORDER}`, [maxAttempts]);
  return rows.map(toStatus);
}
