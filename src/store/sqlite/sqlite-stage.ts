/**
 * FeedStage for SQLite: TEMP tables on this connection (temp_store is FILE, so a big feed
 * goes to a temporary file, not to memory). Inventory apply lives here too: one IMMEDIATE
 * transaction of set-based statements over the staged plan.
 */
import type Database from 'better-sqlite3';
import type { CatalogKind } from '../../config/schema.js';
import { FEED_CROSS_SELECT, FEED_CROSS_SQL, neighboursFromTuples, SHARED_BRAND_SQL, stagedFromRow, type CrossTuple, type StagedRow } from '../rows.js';
import { fenceError } from '../../lock.js';
import { insertMany } from './insert-many.js';
import { keyString, type ApplyOptions, type ClearedSink, type FeedStage, type HeldLock, type InventoryWriteResult, type ProductState, type SetterNeighbours, type StagedFeedItem } from '../types.js';

type DB = Database.Database;
type StagedTuple = [number, string | null, string | null, number | null, number | null, string | null, string | null, string | null, string | null];

/** Inside a write transaction: throw LockLost unless `fence` still holds its job's lock. */
export function checkFence(db: DB, fence: HeldLock): void {
  const r = db.prepare('SELECT * FROM job_locks WHERE job = ?').get(fence.job) as
    | { job: HeldLock['job']; owner: string; pid: number; host: string; acquired_at: string; heartbeat_at: string }
    | undefined;
  const lost = fenceError(fence, r ? { job: r.job, owner: r.owner, pid: r.pid, host: r.host, acquiredAt: r.acquired_at, heartbeatAt: r.heartbeat_at } : null);
  if (lost) throw lost;
}

export function createPlanTables(db: DB): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS plan_set (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, price INTEGER)');
  db.exec('CREATE TEMP TABLE IF NOT EXISTS plan_keep (id INTEGER PRIMARY KEY)');
}

/**
 * Apply temp.plan_set / temp.plan_keep; the caller holds the transaction. With `cleared`,
 * the clearing UPDATE hands each row it zeroes to cleared.row() through the SQL function
 * lizzy_cleared (registered by registerClearedFunction), so the list of cleared products costs
 * no scan of its own.
 */
export function applyPlanTables(db: DB, w: { clear: boolean; at: string; cleared?: ClearedSink }): InventoryWriteResult {
  // Each changed product is marked for re-index in the same statement that changes it.
  let cleared = 0;
  if (w.clear) {
    const zero = w.cleared ? 'lizzy_cleared(p.catalog, p.match_brand, p.part_number, p.shelf_qty)' : '0';
    clearedSink = w.cleared;
    try {
      cleared = db
        .prepare(
          `UPDATE products AS p SET shelf_qty = ${zero}, updated_at = @at, reindex_queued_at = @at
           WHERE p.shelf_qty <> 0 AND p.id NOT IN (SELECT id FROM temp.plan_set) AND p.id NOT IN (SELECT id FROM temp.plan_keep)`,
        )
        .run({ at: w.at }).changes;
    } finally {
      clearedSink = undefined;
    }
  }
  const updated = db
    .prepare(
      `UPDATE products AS p SET shelf_qty = s.qty, list_price_cents = coalesce(s.price, p.list_price_cents), updated_at = @at, reindex_queued_at = @at
       FROM temp.plan_set s WHERE s.id = p.id AND (p.shelf_qty <> s.qty OR (s.price IS NOT NULL AND p.list_price_cents IS NOT s.price))`,
    )
    .run({ at: w.at }).changes;
  w.cleared?.done();
  return { updated, cleared, reindexQueued: cleared + updated };
}

/** Where lizzy_cleared sends its rows while a clearing UPDATE runs (one statement at a time: SQLite calls are synchronous). */
let clearedSink: ClearedSink | undefined;

const withClearedFunction = new WeakSet<DB>();

/** lizzy_cleared(catalog, brand, part_number, qty): hands the row to the current sink and returns 0, the new quantity. */
function registerClearedFunction(db: DB): void {
  if (withClearedFunction.has(db)) return;
  withClearedFunction.add(db);
  db.function('lizzy_cleared', { deterministic: false, directOnly: true }, (catalog, brand, partNumber, qty) => {
    clearedSink?.row(catalog as string, brand as string, partNumber as string, qty as number);
    return 0;
  });
}

export class SqliteFeedStage implements FeedStage {
  constructor(private readonly db: DB) {
    db.pragma('temp_store = FILE');
    // better-sqlite3's default page cache is 16 MB per schema; the stage's tables are read
    // in order and spill to the temp file either way, so 4 MB costs no time and keeps the
    // peak RSS of a million-item pull at 213-217 MB instead of 222-249 (bench/RESULTS.md).
    db.pragma('temp.cache_size = -4000');
    registerClearedFunction(db);
    db.exec('DROP TABLE IF EXISTS temp.feed_stage');
    db.exec(`CREATE TEMP TABLE feed_stage (position INTEGER PRIMARY KEY, vendor TEXT, item TEXT, qty INTEGER, price INTEGER,
      price_problem TEXT, invalid TEXT, notes TEXT, earlier TEXT)`);
    db.exec('DROP TABLE IF EXISTS temp.vmap');
    // The key makes a repeated mapping row one row: a match is found once however often a row is given.
    db.exec('CREATE TEMP TABLE vmap (vendor TEXT NOT NULL, catalog TEXT NOT NULL, brand TEXT NOT NULL, PRIMARY KEY (vendor, catalog, brand)) WITHOUT ROWID');
    createPlanTables(db);
    db.exec('DELETE FROM temp.plan_set; DELETE FROM temp.plan_keep;');
    // The plan as it is made, in feed order; planSize() sorts it into plan_set / plan_keep.
    db.exec('DROP TABLE IF EXISTS temp.plan_log');
    db.exec('CREATE TEMP TABLE plan_log (id INTEGER NOT NULL, qty INTEGER, price INTEGER, keep INTEGER NOT NULL)');
  }

  private indexed = false;

  async reset(): Promise<void> {
    this.db.exec('DELETE FROM temp.feed_stage; DELETE FROM temp.plan_set; DELETE FROM temp.plan_keep; DELETE FROM temp.plan_log;');
    this.db.exec('DROP INDEX IF EXISTS temp.feed_stage_key; DROP TABLE IF EXISTS temp.feed_match;');
    this.indexed = false;
    this.lookupStmt = undefined;
  }

  async add(items: StagedFeedItem[]): Promise<void> {
    this.db.transaction(() =>
      insertMany(this.db, 'temp.feed_stage (position, vendor, item, qty, price, price_problem, invalid, notes)', 8, items, (it, out) =>
        out.push(it.position, it.vendor, it.itemNumber, it.quantity, it.priceCents, it.priceProblem, it.invalid, it.notes.length ? JSON.stringify(it.notes) : null),
      ),
    )();
  }

  private index(): void {
    if (this.indexed) return;
    // Built once after loading: cheaper than maintaining it row by row.
    this.db.exec('CREATE INDEX IF NOT EXISTS temp.feed_stage_key ON feed_stage (vendor, item, position)');
    this.indexed = true;
  }

  async dedupe(): Promise<number> {
    this.index();
    const db = this.db;
    // The repeated (vendor, item) pairs first, in one pass over the index; then only their
    // rows are touched (a correlated search per feed row cost 6 s on a 1M-item feed).
    return db.transaction(() => {
      db.exec(`DROP TABLE IF EXISTS temp.feed_dup;
        CREATE TEMP TABLE feed_dup AS SELECT vendor, item, max(position) AS last FROM temp.feed_stage
          WHERE vendor <> '' AND item <> '' GROUP BY vendor, item HAVING count(*) > 1;
        UPDATE temp.feed_stage AS f SET earlier =
            (SELECT group_concat(g.position || ':' || coalesce(g.qty, '')) FROM temp.feed_stage g
              WHERE g.vendor = d.vendor AND g.item = d.item AND g.position < d.last)
          FROM temp.feed_dup d WHERE f.position = d.last;`);
      const dropped = db
        .prepare(
          `DELETE FROM temp.feed_stage WHERE position IN
             (SELECT g.position FROM temp.feed_dup d JOIN temp.feed_stage g ON g.vendor = d.vendor AND g.item = d.item AND g.position < d.last)`,
        )
        .run().changes;
      db.exec('DROP TABLE temp.feed_dup');
      return dropped;
    })();
  }

  async setMappings(rows: Array<{ vendor: string; catalog: string; brand: string }>): Promise<void> {
    const ins = this.db.prepare('INSERT OR IGNORE INTO temp.vmap VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM temp.vmap');
      this.lookupStmt = undefined; // matches are found again for the new mappings
      for (const r of rows) ins.run(r.vendor, r.catalog, r.brand);
    })();
  }

  private lookupStmt?: Database.Statement<[number, number], [number, string, string, string, number | null, number]>;

  /**
   * Every exact match of the staged feed, found in one join and kept by feed position.
   * The join walks each mapped vendor's items in item-number order (the stage's index), so
   * the catalog index is read in its own order: one pass instead of a random seek per item
   * (a 1M-item feed: 5.8 s of chunked joins became one statement).
   */
  private buildMatches(): void {
    this.index();
    this.db.exec(`DROP TABLE IF EXISTS temp.feed_match;
      CREATE TEMP TABLE feed_match (position INTEGER NOT NULL, id INTEGER NOT NULL, catalog TEXT, brand TEXT, part_number TEXT,
        list_price_cents INTEGER, shelf_qty INTEGER, PRIMARY KEY (position, id)) WITHOUT ROWID;
      INSERT INTO temp.feed_match
        SELECT f.position, p.id, p.catalog, p.match_brand, p.part_number, p.list_price_cents, p.shelf_qty
        FROM temp.vmap m CROSS JOIN temp.feed_stage f CROSS JOIN products p
        WHERE f.vendor = m.vendor AND p.catalog = m.catalog AND p.match_brand = m.brand AND p.part_number = f.item
        ORDER BY f.position, p.id;`);
    this.db.exec('DROP TABLE IF EXISTS temp.feed_cross');
    this.crossStmt = undefined;
    if (this.db.prepare(SHARED_BRAND_SQL).get() !== undefined) {
      this.db.exec(`${FEED_CROSS_SQL}; CREATE INDEX temp.feed_cross_position ON feed_cross (position)`);
      this.crossStmt = this.db.prepare<[number, number], CrossTuple>(`${FEED_CROSS_SELECT} ? AND ?`).raw();
    }
  }

  private crossStmt?: Database.Statement<[number, number], CrossTuple>;

  async neighbours(fromPosition: number, toPosition: number): Promise<Map<string, SetterNeighbours>> {
    if (!this.lookupStmt) await this.lookup(fromPosition, toPosition);
    return this.crossStmt ? neighboursFromTuples(this.crossStmt.all(fromPosition, toPosition)) : new Map();
  }

  async listed(pairs: Array<[string, string]>): Promise<Set<string>> {
    this.index();
    const has = this.db.prepare<[string, string]>('SELECT 1 FROM temp.feed_stage WHERE vendor = ? AND item = ? LIMIT 1').pluck();
    const out = new Set<string>();
    for (const [vendor, item] of pairs) if (has.get(vendor, item) !== undefined) out.add(`${vendor}\u0000${item}`);
    return out;
  }

  async vendorEvidence(vendor: string, catalog: string, brand: string): Promise<{ items: number; matching: number }> {
    this.index();
    const r = this.db
      .prepare(
        `SELECT count(*) AS items,
                coalesce(sum(EXISTS (SELECT 1 FROM products p WHERE p.catalog = ? AND p.match_brand = ? AND p.part_number = f.item)), 0) AS matching
           FROM temp.feed_stage f WHERE f.vendor = ?`,
      )
      .get(catalog, brand, vendor) as { items: number; matching: number };
    return { items: Number(r.items), matching: Number(r.matching) };
  }

  async lookup(fromPosition: number, toPosition: number): Promise<Map<string, ProductState>> {
    // Only what the planner reads, as raw tuples: this runs once per feed item.
    if (!this.lookupStmt) {
      this.buildMatches();
      this.lookupStmt = this.db
        .prepare<[number, number], [number, string, string, string, number | null, number]>(
          'SELECT id, catalog, brand, part_number, list_price_cents, shelf_qty FROM temp.feed_match WHERE position BETWEEN ? AND ?',
        )
        .raw();
    }
    const out = new Map<string, ProductState>();
    for (const [id, catalog, brand, partNumber, listPriceCents, shelfQty] of this.lookupStmt.all(fromPosition, toPosition)) {
      out.set(keyString({ catalog: catalog as CatalogKind, brand, partNumber }), { id, partNumber, listPriceCents, shelfQty });
    }
    return out;
  }

  async *winners(chunkSize: number): AsyncIterable<StagedFeedItem[]> {
    this.index();
    // Raw tuples, read straight into StagedFeedItems: a row object per feed item in between
    // cost as much as the query.
    const page = this.db
      .prepare<[number, number], StagedTuple>(
        'SELECT position, vendor, item, qty, price, price_problem, invalid, notes, earlier FROM temp.feed_stage WHERE position > ? ORDER BY position LIMIT ?',
      )
      .raw();
    let after = 0;
    for (;;) {
      const rows = page.all(after, chunkSize);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]![0];
      yield rows.map(([position, vendor, item, qty, price, priceProblem, invalid, notes, earlier]) =>
        stagedFromRow({ position, vendor, item, qty, price, price_problem: priceProblem, invalid, notes, earlier }),
      );
    }
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM temp.feed_stage').get() as { n: number }).n;
  }

  async addPlan(sets: Array<{ productId: number; qty: number; priceCents?: number }>, protectedIds: number[]): Promise<void> {
    // Appended in feed order: inserting straight into plan_set, keyed by product id, put a
    // million rows at random places in its B-tree (4 s of a 1M-item pull).
    // 100 rows per INSERT (insertMany): one statement call per row was half of this.
    this.db.transaction(() => {
      insertMany(this.db, 'temp.plan_log (id, qty, price, keep)', 4, sets, (s, out) => out.push(s.productId, s.qty, s.priceCents ?? null, 0));
      insertMany(this.db, 'temp.plan_log (id, qty, price, keep)', 4, protectedIds, (id, out) => out.push(id, null, null, 1));
    })();
  }

  async planSize(): Promise<number> {
    // One sort by product id; for a product set twice the later set (higher rowid) replaces
    // the earlier, as the planner's "the later item wins".
    this.db.transaction(() => {
      this.db.exec(`INSERT OR REPLACE INTO temp.plan_set (id, qty, price) SELECT id, qty, price FROM temp.plan_log WHERE keep = 0 ORDER BY id, rowid;
        INSERT OR IGNORE INTO temp.plan_keep (id) SELECT id FROM temp.plan_log WHERE keep = 1 ORDER BY id;
        DELETE FROM temp.plan_log;`);
    })();
    return (this.db.prepare('SELECT count(*) AS n FROM temp.plan_set').get() as { n: number }).n;
  }

  async listCleared(sink: ClearedSink): Promise<number> {
    // Pages of raw tuples (a clearing pull can list the whole catalog; objects cost a third more).
    const page = this.db
      .prepare<[number, number], [number, string, string, string, number]>(
        `SELECT p.id, p.catalog, p.match_brand, p.part_number, p.shelf_qty FROM products p
         WHERE p.id > ? AND p.shelf_qty <> 0
           AND NOT EXISTS (SELECT 1 FROM temp.plan_set s WHERE s.id = p.id) AND NOT EXISTS (SELECT 1 FROM temp.plan_keep k WHERE k.id = p.id)
         ORDER BY p.id LIMIT ?`,
      )
      .raw();
    let after = 0;
    let count = 0;
    for (;;) {
      const rows = page.all(after, 10_000);
      if (rows.length === 0) return count;
      for (const [, catalog, brand, partNumber, qty] of rows) sink.row(catalog, brand, partNumber, qty);
      count += rows.length;
      after = rows[rows.length - 1]![0];
    }
  }

  async apply(w: ApplyOptions): Promise<InventoryWriteResult> {
    return this.db
      .transaction(() => {
        // The write lock is ours until the commit: a takeover cannot happen in between.
        if (w.fence) checkFence(this.db, w.fence);
        if (w.run) this.db.prepare('UPDATE sync_runs SET report_path = ? WHERE id = ?').run(w.run.reportPath, w.run.id);
        return applyPlanTables(this.db, w);
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.exec('DROP TABLE IF EXISTS temp.feed_stage; DROP TABLE IF EXISTS temp.vmap; DROP TABLE IF EXISTS temp.plan_log; DROP TABLE IF EXISTS temp.feed_match; DROP TABLE IF EXISTS temp.feed_cross; DELETE FROM temp.plan_set; DELETE FROM temp.plan_keep;');
  }
}
