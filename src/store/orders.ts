/**
 * The order side of the store: the webstore's orders, their lines, and their push state.
 *
 * Money is integer cents; identifiers are strings; instants are canonical UTC ISO strings
 * (`Date.prototype.toISOString()`, e.g. 2026-11-28T01:29:29.000Z) so that they compare as text.
 * Every method is async so that a PostgreSQL store can implement the same interface.
 *
 * The push state machine:
 *
 *   pending ──claim──► sending ──2xx──► sent
 *      ▲                  │
 *      └─ refused/failed ─┤  (outcome unknown: stays "sending" until a later run asks
 *                         │   Lizzy with /orderstatus, then → sent or → pending)
 *
 * Only claimOrders moves an order out of "pending", and it does so with one conditional
 * UPDATE (WHERE state = 'pending'), so two processes can never send the same order.
 */

import type { HeldLock } from './types.js';

export type OrderState = 'pending' | 'sending' | 'sent';

export interface OrderAddress {
  name: string;
  email: string;
  phone: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export interface OrderLine {
  productId: string;
  manufacturer: string;
  description: string;
  priceCents: number;
  quantity: number;
}

/** An order's content, as the webstore exported it (validated and normalised). */
export interface OrderData {
  orderNumber: string;
  /** Canonical UTC ISO instant. */
  placedAt: string;
  shipTo: OrderAddress;
  billTo: OrderAddress;
  taxCents: number;
  shippingCents: number;
  totalCents: number;
  items: OrderLine[];
}

/** What the importer hands the store: the content, its hash, and optionally "already sent". */
export interface OrderImport extends OrderData {
  /** A digest of the content; equal digests mean an unchanged order. */
  contentHash: string;
  /** The webstore says this order already reached Lizzy (for example through the old integration). */
  sentAt?: string;
  invoiceNumber?: string;
}

/** The push state of one order, without its content. */
export interface OrderStatusRow {
  orderNumber: string;
  placedAt: string;
  state: OrderState;
  /** How many runs tried to send it (a batch refused as a whole and retried order by order in the same run counts once). */
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** The first time a (non-dry) run picked it up for sending; from then on it stays eligible until sent, whatever its age. */
  pickedUpAt: string | null;
  /** The run that moved it to "sending", and when. */
  claimRun: number | null;
  claimedAt: string | null;
  sentAt: string | null;
  invoiceNumber: string | null;
}

export interface StoredOrder extends OrderData, OrderStatusRow {}

export type OrderImportOutcome =
  /** New in the mirror. */
  | 'added'
  /** Not yet sent; its content changed and was updated. */
  | 'updated'
  | 'unchanged'
  /** Not yet sent in the mirror; the file says it was sent, so it is marked sent. */
  | 'marked_sent'
  /** Already sent; the file's different content was NOT applied. */
  | 'kept_sent'
  /** Being sent right now (or its outcome is unknown); the file's different content was NOT applied. */
  | 'kept_sending';

/** How a claimed order ends a request. */
export interface OrderSettlement {
  orderNumber: string;
  /**
   * sent: Lizzy accepted it; pending: not accepted, try again later; unknown: stays "sending"
   * for reconcile; released: back to pending with the claim's attempt not counted: claimed
   * ahead of its request but never sent (the run stopped first), or not accepted for a reason
   * that is not about the orders (key rejected, throttled, Lizzy unreachable).
   */
  outcome: 'sent' | 'pending' | 'unknown' | 'released';
  invoiceNumber?: string;
  /** Recorded as last_error (pending, unknown, released when given); cleared when sent. */
  error?: string;
}

export interface OrderStore {
  /**
   * Bring orders into the mirror, all in one transaction. A new order is added as pending;
   * a pending order whose content changed is updated; a sent (or sending) order is never changed.
   * Returns one outcome per input, in input order.
   */
  importOrders(orders: OrderImport[], at: string): Promise<OrderImportOutcome[]>;

  /** The orders a push looks at: every pending or sending order, and the sent ones placed at or after sentSince. */
  orderQueue(sentSince: string): Promise<OrderStatusRow[]>;

  /** Full orders (content and state) by number, in the order asked; unknown numbers are left out. */
  getOrders(orderNumbers: string[]): Promise<StoredOrder[]>;

  /** Record that a run picked these orders up for sending (only where not recorded yet). */
  markPickedUp(orderNumbers: string[], at: string): Promise<void>;

  /**
   * Atomically move the given orders from pending to sending for this run, and return the
   * ones this call claimed (an order another process claimed first is not returned).
   * countAttempt: add one to attempts (false for the order-by-order retry of a refused batch).
   */
  /** With `fence`, claims nothing and throws LockLost when the run no longer holds the orders lock. */
  claimOrders(orderNumbers: string[], claim: { runId: number; at: string; countAttempt: boolean; fence?: HeldLock }): Promise<StoredOrder[]>;

  /**
   * End this run's claim on orders, in one transaction: sent, back to pending, or left sending
   * with the error noted. Only orders in "sending" claimed by runId change. Returns how many changed.
   */
  settleOrders(settlements: OrderSettlement[], claim: { runId: number; at: string }): Promise<number>;

  /**
   * Orders left in "sending" that may be reconciled now: claimed before claimedBefore (the
   * request timeout plus a grace period ago, so Lizzy is done with any request of theirs).
   */
  sendingToReconcile(claimedBefore: string): Promise<OrderStatusRow[]>;

  /**
   * Take over "sending" orders for reconciling by this run, under the same condition as
   * sendingToReconcile (so an order another live run is sending is never taken); returns the numbers taken.
   */
  adoptSending(orderNumbers: string[], claim: { runId: number; at: string; claimedBefore: string }): Promise<string[]>;

  /** Unsent orders whose attempts reached maxAttempts. */
  ordersNeedingAttention(maxAttempts: number): Promise<OrderStatusRow[]>;
}
