import type { CatalogKind } from '../config/schema.js';

/** How a product is found: aftermarket by distributor + item number, OEM/private by manufacturer + part number. */
export interface ProductKey {
  catalog: CatalogKind;
  /** The distributor abbreviation (aftermarket) or manufacturer (oem, private). */
  brand: string;
  partNumber: string;
}

export function keyString(k: ProductKey): string {
  return `${k.catalog}\u0000${k.brand}\u0000${k.partNumber}`;
}

/** The human-readable key for reports: "aftermarket PU 0101-1234". */
export function keyLabel(k: ProductKey): string {
  return `${k.brand} ${k.partNumber}`;
}

export interface Product {
  id: number;
  catalog: CatalogKind;
  distributor: string | null;
  manufacturer: string | null;
  partNumber: string;
  description: string | null;
  listPriceCents: number | null;
  shelfQty: number;
}

/** What the planner needs of a matched product: its id and the values a pull may change. */
export type ProductState = Pick<Product, 'id' | 'partNumber' | 'listPriceCents' | 'shelfQty'>;

/** A row of the catalog CSV, validated. */
export interface CatalogRow {
  catalog: CatalogKind;
  distributor: string | null;
  manufacturer: string | null;
  partNumber: string;
  description: string | null;
  /** null: leave as it is (or none, for a new product). */
  listPriceCents: number | null;
  /** null: leave as it is (0 for a new product). */
  shelfQty: number | null;
}

export function brandOf(row: { catalog: CatalogKind; distributor: string | null; manufacturer: string | null }): string {
  return (row.catalog === 'aftermarket' ? row.distributor : row.manufacturer) ?? '';
}

export interface CatalogImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows that repeat an earlier row's product key (the later row wins). */
  duplicates: number;
}

/** What the applier needs from an inventory plan. */
export interface InventoryWrite {
  /** Zero every shelf quantity not set below and not protected. */
  clear: boolean;
  /** Final values for matched products; price undefined keeps the price. */
  sets: Array<{ productId: number; qty: number; priceCents?: number }>;
  /** Products whose quantity must be kept even when clearing (invalid feed items). */
  protectedIds: number[];
  /** Instant used for the re-index queue. */
  at: string;
}

export interface InventoryWriteResult {
  updated: number;
  cleared: number;
  reindexQueued: number;
}

export type Job = 'inventory' | 'orders';

export type RunStatus = 'running' | 'success' | 'needs_attention' | 'failed' | 'skipped' | 'interrupted';

export interface RunRecord {
  id: number;
  job: Job;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  counts: Record<string, unknown>;
  reportPath: string | null;
  error: string | null;
}

export interface LockInfo {
  job: Job;
  owner: string;
  pid: number;
  host: string;
  acquiredAt: string;
  heartbeatAt: string;
}

/** A feed item as staged (see FeedStage): what the planner needs, nothing more. */
export interface StagedFeedItem {
  position: number;
  vendor: string | null;
  itemNumber: string | null;
  quantity: number | null;
  priceCents: number | null;
  priceProblem: string | null;
  invalid: string | null;
  notes: string[];
  /** Set by FeedStage.dedupe: the earlier items with the same vendor and item number. */
  earlier?: Array<{ position: number; quantity?: number }>;
}

/** Another feed item that sets the same product. */
export interface Setter {
  position: number;
  vendor: string;
  itemNumber: string;
  /** The quantity it sets. */
  qty?: number;
}

export interface SetterNeighbours {
  prev?: Setter;
  next?: Setter;
}

export const neighbourKey = (position: number, productId: number): string => `${position}:${productId}`;

/**
 * Receives the products a clearing pull zeroes; both calls are synchronous (see FeedStage.apply).
 * done() comes inside the transaction, before the commit: an error from it rolls the clearing back.
 */
export interface ClearedSink {
  row(catalog: string, brand: string, partNumber: string, qty: number): void;
  done(): void;
}

/**
 * A feed staged in the store's connection-local temporary space, so that a pull's memory
 * does not grow with the feed: items go in as they stream, come out de-duplicated in
 * chunks, and the plan is staged the same way before one transaction applies it.
 * Nothing staged is visible to other connections or survives close(); a dry run stays dry.
 */
/** A run whose process ended without finishing it (see Store.markInterrupted). */
export interface InterruptedRun {
  id: number;
  startedAt: string;
  /** Set when its inventory apply committed. */
  reportPath: string | null;
}

/** The job lock a run holds (withJobLock). */
export interface HeldLock {
  job: Job;
  owner: string;
  /** Earlier runs of the job found dead when the lock was taken. */
  interrupted?: InterruptedRun[];
  /** The zone messages about the lock show times in (schedule.timezone). */
  timeZone?: string;
}

export interface ApplyOptions {
  clear: boolean;
  at: string;
  cleared?: ClearedSink;
  /**
   * The lock the run holds: checked inside the apply's transaction, which then keeps any
   * takeover waiting until it commits, so two runs never apply at once. A lock taken over
   * in the meantime throws LockLost and nothing changes.
   */
  fence?: HeldLock;
  /**
   * The run being applied: its report path is recorded in the same transaction, so a run
   * killed after the commit can be told from one killed before it (see markInterrupted).
   */
  run?: { id: number; reportPath: string };
}

export interface FeedStage {
  /** Forget everything staged (a retried fetch starts clean). */
  reset(): Promise<void>;
  add(items: StagedFeedItem[]): Promise<void>;
  /**
   * Drop the items a later item with the same vendor and item number supersedes (the winner
   * keeps their positions and quantities in `earlier`); returns how many were dropped.
   */
  dedupe(): Promise<number>;
  /** Exact-match mapping rows (vendor → catalog + brand) for lookup(). */
  setMappings(rows: Array<{ vendor: string; catalog: string; brand: string }>): Promise<void>;
  /** The catalog products the staged items in [from, to] match through the mappings, by keyString. */
  lookup(fromPosition: number, toPosition: number): Promise<Map<string, ProductState>>;
  /**
   * For the staged items in [from, to] that match a product another item also matches (two
   * mapping rows to one catalog and brand): the nearest item before and after it in the
   * whole feed that sets that product, keyed by neighbourKey(position, productId). Lets the planner name an item in
   * another chunk. Exact matches only; empty when no two mapping rows share a brand.
   */
  neighbours(fromPosition: number, toPosition: number): Promise<Map<string, SetterNeighbours>>;
  /** Which of these (vendor, item number) pairs the staged feed lists, as `${vendor}\u0000${item}`. */
  listed(pairs: Array<[string, string]>): Promise<Set<string>>;
  /**
   * How many staged items name `vendor`, and how many of those have an item number that is a
   * part number of `catalog`/`brand` exactly: the evidence that a misspelt mapping row meant
   * this vendor (the lost-mapping guard; rarely called).
   */
  vendorEvidence(vendor: string, catalog: string, brand: string): Promise<{ items: number; matching: number }>;
  /** The staged items (after dedupe), in feed order, in chunks. */
  winners(chunkSize: number): AsyncIterable<StagedFeedItem[]>;
  count(): Promise<number>;
  /** Stage plan results; a later set for the same product replaces an earlier one. */
  addPlan(sets: Array<{ productId: number; qty: number; priceCents?: number }>, protectedIds: number[]): Promise<void>;
  /** Products the plan sets; called once, after the last addPlan (a store may analyse its plan tables here). */
  planSize(): Promise<number>;
  /**
   * With clearing on: every in-stock product the plan neither sets nor protects, in id order,
   * to sink.row() (done() is the caller's); returns how many. For a dry run's list.
   */
  listCleared(sink: ClearedSink): Promise<number>;
  /**
   * Apply the staged plan in one transaction: clear (if asked), set, queue for re-index.
   * With `cleared`, every product the clearing zeroes goes to cleared.row() with its old
   * quantity, inside the transaction, and cleared.done() is called before the commit: the
   * list is complete whenever the clearing is.
   */
  apply(w: ApplyOptions): Promise<InventoryWriteResult>;
  close(): Promise<void>;
}
