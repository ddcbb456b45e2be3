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
