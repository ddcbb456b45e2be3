import type {
  CatalogImportResult,
  FeedStage,
  CatalogRow,
  InterruptedRun,
  InventoryWrite,
  InventoryWriteResult,
  Job,
  LockInfo,
  Product,
  ProductKey,
  RunRecord,
  RunStatus,
} from './types.js';
import type { OrderStore } from './orders.js';
import type { CatalogKind } from '../config/schema.js';

/**
 * The mirror of the webstore's data. SQLite and PostgreSQL implement it; nothing outside
 * store/ writes SQL.
 */
export interface Store extends OrderStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, for messages (never includes a password). */
  readonly location: string;
  close(): Promise<void>;

  // catalog
  /** Upsert products from batches, all in one transaction. */
  importCatalog(batches: AsyncIterable<CatalogRow[]>): Promise<CatalogImportResult>;
  exportCatalog(): AsyncIterable<Product>;
  /** Products by key; the map is keyed by keyString(). */
  findProducts(keys: ProductKey[]): Promise<Map<string, Product>>;
  countProducts(): Promise<number>;
  brands(): Promise<{ distributors: string[]; manufacturers: string[] }>;
  /**
   * Products of one (catalog, brand) whose part number, passed through `normalise`, is one
   * of `keys`, grouped by that normalised number (several products under one key collide).
   * One query per call (for part-number normalisation: src/mappings/normalise.ts).
   */
  findProductsByNormalised(
    catalog: CatalogKind,
    brand: string,
    normalise: (partNumber: string) => string,
    keys: ReadonlySet<string>,
  ): Promise<Map<string, Product[]>>;
  /** Every part number of one (catalog, brand), sorted (for "closest part number" hints). */
  partNumbersOf(catalog: CatalogKind, brand: string): Promise<string[]>;
  /** How many products each (catalog, brand) holds. */
  catalogBrands(): Promise<Array<{ catalog: CatalogKind; brand: string; products: number }>>;

  // inventory
  /** Apply in one transaction: clear, set, queue for re-index. */
  applyInventory(write: InventoryWrite): Promise<InventoryWriteResult>;
  /** A connection-local staging area for a streamed feed and its plan (see FeedStage). */
  openFeedStage(): Promise<FeedStage>;
  reindexQueueSize(): Promise<number>;

  // runs
  startRun(job: Job, startedAt: string): Promise<number>;
  finishRun(
    id: number,
    r: { finishedAt: string; status: RunStatus; counts: Record<string, unknown>; reportPath: string | null; error: string | null },
  ): Promise<void>;
  /** The latest run by start time; with `notAfter`, the latest that started at or before it (a run recorded in the future is skipped). */
  lastRun(job: Job, opts?: { status?: RunStatus[]; notAfter?: string }): Promise<RunRecord | null>;
  /**
   * Mark the job's runs still "running" as interrupted (their process is gone: the caller
   * holds the lock) and return them. reportPath is set on a run whose inventory apply
   * committed (it is written inside the apply's transaction).
   */
  markInterrupted(job: Job, at: string): Promise<InterruptedRun[]>;

  // locks
  /**
   * Take the job's lock or return who holds it. Stale locks (no heartbeat for staleMs) are
   * taken over, and so is the lock of `takeOverOwner` (a holder known to be dead).
   */
  acquireLock(
    job: Job,
    me: { owner: string; pid: number; host: string },
    now: string,
    staleMs: number,
    takeOverOwner?: string,
  ): Promise<{ acquired: true; tookOverFrom?: LockInfo } | { acquired: false; holder: LockInfo }>;
  heartbeatLock(job: Job, owner: string, now: string): Promise<boolean>;
  releaseLock(job: Job, owner: string): Promise<void>;
  lockHolder(job: Job): Promise<LockInfo | null>;
}
