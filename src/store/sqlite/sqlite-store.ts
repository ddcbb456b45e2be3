import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import type { Store } from '../store.js';
import {
  brandOf,
  keyString,
  type CatalogImportResult,
  type FeedStage,
  type CatalogRow,
  type InventoryWrite,
  type InventoryWriteResult,
  type Job,
  type LockInfo,
  type Product,
  type ProductKey,
  type RunRecord,
  type RunStatus,
  type InterruptedRun,
} from '../types.js';
import { productFromRow, type ProductRow } from '../rows.js';
import { insertMany } from './insert-many.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { applyPlanTables, createPlanTables, SqliteFeedStage } from './sqlite-stage.js';
import * as catalogQueries from './sqlite-catalog-queries.js';
import * as orders from './sqlite-orders.js';
import type { OrderStore } from '../orders.js';
import { makeDir } from '../../util/make-dir.js';

type DB = Database.Database;

export function openSqliteDatabase(file: string): DB {
  try {
    if (file !== ':memory:') makeDir(path.dirname(file));
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 30000');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    throw new StoreError(`Cannot open the SQLite database ${file}: ${(err as Error).message}`, {
      hint: 'Check that the folder exists and is writable, and that the file is a lizzy-sync database.',
      cause: err,
    });
  }
}

export function migrateSqlite(db: DB): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));
  if (newest > known) {
    throw new StoreError(`The database was written by a newer lizzy-sync (schema ${newest}; this version knows up to ${known}).`, {
      hint: 'Upgrade lizzy-sync on this machine before running it against this database.',
    });
  }
  for (const m of SQLITE_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    // IMMEDIATE: two processes starting together serialize here; the loser re-checks.
    db.transaction(() => {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
      if (again) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  readonly db: DB;

  constructor(file: string) {
    this.location = file;
    this.db = openSqliteDatabase(file);
    try {
      migrateSqlite(this.db);
    } catch (err) {
      this.db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError(`Cannot prepare the database ${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // ---- catalog --------------------------------------------------------------------------

  async importCatalog(batches: AsyncIterable<CatalogRow[]>): Promise<CatalogImportResult> {
    const db = this.db;
    // Stage the file in a temporary table (the later row of a repeated key replaces the
    // earlier), then apply it with two set-based statements: the work sqlite3's .import does,
    // plus one join. One transaction for the whole file: a killed import changes nothing.
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec('DROP TABLE IF EXISTS temp.cat_in');
      db.exec(`CREATE TEMP TABLE cat_in (
        catalog TEXT NOT NULL, distributor TEXT, manufacturer TEXT, brand TEXT NOT NULL, part TEXT NOT NULL,
        description TEXT, price INTEGER, qty INTEGER)`);
      let rows = 0;
      for await (const batch of batches) {
        insertMany(db, 'temp.cat_in', 8, batch, (r, out) =>
          out.push(r.catalog, r.distributor, r.manufacturer, brandOf(r), r.partNumber, r.description, r.listPriceCents, r.shelfQty),
        );
        rows += batch.length;
      }
      // An index built once after loading is cheaper than one maintained row by row.
      db.exec('CREATE INDEX temp.cat_in_key ON cat_in (catalog, brand, part)');
      // Repeated keys from one pass over that index; only their earlier rows are deleted.
      const duplicates = db
        .prepare(
          `DELETE FROM temp.cat_in WHERE rowid IN (
             SELECT c.rowid FROM (SELECT catalog, brand, part, max(rowid) AS last FROM temp.cat_in GROUP BY catalog, brand, part HAVING count(*) > 1) d
             JOIN temp.cat_in c ON c.catalog = d.catalog AND c.brand = d.brand AND c.part = d.part AND c.rowid < d.last)`,
        )
        .run().changes;
      const distinct = rows - duplicates;
      const now = new Date().toISOString();
      db.exec(`INSERT OR IGNORE INTO distributors (abbreviation) SELECT DISTINCT distributor FROM temp.cat_in WHERE distributor IS NOT NULL`);
      db.exec(`INSERT OR IGNORE INTO manufacturers (name) SELECT DISTINCT manufacturer FROM temp.cat_in WHERE manufacturer IS NOT NULL`);
      const updated = db
        .prepare(
          `UPDATE products SET distributor = i.distributor, manufacturer = i.manufacturer, description = coalesce(i.description, products.description),
             list_price_cents = coalesce(i.price, products.list_price_cents), shelf_qty = coalesce(i.qty, products.shelf_qty), updated_at = ?
           FROM temp.cat_in i
           WHERE products.catalog = i.catalog AND products.match_brand = i.brand AND products.part_number = i.part
             AND (products.distributor IS NOT i.distributor OR products.manufacturer IS NOT i.manufacturer
               OR (i.description IS NOT NULL AND products.description IS NOT i.description)
               OR (i.price IS NOT NULL AND products.list_price_cents IS NOT i.price)
               OR (i.qty IS NOT NULL AND products.shelf_qty <> i.qty))`,
        )
        .run(now).changes;
      const inserted = db
        .prepare(
          `INSERT INTO products (catalog, distributor, manufacturer, match_brand, part_number, description, list_price_cents, shelf_qty, updated_at)
           SELECT catalog, distributor, manufacturer, brand, part, description, price, coalesce(qty, 0), ? FROM temp.cat_in i
           WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.catalog = i.catalog AND p.match_brand = i.brand AND p.part_number = i.part)
           ORDER BY catalog, brand, part`,
        )
        .run(now).changes;
      db.exec('DROP TABLE temp.cat_in');
      db.exec('COMMIT');
      return { inserted, updated, unchanged: distinct - inserted - updated, duplicates };
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  async *exportCatalog(): AsyncIterable<Product> {
    const stmt = this.db.prepare<[], ProductRow>('SELECT * FROM products ORDER BY catalog, match_brand, part_number');
    for (const r of stmt.iterate()) yield productFromRow(r);
  }

  async findProducts(keys: ProductKey[]): Promise<Map<string, Product>> {
    const stmt = this.db.prepare<[string, string, string], ProductRow>(
      'SELECT * FROM products WHERE catalog = ? AND match_brand = ? AND part_number = ?',
    );
    const out = new Map<string, Product>();
    for (const k of keys) {
      const ks = keyString(k);
      if (out.has(ks)) continue;
      const r = stmt.get(k.catalog, k.brand, k.partNumber);
      if (r) out.set(ks, productFromRow(r));
    }
    return out;
  }

  async countProducts(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
  }

  async brands(): Promise<{ distributors: string[]; manufacturers: string[] }> {
    const d = this.db.prepare("SELECT DISTINCT match_brand AS b FROM products WHERE catalog = 'aftermarket' UNION SELECT abbreviation FROM distributors ORDER BY 1").all() as { b: string }[];
    const m = this.db.prepare("SELECT DISTINCT match_brand AS b FROM products WHERE catalog <> 'aftermarket' UNION SELECT name FROM manufacturers ORDER BY 1").all() as { b: string }[];
    return { distributors: d.map((r) => r.b), manufacturers: m.map((r) => r.b) };
  }

  // ---- catalog diagnostics and normalised lookups (sqlite-catalog-queries.ts) -----------

  async findProductsByNormalised(...a: Parameters<Store['findProductsByNormalised']>) { return catalogQueries.findProductsByNormalised(this.db, ...a); }
  async partNumbersOf(...a: Parameters<Store['partNumbersOf']>) { return catalogQueries.partNumbersOf(this.db, ...a); }
  async catalogBrands() { return catalogQueries.catalogBrands(this.db); }

  // ---- inventory ------------------------------------------------------------------------

  async applyInventory(w: InventoryWrite): Promise<InventoryWriteResult> {
    const db = this.db;
    return db
      .transaction((): InventoryWriteResult => {
        createPlanTables(db);
        db.exec('DELETE FROM temp.plan_set; DELETE FROM temp.plan_keep;');
        const ins = db.prepare('INSERT OR REPLACE INTO temp.plan_set (id, qty, price) VALUES (?, ?, ?)');
        for (const s of w.sets) ins.run(s.productId, s.qty, s.priceCents ?? null);
        const keep = db.prepare('INSERT OR IGNORE INTO temp.plan_keep (id) VALUES (?)');
        for (const id of w.protectedIds) keep.run(id);
        const res = applyPlanTables(db, w);
        db.exec('DELETE FROM temp.plan_set; DELETE FROM temp.plan_keep;');
        return res;
      })
      .immediate();
  }

  async openFeedStage(): Promise<FeedStage> {
    return new SqliteFeedStage(this.db);
  }

  async reindexQueueSize(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM reindex_queue').get() as { n: number }).n;
  }

  // ---- runs -----------------------------------------------------------------------------

  async startRun(job: Job, startedAt: string): Promise<number> {
    const r = this.db.prepare("INSERT INTO sync_runs (job, started_at, status) VALUES (?, ?, 'running')").run(job, startedAt);
    return Number(r.lastInsertRowid);
  }

  async finishRun(
    id: number,
    r: { finishedAt: string; status: RunStatus; counts: Record<string, unknown>; reportPath: string | null; error: string | null },
  ): Promise<void> {
    this.db
      .prepare('UPDATE sync_runs SET finished_at = ?, status = ?, counts = ?, report_path = ?, error = ? WHERE id = ?')
      .run(r.finishedAt, r.status, JSON.stringify(r.counts), r.reportPath, r.error, id);
  }

  async markInterrupted(job: Job, at: string): Promise<InterruptedRun[]> {
    const rows = this.db
      .prepare(
        "UPDATE sync_runs SET status = 'interrupted', finished_at = ?, error = coalesce(error, 'the process ended before the run finished') WHERE job = ? AND status = 'running' RETURNING id, started_at, report_path",
      )
      .all(at, job) as Array<{ id: number; started_at: string; report_path: string | null }>;
    return rows.map((r) => ({ id: r.id, startedAt: r.started_at, reportPath: r.report_path }));
  }

  async lastRun(job: Job, opts: { status?: RunStatus[]; notAfter?: string } = {}): Promise<RunRecord | null> {
    const statuses = opts.status ?? [];
    const where = `${statuses.length ? `AND status IN (${statuses.map(() => '?').join(',')})` : ''}${opts.notAfter !== undefined ? ' AND started_at <= ?' : ''}`;
    const r = this.db
      .prepare(`SELECT * FROM sync_runs WHERE job = ? ${where} ORDER BY started_at DESC, id DESC LIMIT 1`)
      .get(job, ...statuses, ...(opts.notAfter !== undefined ? [opts.notAfter] : [])) as
      | { id: number; job: Job; started_at: string; finished_at: string | null; status: RunStatus; counts: string; report_path: string | null; error: string | null }
      | undefined;
    if (!r) return null;
    return {
      id: r.id,
      job: r.job,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: r.status,
      counts: JSON.parse(r.counts) as Record<string, unknown>,
      reportPath: r.report_path,
      error: r.error,
    };
  }

  // ---- orders (implemented in sqlite-orders.ts) -----------------------------------------

  async importOrders(...a: Parameters<OrderStore['importOrders']>) { return orders.importOrders(this.db, ...a); }
  async orderQueue(...a: Parameters<OrderStore['orderQueue']>) { return orders.orderQueue(this.db, ...a); }
  async getOrders(...a: Parameters<OrderStore['getOrders']>) { return orders.getOrders(this.db, ...a); }
  async markPickedUp(...a: Parameters<OrderStore['markPickedUp']>) { return orders.markPickedUp(this.db, ...a); }
  async claimOrders(...a: Parameters<OrderStore['claimOrders']>) { return orders.claimOrders(this.db, ...a); }
  async settleOrders(...a: Parameters<OrderStore['settleOrders']>) { return orders.settleOrders(this.db, ...a); }
  async sendingToReconcile(...a: Parameters<OrderStore['sendingToReconcile']>) { return orders.sendingToReconcile(this.db, ...a); }
  async adoptSending(...a: Parameters<OrderStore['adoptSending']>) { return orders.adoptSending(this.db, ...a); }
  async ordersNeedingAttention(...a: Parameters<OrderStore['ordersNeedingAttention']>) { return orders.ordersNeedingAttention(this.db, ...a); }

  // ---- locks ----------------------------------------------------------------------------

  async acquireLock(
    job: Job,
    me: { owner: string; pid: number; host: string },
    now: string,
    staleMs: number,
    takeOverOwner?: string,
  ): Promise<{ acquired: true; tookOverFrom?: LockInfo } | { acquired: false; holder: LockInfo }> {
    const db = this.db;
    return db
      .transaction(() => {
        const holder = this.lockHolderSync(job);
        if (holder && holder.owner !== me.owner && holder.owner !== takeOverOwner) {
          const age = Date.parse(now) - Date.parse(holder.heartbeatAt);
          if (age < staleMs) return { acquired: false as const, holder };
        }
        db.prepare(
          `INSERT INTO job_locks (job, owner, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (job) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
             acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
        ).run(job, me.owner, me.pid, me.host, now, now);
        return holder && holder.owner !== me.owner ? { acquired: true as const, tookOverFrom: holder } : { acquired: true as const };
      })
      .immediate();
  }

  async heartbeatLock(job: Job, owner: string, now: string): Promise<boolean> {
    return this.db.prepare('UPDATE job_locks SET heartbeat_at = ? WHERE job = ? AND owner = ?').run(now, job, owner).changes === 1;
  }

  async releaseLock(job: Job, owner: string): Promise<void> {
    this.db.prepare('DELETE FROM job_locks WHERE job = ? AND owner = ?').run(job, owner);
  }

  async lockHolder(job: Job): Promise<LockInfo | null> {
    return this.lockHolderSync(job);
  }

  private lockHolderSync(job: Job): LockInfo | null {
    const r = this.db.prepare('SELECT * FROM job_locks WHERE job = ?').get(job) as
      | { job: Job; owner: string; pid: number; host: string; acquired_at: string; heartbeat_at: string }
      | undefined;
    if (!r) return null;
    return { job: r.job, owner: r.owner, pid: r.pid, host: r.host, acquiredAt: r.acquired_at, heartbeatAt: r.heartbeat_at };
  }
}
