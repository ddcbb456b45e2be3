/**
 * FeedStage for PostgreSQL: TEMP tables on one dedicated connection, filled with bulk
 * loads (COPY) and applied in one transaction of set-based statements.
 */
import type { PoolClient } from 'pg';
import type { CatalogKind } from '../../config/schema.js';
import { FEED_CROSS_SELECT, FEED_CROSS_SQL, neighboursFromTuples, SHARED_BRAND_SQL, stagedFromRow, type CrossTuple } from '../rows.js';
import { keyString, type ApplyOptions, type ClearedSink, type FeedStage, type HeldLock, type InventoryWriteResult, type ProductState, type SetterNeighbours, type StagedFeedItem } from '../types.js';
import { fenceError } from '../../lock.js';
import { StoreError } from '../../errors.js';
import { copyRows, type CopyCell } from './copy.js';
import type { PgStore } from './pg-store.js';

/** How long the apply waits for writers to leave products alone. */
const LOCK_WAIT_MS = 2 * 60_000;

export class PgFeedStage implements FeedStage {
  private constructor(
    private readonly s: PgStore,
    private readonly c: PoolClient,
  ) {}

  static async open(s: PgStore): Promise<PgFeedStage> {
    const c = await s.connect();
    try {
      await c.query('DROP TABLE IF EXISTS pg_temp.feed_stage, pg_temp.plan_set, pg_temp.plan_keep');
      await c.query(
        `CREATE TEMP TABLE feed_stage (position integer PRIMARY KEY, vendor text, item text, qty integer, price bigint,
           price_problem text, invalid text, notes text, earlier text)`,
      );
      await c.query('DROP TABLE IF EXISTS pg_temp.vmap');
      await c.query('CREATE TEMP TABLE vmap (vendor text NOT NULL, catalog text NOT NULL, brand text NOT NULL, PRIMARY KEY (vendor, catalog, brand))');
      await c.query('CREATE TEMP TABLE plan_set (id bigint PRIMARY KEY, qty integer NOT NULL, price bigint)');
      await c.query('CREATE TEMP TABLE plan_keep (id bigint PRIMARY KEY)');
      // The plan as it is made, in feed order (seq); planSize() sorts it into plan_set / plan_keep.
      await c.query('DROP TABLE IF EXISTS pg_temp.plan_log');
      await c.query('CREATE TEMP TABLE plan_log (seq bigint NOT NULL, id bigint NOT NULL, qty integer, price bigint, keep boolean NOT NULL)');
    } catch (err) {
      c.release();
      throw err;
    }
    return new PgFeedStage(s, c);
  }

  private indexed = false;

  async reset(): Promise<void> {
    await this.c.query('TRUNCATE feed_stage, plan_set, plan_keep, plan_log');
    await this.c.query('DROP INDEX IF EXISTS pg_temp.feed_stage_key');
    await this.c.query('DROP TABLE IF EXISTS pg_temp.feed_match, pg_temp.feed_cross');
    this.indexed = false;
    this.matched = false;
  }

  async add(items: StagedFeedItem[]): Promise<void> {
    if (items.length === 0) return;
    await copyRows(this.c, 'feed_stage', ['position', 'vendor', 'item', 'qty', 'price', 'price_problem', 'invalid', 'notes'], items, (i) => [
      i.position,
      i.vendor,
      i.itemNumber,
      i.quantity,
      i.priceCents,
      i.priceProblem,
      i.invalid,
      i.notes.length ? JSON.stringify(i.notes) : null,
    ]);
  }

  private async index(): Promise<void> {
    if (this.indexed) return;
    await this.c.query('CREATE INDEX IF NOT EXISTS feed_stage_key ON feed_stage (vendor, item, position)');
    await this.c.query('ANALYZE feed_stage');
    this.indexed = true;
  }

  async dedupe(): Promise<number> {
    await this.index();
    // The repeated (vendor, item) pairs first, in one pass; then only their rows are touched
    // (a correlated search per feed row was most of a 1M-item pull's de-duplication).
    await this.c.query(`DROP TABLE IF EXISTS pg_temp.feed_dup`);
    await this.c.query(
      `CREATE TEMP TABLE feed_dup AS SELECT vendor, item, max(position) AS last FROM feed_stage
       WHERE vendor <> '' AND item <> '' GROUP BY vendor, item HAVING count(*) > 1`,
    );
    await this.c.query(
      `UPDATE feed_stage AS f SET earlier =
         (SELECT string_agg(g.position || ':' || coalesce(g.qty::text, ''), ',' ORDER BY g.position) FROM feed_stage g
           WHERE g.vendor = d.vendor AND g.item = d.item AND g.position < d.last)
       FROM feed_dup d WHERE f.position = d.last`,
    );
    const r = await this.c.query(
      `DELETE FROM feed_stage AS f USING feed_dup d WHERE f.vendor = d.vendor AND f.item = d.item AND f.position < d.last`,
    );
    await this.c.query('DROP TABLE feed_dup');
    return r.rowCount ?? 0;
  }

  async setMappings(rows: Array<{ vendor: string; catalog: string; brand: string }>): Promise<void> {
    await this.c.query('TRUNCATE vmap');
    this.matched = false; // matches are found again for the new mappings
    if (rows.length === 0) return;
    await this.c.query('INSERT INTO vmap SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING', [rows.map((r) => r.vendor), rows.map((r) => r.catalog), rows.map((r) => r.brand)]);
  }

  private matched = false;

  /**
   * Every exact match of the staged feed in one join, kept by feed position: PostgreSQL
   * picks a hash or merge join once, instead of a nested loop per chunk of 5,000.
   */
  private async buildMatches(): Promise<void> {
    await this.index();
    await this.c.query('DROP TABLE IF EXISTS pg_temp.feed_match');
    await this.c.query(
      `CREATE TEMP TABLE feed_match AS
       SELECT f.position, p.id, p.catalog, p.match_brand AS brand, p.part_number, p.list_price_cents, p.shelf_qty
       FROM feed_stage f JOIN vmap m ON m.vendor = f.vendor
       JOIN ${this.s.t('products')} p ON p.catalog = m.catalog AND p.match_brand = m.brand AND p.part_number = f.item`,
    );
    await this.c.query('CREATE INDEX feed_match_position ON feed_match (position)');
    await this.c.query('ANALYZE feed_match');
    await this.c.query('DROP TABLE IF EXISTS pg_temp.feed_cross');
    this.crossed = (await this.c.query(SHARED_BRAND_SQL)).rows.length > 0;
    if (this.crossed) {
      await this.c.query(FEED_CROSS_SQL);
      await this.c.query('CREATE INDEX feed_cross_position ON feed_cross (position)');
    }
    this.matched = true;
  }

  async listed(pairs: Array<[string, string]>): Promise<Set<string>> {
    if (pairs.length === 0) return new Set();
    const { rows } = await this.c.query<{ vendor: string; item: string }>(
      'SELECT DISTINCT f.vendor, f.item FROM feed_stage f JOIN unnest($1::text[], $2::text[]) AS q(vendor, item) ON f.vendor = q.vendor AND f.item = q.item',
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Set(rows.map((r) => `${r.vendor}\u0000${r.item}`));
  }

  async vendorEvidence(vendor: string, catalog: string, brand: string): Promise<{ items: number; matching: number }> {
    const P = this.s.t('products');
    const { rows } = await this.c.query<{ items: string; matching: string }>(
      `SELECT count(*) AS items,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${P} p WHERE p.catalog = $1 AND p.match_brand = $2 AND p.part_number = f.item)) AS matching
         FROM feed_stage f WHERE f.vendor = $3`,
      [catalog, brand, vendor],
    );
    return { items: Number(rows[0]!.items), matching: Number(rows[0]!.matching) };
  }

  async lookup(fromPosition: number, toPosition: number): Promise<Map<string, ProductState>> {
    if (!this.matched) await this.buildMatches();
    const { rows } = await this.c.query<[number, CatalogKind, string, string, number | null, number]>({
      text: 'SELECT id, catalog, brand, part_number, list_price_cents, shelf_qty FROM feed_match WHERE position BETWEEN $1 AND $2',
      values: [fromPosition, toPosition],
      rowMode: 'array',
    });
    const out = new Map<string, ProductState>();
    for (const [id, catalog, brand, partNumber, listPriceCents, shelfQty] of rows) {
      out.set(keyString({ catalog, brand, partNumber }), { id, partNumber, listPriceCents, shelfQty });
    }
    return out;
  }

  private crossed = false;

  async neighbours(fromPosition: number, toPosition: number): Promise<Map<string, SetterNeighbours>> {
    if (!this.matched) await this.buildMatches();
    if (!this.crossed) return new Map();
    const { rows } = await this.c.query<CrossTuple>({ text: `${FEED_CROSS_SELECT} $1 AND $2`, values: [fromPosition, toPosition], rowMode: 'array' });
    return neighboursFromTuples(rows);
  }

  async *winners(chunkSize: number): AsyncIterable<StagedFeedItem[]> {
    await this.index();
    let after = 0;
    for (;;) {
      const { rows } = await this.c.query(
        'SELECT * FROM feed_stage WHERE position > $1 ORDER BY position LIMIT $2',
        [after, chunkSize],
      );
      if (rows.length === 0) return;
      after = rows[rows.length - 1].position;
      yield rows.map(stagedFromRow);
    }
  }

  async count(): Promise<number> {
    const { rows } = await this.c.query('SELECT count(*)::int AS n FROM feed_stage');
    return rows[0].n;
  }

  private seq = 0;

  async addPlan(sets: Array<{ productId: number; qty: number; priceCents?: number }>, protectedIds: number[]): Promise<void> {
    // Appended in feed order and sorted once in planSize(): an upsert per batch into the
    // keyed plan_set cost more than the sort.
    if (sets.length + protectedIds.length === 0) return;
    const rows: CopyCell[][] = [];
    for (const x of sets) rows.push([this.seq++, x.productId, x.qty, x.priceCents ?? null, false]);
    for (const id of protectedIds) rows.push([this.seq++, id, null, null, true]);
    await copyRows(this.c, 'plan_log', ['seq', 'id', 'qty', 'price', 'keep'], rows, (r) => r);
  }

  async planSize(): Promise<number> {
    // For a product set twice, the later set (higher seq) wins, as in the planner.
    await this.c.query('INSERT INTO plan_set (id, qty, price) SELECT DISTINCT ON (id) id, qty, price FROM plan_log WHERE NOT keep ORDER BY id, seq DESC');
    await this.c.query('INSERT INTO plan_keep (id) SELECT DISTINCT id FROM plan_log WHERE keep ON CONFLICT DO NOTHING');
    await this.c.query('TRUNCATE plan_log');
    // Planning is over: give the planner the plan tables' real sizes. Without statistics it
    // guessed them small and scanned the whole plan for every page of the cleared list (a
    // 1M-item feed's pull took over an hour).
    await this.c.query('ANALYZE plan_set, plan_keep');
    const { rows } = await this.c.query('SELECT count(*)::int AS n FROM plan_set');
    return rows[0].n;
  }

  async listCleared(sink: ClearedSink): Promise<number> {
    await this.c.query('BEGIN READ ONLY');
    try {
      return await this.cursorCleared(sink);
    } finally {
      await this.c.query('COMMIT').catch(() => undefined);
    }
  }

  async apply(w: ApplyOptions): Promise<InventoryWriteResult> {
    await this.c.query('BEGIN');
    try {
      // Still the job's holder? The row lock taken here keeps a takeover waiting until this
      // transaction ends, so two runs never apply at once.
      if (w.fence) await checkFence(this.s, this.c, w.fence);
      if (w.run) await this.c.query(`UPDATE ${this.s.t('sync_runs')} SET report_path = $1 WHERE id = $2`, [w.run.reportPath, w.run.id]);
      // The list first, in the same transaction (PostgreSQL has no statement-level hook for
      // it), through one cursor: one plan for the whole list instead of one per page. Under
      // READ COMMITTED the cursor and the clearing UPDATE take separate snapshots, so writers
      // (the webstore) are kept out until the commit: both then see the same products.
      // Readers do not wait, and the clearing would row-lock nearly every stocked product anyway.
      if (w.clear && w.cleared) {
        await this.lockProducts();
        await this.cursorCleared(w.cleared);
      }
      const res = await applyPlanTables(this.s, this.c, w);
      w.cleared?.done();
      await this.c.query('COMMIT');
      return res;
    } catch (err) {
      await this.c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Lock products against writers for the rest of the transaction. Asked with NOWAIT every
   * quarter second rather than queued: a queued lock request would hold up every webstore
   * write behind it while it waits. After LOCK_WAIT_MS it gives up (exit 3, nothing changed),
   * naming who held the table.
   */
  private async lockProducts(): Promise<void> {
    const P = this.s.t('products');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      await this.c.query('SAVEPOINT lock_products');
      try {
        await this.c.query(`LOCK TABLE ${P} IN SHARE ROW EXCLUSIVE MODE NOWAIT`);
        await this.c.query('RELEASE SAVEPOINT lock_products');
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55P03') throw err;
        await this.c.query('ROLLBACK TO SAVEPOINT lock_products');
      }
      if (Date.now() >= deadline) {
        const { rows } = await this.c.query<{ pid: number; app: string | null; since: Date | null }>(
          `SELECT DISTINCT a.pid, a.application_name AS app, a.xact_start AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.relation = $1::regclass AND l.granted AND l.pid <> pg_backend_pid() ORDER BY a.pid LIMIT 5`,
          [P],
        );
        const who = rows.map((r) => `pid ${r.pid}${r.app ? ` (${r.app})` : ''}${r.since ? `, in a transaction since ${new Date(r.since).toISOString()}` : ''}`).join('; ');
        throw new StoreError(
          `Other database sessions kept writing to the products table for ${LOCK_WAIT_MS / 60_000} minutes${who ? ` (${who})` : ''}: the pull needs a moment without writers to clear quantities. Nothing was changed.`,
          { hint: 'Look for a webstore transaction left open (pg_stat_activity, state "idle in transaction"); the next run tries again.' },
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The cleared list through one cursor (one plan for the whole list); the caller holds the transaction. */
  private async cursorCleared(sink: ClearedSink): Promise<number> {
    let count = 0;
    await this.c.query(
      `DECLARE cleared_list NO SCROLL CURSOR FOR
       SELECT p.catalog, p.match_brand, p.part_number, p.shelf_qty FROM ${this.s.t('products')} p
       WHERE p.shelf_qty <> 0 AND NOT EXISTS (SELECT 1 FROM plan_set s WHERE s.id = p.id) AND NOT EXISTS (SELECT 1 FROM plan_keep k WHERE k.id = p.id)
       ORDER BY p.id`,
    );
    for (;;) {
      const { rows } = await this.c.query<[string, string, string, number]>({ text: 'FETCH FORWARD 10000 FROM cleared_list', rowMode: 'array' });
      if (rows.length === 0) break;
      for (const [catalog, brand, partNumber, qty] of rows) sink.row(catalog, brand, partNumber, qty);
      count += rows.length;
    }
    await this.c.query('CLOSE cleared_list');
    return count;
  }

  async close(): Promise<void> {
    try {
      await this.c.query('DROP TABLE IF EXISTS pg_temp.feed_stage, pg_temp.plan_set, pg_temp.plan_keep, pg_temp.plan_log, pg_temp.vmap, pg_temp.feed_match, pg_temp.feed_cross');
    } finally {
      this.c.release();
    }
  }
}

/**
 * Inside a transaction: throw LockLost unless `fence` still holds its job's lock. The row
 * lock taken keeps a takeover waiting until the transaction ends.
 */
export async function checkFence(s: PgStore, c: PoolClient, fence: HeldLock): Promise<void> {
  const { rows } = await c.query(`SELECT * FROM ${s.t('job_locks')} WHERE job = $1 FOR SHARE`, [fence.job]);
  const r = rows[0];
  const lost = fenceError(fence, r ? { job: r.job, owner: r.owner, pid: r.pid, host: r.host, acquiredAt: new Date(r.acquired_at).toISOString(), heartbeatAt: new Date(r.heartbeat_at).toISOString() } : null);
  if (lost) throw lost;
}

/** Apply pg_temp.plan_set / plan_keep; the caller holds the transaction. */
export async function applyPlanTables(s: PgStore, c: PoolClient, w: { clear: boolean; at: string }): Promise<InventoryWriteResult> {
  // Each changed product is marked for re-index in the same statement that changes it.
  const P = s.t('products');
  let cleared = 0;
  if (w.clear) {
    cleared =
      (
        await c.query(
          `UPDATE ${P} p SET shelf_qty = 0, updated_at = $1, reindex_queued_at = $1
           WHERE p.shelf_qty <> 0 AND NOT EXISTS (SELECT 1 FROM plan_set s WHERE s.id = p.id) AND NOT EXISTS (SELECT 1 FROM plan_keep k WHERE k.id = p.id)`,
          [w.at],
        )
      ).rowCount ?? 0;
  }
  const updated =
    (
      await c.query(
        `UPDATE ${P} p SET shelf_qty = s.qty, list_price_cents = coalesce(s.price, p.list_price_cents), updated_at = $1, reindex_queued_at = $1
         FROM plan_set s WHERE s.id = p.id AND (p.shelf_qty <> s.qty OR (s.price IS NOT NULL AND p.list_price_cents IS DISTINCT FROM s.price))`,
        [w.at],
      )
    ).rowCount ?? 0;
  return { updated, cleared, reindexQueued: cleared + updated };
}

