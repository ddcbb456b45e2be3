/**
 * FeedStage for PostgreSQL: TEMP tables on one dedicated connection, filled with COPY-like
 * bulk inserts (unnest arrays) and applied in one transaction of set-based statements.
 */
import type { PoolClient } from 'pg';
import { productFromRow, stagedFromRow } from '../rows.js';
import { keyString, listClearable, type ClearableRow, type ClearedSink, type FeedStage, type InventoryWriteResult, type Product, type StagedFeedItem } from '../types.js';
import type { PgStore } from './pg-store.js';

export class PgFeedStage implements FeedStage {
  private constructor(
    private readonly s: PgStore,
    private readonly c: PoolClient,
  ) {}

  static async open(s: PgStore): Promise<PgFeedStage> {
    const c = await s.pool.connect();
    try {
      await c.query('DROP TABLE IF EXISTS pg_temp.feed_stage, pg_temp.plan_set, pg_temp.plan_keep');
      await c.query(
        `CREATE TEMP TABLE feed_stage (position integer PRIMARY KEY, vendor text, item text, qty integer, price bigint,
           price_problem text, invalid text, notes text, earlier text)`,
      );
      await c.query('DROP TABLE IF EXISTS pg_temp.vmap');
      await c.query('CREATE TEMP TABLE vmap (vendor text NOT NULL, catalog text NOT NULL, brand text NOT NULL)');
      await c.query('CREATE TEMP TABLE plan_set (id bigint PRIMARY KEY, qty integer NOT NULL, price bigint)');
      await c.query('CREATE TEMP TABLE plan_keep (id bigint PRIMARY KEY)');
    } catch (err) {
      c.release();
      throw err;
    }
    return new PgFeedStage(s, c);
  }

  private indexed = false;

  async reset(): Promise<void> {
    await this.c.query('TRUNCATE feed_stage, plan_set, plan_keep');
    await this.c.query('DROP INDEX IF EXISTS pg_temp.feed_stage_key');
    this.indexed = false;
  }

  async add(items: StagedFeedItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.c.query(
      `INSERT INTO feed_stage (position, vendor, item, qty, price, price_problem, invalid, notes)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::text[])`,
      [
        items.map((i) => i.position),
        items.map((i) => i.vendor),
        items.map((i) => i.itemNumber),
        items.map((i) => i.quantity),
        items.map((i) => i.priceCents),
        items.map((i) => i.priceProblem),
        items.map((i) => i.invalid),
        items.map((i) => (i.notes.length ? JSON.stringify(i.notes) : null)),
      ],
    );
  }

  private async index(): Promise<void> {
    if (this.indexed) return;
    await this.c.query('CREATE INDEX IF NOT EXISTS feed_stage_key ON feed_stage (vendor, item, position)');
    await this.c.query('ANALYZE feed_stage');
    this.indexed = true;
  }

  async dedupe(): Promise<number> {
    await this.index();
    const later = 'EXISTS (SELECT 1 FROM feed_stage g WHERE g.vendor = f.vendor AND g.item = f.item AND g.position > f.position)';
    await this.c.query(
      `UPDATE feed_stage AS f SET earlier =
         (SELECT string_agg(g.position || ':' || coalesce(g.qty::text, ''), ',' ORDER BY g.position) FROM feed_stage g
           WHERE g.vendor = f.vendor AND g.item = f.item AND g.position < f.position)
       WHERE f.vendor <> '' AND f.item <> '' AND NOT ${later}
         AND EXISTS (SELECT 1 FROM feed_stage g WHERE g.vendor = f.vendor AND g.item = f.item AND g.position < f.position)`,
    );
    const r = await this.c.query(`DELETE FROM feed_stage AS f WHERE f.vendor <> '' AND f.item <> '' AND ${later}`);
    return r.rowCount ?? 0;
  }

  async setMappings(rows: Array<{ vendor: string; catalog: string; brand: string }>): Promise<void> {
    await this.c.query('TRUNCATE vmap');
    if (rows.length === 0) return;
    await this.c.query('INSERT INTO vmap SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [rows.map((r) => r.vendor), rows.map((r) => r.catalog), rows.map((r) => r.brand)]);
  }

  async lookup(fromPosition: number, toPosition: number): Promise<Map<string, Product>> {
    const { rows } = await this.c.query(
      `SELECT p.* FROM feed_stage f JOIN vmap m ON m.vendor = f.vendor
       JOIN ${this.s.t('products')} p ON p.catalog = m.catalog AND p.match_brand = m.brand AND p.part_number = f.item
       WHERE f.position BETWEEN $1 AND $2`,
      [fromPosition, toPosition],
    );
    const out = new Map<string, Product>();
    for (const r of rows) out.set(keyString({ catalog: r.catalog, brand: r.match_brand, partNumber: r.part_number }), productFromRow(r));
    return out;
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

  async addPlan(sets: Array<{ productId: number; qty: number; priceCents?: number }>, protectedIds: number[]): Promise<void> {
    if (sets.length > 0) {
      await this.c.query(
        `INSERT INTO plan_set (id, qty, price) SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[])
         ON CONFLICT (id) DO UPDATE SET qty = excluded.qty, price = excluded.price`,
        [sets.map((x) => x.productId), sets.map((x) => x.qty), sets.map((x) => x.priceCents ?? null)],
      );
    }
    if (protectedIds.length > 0) await this.c.query('INSERT INTO plan_keep (id) SELECT DISTINCT unnest($1::bigint[]) ON CONFLICT DO NOTHING', [protectedIds]);
  }

  async planSize(): Promise<number> {
    // Planning is over: give the planner the plan tables' real sizes. Without statistics it
    // guessed them small and scanned the whole plan for every page of the cleared list (a
    // 1M-item feed's pull took over an hour).
    await this.c.query('ANALYZE plan_set, plan_keep');
    const { rows } = await this.c.query('SELECT count(*)::int AS n FROM plan_set');
    return rows[0].n;
  }

  async clearable(afterId: number, limit: number): Promise<ClearableRow[]> {
    const { rows } = await this.c.query<ClearableRow>({
      text: `SELECT p.id, p.catalog, p.match_brand, p.part_number, p.shelf_qty FROM ${this.s.t('products')} p
       WHERE p.id > $1 AND p.shelf_qty <> 0
         AND NOT EXISTS (SELECT 1 FROM plan_set s WHERE s.id = p.id) AND NOT EXISTS (SELECT 1 FROM plan_keep k WHERE k.id = p.id)
       ORDER BY p.id LIMIT $2`,
      values: [afterId, limit],
      rowMode: 'array',
    });
    return rows;
  }

  async apply(w: { clear: boolean; at: string; cleared?: ClearedSink }): Promise<InventoryWriteResult> {
    await this.c.query('BEGIN');
    try {
      // The list first, in the same transaction (PostgreSQL has no statement-level hook for it).
      if (w.clear && w.cleared) await listClearable(this, w.cleared);
      const res = await applyPlanTables(this.s, this.c, w);
      w.cleared?.done();
      await this.c.query('COMMIT');
      return res;
    } catch (err) {
      await this.c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    try {
      await this.c.query('DROP TABLE IF EXISTS pg_temp.feed_stage, pg_temp.plan_set, pg_temp.plan_keep, pg_temp.vmap');
    } finally {
      this.c.release();
    }
  }
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

