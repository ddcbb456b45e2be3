/**
 * The PostgreSQL store: the same behaviour as SQLite behind the same interface, for dealer
 * groups and hosted webstores. Tables live in their own schema; inventory apply is one
 * transaction of set-based statements over unnest() arrays; job locks are advisory locks
 * (released with the connection when a machine dies); order claims are conditional
 * UPDATEs over rows locked FOR UPDATE SKIP LOCKED.
 */
import pg from 'pg';
import type { CatalogKind } from '../../config/schema.js';
import { StoreError } from '../../errors.js';
import type { OrderStore } from '../orders.js';
import type { Store } from '../store.js';
import { maskConnectionUrl } from '../../util/redact.js';
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
import { copyRows } from './copy.js';
import { PG_MIGRATIONS } from './migrations.js';
import * as orders from './pg-orders.js';
import { PgFeedStage } from './pg-stage.js';
import { productFromRow } from '../rows.js';

// bigint columns hold cents and ids: well inside Number's safe range.
pg.types.setTypeParser(20, (v) => Number(v));

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

/** A URL with its password hidden, for messages. */
export function safeUrl(url: string): string {
  return maskConnectionUrl(url);
}

/**
 * `sslmode` means what it means to psql and libpq: `require` encrypts without checking the
 * certificate, `verify-ca` checks it against `sslrootcert`, `verify-full` also checks the
 * host name. pg 8 alone treats require and verify-ca as verify-full and prints a security
 * warning on every command; `uselibpqcompat=true` asks it for libpq's meaning.
 */
export function libpqCompatibleUrl(url: string): string {
  if (!/[?&]sslmode=/.test(url) || /[?&]uselibpqcompat=/.test(url)) return url;
  return `${url}&uselibpqcompat=true`;
}

export class PgStore implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly pool: pg.Pool;
  readonly S: string;
  private readonly lockClients = new Map<string, pg.Client>();

  private constructor(
    private readonly url: string,
    readonly schema: string,
  ) {
    this.location = `${safeUrl(url)} (schema ${schema})`;
    this.S = quoteIdent(schema);
    this.pool = new pg.Pool({ connectionString: libpqCompatibleUrl(url), max: 4, application_name: 'lizzy-sync' });
    this.pool.on('error', () => undefined); // an idle client's network error surfaces on the next query
  }

  static async open(url: string, schema: string): Promise<PgStore> {
    const store = new PgStore(url, schema);
    try {
      await store.migrate();
    } catch (err) {
      await store.pool.end().catch(() => undefined);
      if (err instanceof StoreError) throw err;
      throw new StoreError(`Cannot prepare the PostgreSQL database ${store.location}: ${(err as Error).message}`, {
        hint: 'Check database.postgres (host, port, user, database, sslmode) and that the user may create the schema and tables (see the README).',
        cause: err,
      });
    }
    return store;
  }

  /**
   * A pooled connection with an error listener: a connection that drops while checked out
   * (server restart, pg_terminate_backend, network) fails its query instead of crashing the
   * process with an unhandled 'error' event.
   */
  async connect(): Promise<pg.PoolClient> {
    const c = await this.pool.connect();
    if (c.listenerCount('error') === 0) c.on('error', () => undefined);
    return c;
  }

  t(name: string): string {
    return `${this.S}.${name}`;
  }

  /** Run fn in one transaction on one connection. */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  private async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // Two processes starting together: the second waits here, then finds the work done.
      await c.query("SELECT pg_advisory_xact_lock(hashtext('lizzy-sync:migrate'), hashtext($1))", [this.schema]);
      // Only when missing: CREATE SCHEMA IF NOT EXISTS asks for CREATE on the database even
      // when the schema exists, which a user given only its own schema does not have.
      const { rows: ns } = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
      if (ns.length === 0) await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.S}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${this.t('schema_migrations')} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await c.query<{ version: number }>(`SELECT version FROM ${this.t('schema_migrations')}`);
      const applied = new Set(rows.map((r) => r.version));
      const newest = Math.max(0, ...applied);
      const known = Math.max(...PG_MIGRATIONS.map((m) => m.version));
      if (newest > known) {
        throw new StoreError(`The database was written by a newer lizzy-sync (schema ${newest}; this version knows up to ${known}).`, {
          hint: 'Upgrade lizzy-sync on this machine before running it against this database.',
        });
      }
      for (const m of PG_MIGRATIONS) {
        if (applied.has(m.version)) continue;
        await c.query(m.sql.replaceAll('{{S}}', this.S));
        await c.query(`INSERT INTO ${this.t('schema_migrations')} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      }
    });
  }

  async close(): Promise<void> {
    for (const c of this.lockClients.values()) await c.end().catch(() => undefined);
    this.lockClients.clear();
    await this.pool.end().catch(() => undefined);
  }

  // ---- catalog --------------------------------------------------------------------------

  async importCatalog(batches: AsyncIterable<CatalogRow[]>): Promise<CatalogImportResult> {
    const P = this.t('products');
    // One transaction for the whole file: a killed import leaves the catalog as it was. The
    // whole file is staged first (unindexed, so loading is cheap), then applied with one
    // UPDATE ... FROM and one INSERT. Applying per batch made the planner guess at a
    // stats-less temp table and scan the growing products table once per batch.
    return this.tx(async (c) => {
      await c.query(
        'CREATE TEMP TABLE cat_in (ord bigint, catalog text, distributor text, manufacturer text, brand text, part text, description text, price bigint, qty int) ON COMMIT DROP',
      );
      let ord = 0;
      let rowsIn = 0;
      for await (const list of batches) {
        rowsIn += list.length;
        await copyRows(c, 'cat_in', ['ord', 'catalog', 'distributor', 'manufacturer', 'brand', 'part', 'description', 'price', 'qty'], list, (r) => [
          ++ord,
          r.catalog,
          r.distributor,
          r.manufacturer,
          brandOf(r),
          r.partNumber,
          r.description,
          r.listPriceCents,
          r.shelfQty,
        ]);
      }
      await c.query('ANALYZE cat_in');
      // A key repeated in the file: the later row wins. The repeated keys come from one
      // aggregate (no index to build for a search per row); only their earlier rows go.
      const dup = await c.query(
        `DELETE FROM cat_in a USING (SELECT catalog, brand, part, max(ord) AS last FROM cat_in GROUP BY catalog, brand, part HAVING count(*) > 1) d
         WHERE a.catalog = d.catalog AND a.brand = d.brand AND a.part = d.part AND a.ord < d.last`,
      );
      const duplicates = dup.rowCount ?? 0;
      await c.query(`INSERT INTO ${this.t('distributors')} (abbreviation) SELECT DISTINCT distributor FROM cat_in WHERE distributor IS NOT NULL ON CONFLICT DO NOTHING`);
      await c.query(`INSERT INTO ${this.t('manufacturers')} (name) SELECT DISTINCT manufacturer FROM cat_in WHERE manufacturer IS NOT NULL ON CONFLICT DO NOTHING`);
      const upd = await c.query(
        `UPDATE ${P} p SET distributor = i.distributor, manufacturer = i.manufacturer, description = coalesce(i.description, p.description),
           list_price_cents = coalesce(i.price, p.list_price_cents), shelf_qty = coalesce(i.qty, p.shelf_qty), updated_at = now()
         FROM cat_in i
         WHERE p.catalog = i.catalog AND p.match_brand = i.brand AND p.part_number = i.part
           AND (p.distributor IS DISTINCT FROM i.distributor OR p.manufacturer IS DISTINCT FROM i.manufacturer
             OR (i.description IS NOT NULL AND p.description IS DISTINCT FROM i.description)
             OR (i.price IS NOT NULL AND p.list_price_cents IS DISTINCT FROM i.price)
             OR (i.qty IS NOT NULL AND p.shelf_qty <> i.qty))`,
      );
      const ins = await c.query(
        `INSERT INTO ${P} (catalog, distributor, manufacturer, match_brand, part_number, description, list_price_cents, shelf_qty, updated_at)
         SELECT catalog, distributor, manufacturer, brand, part, description, price, coalesce(qty, 0), now() FROM cat_in i
         WHERE NOT EXISTS (SELECT 1 FROM ${P} p WHERE p.catalog = i.catalog AND p.match_brand = i.brand AND p.part_number = i.part)
         ORDER BY catalog, brand, part`,
      );
      const updated = upd.rowCount ?? 0;
      const inserted = ins.rowCount ?? 0;
      await c.query(`ANALYZE ${P}`);
      return { inserted, updated, unchanged: rowsIn - duplicates - updated - inserted, duplicates };
    });
  }

  async *exportCatalog(): AsyncIterable<Product> {
    // A cursor in one read transaction: one sort, bounded memory, a consistent snapshot.
    const c = await this.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await c.query(`DECLARE export_cur NO SCROLL CURSOR FOR SELECT * FROM ${this.t('products')} ORDER BY catalog COLLATE "C", match_brand COLLATE "C", part_number COLLATE "C"`);
      for (;;) {
        const { rows } = await c.query('FETCH 5000 FROM export_cur');
        if (rows.length === 0) break;
        for (const r of rows) yield productFromRow(r);
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async findProducts(keys: ProductKey[]): Promise<Map<string, Product>> {
    const out = new Map<string, Product>();
    for (let i = 0; i < keys.length; i += 10_000) {
      const chunk = keys.slice(i, i + 10_000);
      const { rows } = await this.pool.query(
        `SELECT p.* FROM ${this.t('products')} p
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(catalog, brand, part)
           ON p.catalog = k.catalog AND p.match_brand = k.brand AND p.part_number = k.part`,
        [chunk.map((k) => k.catalog), chunk.map((k) => k.brand), chunk.map((k) => k.partNumber)],
      );
      for (const r of rows) {
        const p = productFromRow(r);
        out.set(keyString({ catalog: p.catalog, brand: r.match_brand, partNumber: p.partNumber }), p);
      }
    }
    return out;
  }

  async findProductsByNormalised(
    catalog: CatalogKind,
    brand: string,
    normalise: (partNumber: string) => string,
    keys: ReadonlySet<string>,
  ): Promise<Map<string, Product[]>> {
    const out = new Map<string, Product[]>();
    if (keys.size === 0) return out;
    const ids: Array<[string, number]> = [];
    for (const pn of await this.partNumbersWithIds(catalog, brand)) {
      const k = normalise(pn.part_number);
      if (keys.has(k)) ids.push([k, pn.id]);
    }
    if (ids.length === 0) return out;
    const { rows } = await this.pool.query(`SELECT * FROM ${this.t('products')} WHERE id = ANY($1::bigint[])`, [ids.map(([, id]) => id)]);
    const byId = new Map(rows.map((r) => [r.id as number, productFromRow(r)]));
    for (const [k, id] of ids) {
      const p = byId.get(id);
      if (!p) continue;
      const list = out.get(k);
      if (list) list.push(p);
      else out.set(k, [p]);
    }
    return out;
  }

  private async partNumbersWithIds(catalog: CatalogKind, brand: string): Promise<Array<{ id: number; part_number: string }>> {
    const { rows } = await this.pool.query(`SELECT id, part_number FROM ${this.t('products')} WHERE catalog = $1 AND match_brand = $2 ORDER BY part_number COLLATE "C"`, [catalog, brand]);
    return rows;
  }

  async partNumbersOf(catalog: CatalogKind, brand: string): Promise<string[]> {
    return (await this.partNumbersWithIds(catalog, brand)).map((r) => r.part_number);
  }

  async catalogBrands(): Promise<Array<{ catalog: CatalogKind; brand: string; products: number }>> {
    const { rows } = await this.pool.query(
      `SELECT catalog, match_brand AS brand, count(*)::int AS products FROM ${this.t('products')} GROUP BY catalog, match_brand ORDER BY catalog COLLATE "C", match_brand COLLATE "C"`,
    );
    return rows;
  }

  async countProducts(): Promise<number> {
    const { rows } = await this.pool.query(`SELECT count(*)::int AS n FROM ${this.t('products')}`);
    return rows[0].n;
  }

  async brands(): Promise<{ distributors: string[]; manufacturers: string[] }> {
    const d = await this.pool.query(
      `SELECT b FROM (SELECT DISTINCT match_brand AS b FROM ${this.t('products')} WHERE catalog = 'aftermarket' UNION SELECT abbreviation FROM ${this.t('distributors')}) u ORDER BY b COLLATE "C"`,
    );
    const m = await this.pool.query(
      `SELECT b FROM (SELECT DISTINCT match_brand AS b FROM ${this.t('products')} WHERE catalog <> 'aftermarket' UNION SELECT name FROM ${this.t('manufacturers')}) u ORDER BY b COLLATE "C"`,
    );
    return { distributors: d.rows.map((r) => r.b), manufacturers: m.rows.map((r) => r.b) };
  }

  // ---- inventory ------------------------------------------------------------------------

  async applyInventory(w: InventoryWrite): Promise<InventoryWriteResult> {
    const stage = await PgFeedStage.open(this);
    try {
      await stage.addPlan(w.sets, w.protectedIds);
      return await stage.apply(w);
    } finally {
      await stage.close();
    }
  }

  async openFeedStage(): Promise<FeedStage> {
    return PgFeedStage.open(this);
  }

  async reindexQueueSize(): Promise<number> {
    const { rows } = await this.pool.query(`SELECT count(*)::int AS n FROM ${this.t('reindex_queue')}`);
    return rows[0].n;
  }

  // ---- runs -----------------------------------------------------------------------------

  async startRun(job: Job, startedAt: string): Promise<number> {
    const { rows } = await this.pool.query(`INSERT INTO ${this.t('sync_runs')} (job, started_at, status) VALUES ($1, $2, 'running') RETURNING id`, [job, startedAt]);
    return rows[0].id;
  }

  async finishRun(
    id: number,
    r: { finishedAt: string; status: RunStatus; counts: Record<string, unknown>; reportPath: string | null; error: string | null },
  ): Promise<void> {
    await this.pool.query(`UPDATE ${this.t('sync_runs')} SET finished_at = $1, status = $2, counts = $3, report_path = $4, error = $5 WHERE id = $6`, [
      r.finishedAt,
      r.status,
      JSON.stringify(r.counts),
      r.reportPath,
      r.error,
      id,
    ]);
  }

  async markInterrupted(job: Job, at: string): Promise<InterruptedRun[]> {
    const r = await this.pool.query(
      `UPDATE ${this.t('sync_runs')} SET status = 'interrupted', finished_at = $1, error = coalesce(error, 'the process ended before the run finished') WHERE job = $2 AND status = 'running'
       RETURNING id, started_at, report_path`,
      [at, job],
    );
    return r.rows.map((x) => ({ id: Number(x.id), startedAt: iso(x.started_at)!, reportPath: x.report_path }));
  }

  async lastRun(job: Job, opts: { status?: RunStatus[]; notAfter?: string } = {}): Promise<RunRecord | null> {
    const statuses = opts.status ?? [];
    const params: unknown[] = [job];
    let where = '';
    if (statuses.length) where += ` AND status = ANY($${params.push(statuses)}::text[])`;
    if (opts.notAfter !== undefined) where += ` AND started_at <= $${params.push(opts.notAfter)}::timestamptz`;
    const { rows } = await this.pool.query(`SELECT * FROM ${this.t('sync_runs')} WHERE job = $1${where} ORDER BY started_at DESC, id DESC LIMIT 1`, params);
    const r = rows[0];
    if (!r) return null;
    return { id: r.id, job: r.job, startedAt: iso(r.started_at)!, finishedAt: iso(r.finished_at), status: r.status, counts: r.counts ?? {}, reportPath: r.report_path, error: r.error };
  }

  // ---- orders (pg-orders.ts) -------------------------------------------------------------

  importOrders: OrderStore['importOrders'] = (o, at) => orders.importOrders(this, o, at);
  orderQueue: OrderStore['orderQueue'] = (since) => orders.orderQueue(this, since);
  getOrders: OrderStore['getOrders'] = (n) => orders.getOrders(this, n);
  markPickedUp: OrderStore['markPickedUp'] = (n, at) => orders.markPickedUp(this, n, at);
  claimOrders: OrderStore['claimOrders'] = (n, c) => orders.claimOrders(this, n, c);
  settleOrders: OrderStore['settleOrders'] = (st, c) => orders.settleOrders(this, st, c);
  sendingToReconcile: OrderStore['sendingToReconcile'] = (b) => orders.sendingToReconcile(this, b);
  adoptSending: OrderStore['adoptSending'] = (n, c) => orders.adoptSending(this, n, c);
  ordersNeedingAttention: OrderStore['ordersNeedingAttention'] = (m) => orders.ordersNeedingAttention(this, m);

  // ---- locks: advisory locks on a dedicated connection ------------------------------------

  async acquireLock(
    job: Job,
    me: { owner: string; pid: number; host: string },
    now: string,
  ): Promise<{ acquired: true; tookOverFrom?: LockInfo } | { acquired: false; holder: LockInfo }> {
    const client = new pg.Client({ connectionString: libpqCompatibleUrl(this.url), application_name: `lizzy-sync lock ${job}` });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('lizzy-sync:' || $1::text), hashtext($2::text)) AS ok", [this.schema, job]);
      const previous = await this.lockHolder(job);
      if (!rows[0]!.ok) {
        await client.end();
        return {
          acquired: false,
          holder: previous ?? { job, owner: '?', pid: 0, host: 'another connection', acquiredAt: now, heartbeatAt: now },
        };
      }
      this.lockClients.set(`${job}:${me.owner}`, client);
      await this.pool.query(
        `INSERT INTO ${this.t('job_locks')} (job, owner, pid, host, acquired_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (job) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
        [job, me.owner, me.pid, me.host, now],
      );
      // A row left behind means its holder's connection died without releasing: taken over.
      return previous && previous.owner !== me.owner ? { acquired: true, tookOverFrom: previous } : { acquired: true };
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  async heartbeatLock(job: Job, owner: string, now: string): Promise<boolean> {
    const r = await this.pool.query(`UPDATE ${this.t('job_locks')} SET heartbeat_at = $1 WHERE job = $2 AND owner = $3`, [now, job, owner]);
    return r.rowCount === 1;
  }

  async releaseLock(job: Job, owner: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.t('job_locks')} WHERE job = $1 AND owner = $2`, [job, owner]).catch(() => undefined);
    const client = this.lockClients.get(`${job}:${owner}`);
    this.lockClients.delete(`${job}:${owner}`);
    if (client) {
      await client.query("SELECT pg_advisory_unlock(hashtext('lizzy-sync:' || $1::text), hashtext($2::text))", [this.schema, job]).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  async lockHolder(job: Job): Promise<LockInfo | null> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.t('job_locks')} WHERE job = $1`, [job]);
    const r = rows[0];
    if (!r) return null;
    return { job: r.job, owner: r.owner, pid: r.pid, host: r.host, acquiredAt: iso(r.acquired_at)!, heartbeatAt: iso(r.heartbeat_at)! };
  }
}

