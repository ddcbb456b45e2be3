/**
 * PostgreSQL-only guarantees: several processes (several machines) on one database.
 * Runs when LIZZY_TEST_PG_URL names a database (.ci/run creates one).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS } from '../src/store/postgres/migrations.js';
import { PgStore } from '../src/store/postgres/pg-store.js';
import type { OrderImport } from '../src/store/orders.js';
import { cliEnv, FIXTURES, mockNext, readCsvFile, runCli, spawnCli, startMock, tempDir, writeConfig } from './helpers.js';
import { PG_URL, storeFor } from './stores.js';
// @ts-expect-error: a plain .mjs script without types
import { makeOrders } from '../scripts/gen-fixtures.mjs';

const NOW = '2026-12-03T18:00:00Z';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function setup(extra = '') {
  const t = tempDir();
  const store = storeFor('postgres', t.dir);
  const mock = await startMock(t.dir);
  const config = writeConfig(t.dir, { baseUrl: mock.url, databaseYaml: store.yaml, extra });
  cleanups.push(t.cleanup, () => store.drop(), () => mock.close());
  return { dir: t.dir, store, mock, config };
}

describe.skipIf(!PG_URL)('PostgreSQL: many processes, no double work', () => {
  // Found by a break-it pass: a connection that failed right after the COMMIT (here: the
  // stage's closing DROP fails, through an event trigger in a database of this test's own)
  // made the run 'failed' with "Nothing was changed", though the feed had been applied.
  it('a database error after the apply committed: the run is what it applied, with a warning', async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const dbName = `lizzy_t_${process.pid}_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${dbName}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    });
    const url = new URL(PG_URL!);
    url.pathname = `/${dbName}`;
    const own = new pg.Client({ connectionString: url.toString() });
    await own.connect();
    // Only the stage's final DROP names plan_set and feed_cross together.
    await own.query(`CREATE FUNCTION fail_close() RETURNS event_trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM pg_event_trigger_dropped_objects() WHERE object_name IN ('plan_set', 'feed_cross')) = 2 THEN
          RAISE EXCEPTION 'injected failure after the commit';
        END IF;
      END $$`);
    await own.query('CREATE EVENT TRIGGER fail_close ON sql_drop EXECUTE FUNCTION fail_close()');
    await own.end();
    const t = tempDir();
    const mock = await startMock(t.dir);
    cleanups.push(t.cleanup, () => mock.close());
    const config = writeConfig(t.dir, { baseUrl: mock.url, databaseYaml: `database:\n  postgres: ${url.toString()}\n` });
    const env = { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) };
    expect((await runCli(['--config', config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], env)).code).toBe(0);
    const r = await runCli(['--config', config, '--json', 'inventory', 'pull'], env);
    expect(r.code, r.stderr).toBe(1); // needs_attention: the sample feed has invalid items
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'needs_attention', productsUpdated: 4645 });
    expect(r.stderr).toContain('The feed was applied and committed, but dropping the temporary tables failed afterwards: injected failure after the commit');
    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    const runs = await check.query(`SELECT status, report_path FROM lizzy.sync_runs WHERE job = 'inventory'`);
    await check.end();
    expect(runs.rows).toEqual([{ status: 'needs_attention', report_path: expect.stringMatching(/inventory-\d{8}-\d{6}-\d{3}Z\.csv$/) }]);
  });

  it('two concurrent order pushes on one database: Lizzy receives each of 50 orders exactly once', async () => {
    const ctx = await setup();
    const orders = makeOrders(new Date(NOW), 50, { staleShare: 0, maxAgeHours: 72, firstOrderNumber: 300001 });
    const file = path.join(ctx.dir, 'orders.json');
    writeFileSync(file, JSON.stringify(orders));
    const imp = await runCli(['--config', ctx.config, 'orders', 'import', file], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    expect(imp.code, imp.stderr).toBe(0);
    // Slow Lizzy down so the two runs overlap.
    await mockNext(ctx.mock, { path: '/submitorder', delayMs: 40, times: 100 });
    const env = { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) };
    const [a, b] = await Promise.all([
      runCli(['--config', ctx.config, 'orders', 'push'], env),
      runCli(['--config', ctx.config, 'orders', 'push'], env),
    ]);
    // One may find the other holding the job lock (75); neither fails otherwise.
    expect([a.code, b.code].sort(), a.stderr + b.stderr).toEqual(expect.arrayContaining([0]));
    for (const c of [a.code, b.code]) expect([0, 75]).toContain(c);
    const rerun = await runCli(['--config', ctx.config, 'orders', 'push'], env);
    expect(rerun.code).toBe(0);
    const received = ctx.mock.state.received.map((r) => r.orderNumber).sort();
    expect(received).toEqual(orders.map((o: { orderNumber: string }) => o.orderNumber).sort());
    expect(new Set(received).size).toBe(50);
    const states = await ctx.store.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM orders GROUP BY state');
    expect(states).toEqual([{ state: 'sent', n: 50 }]);
  });

  it('two concurrent orders imports of conflicting files never mix one order’s header and lines', async () => {
    const ctx = await setup();
    const base = makeOrders(new Date(NOW), 1, { staleShare: 0, maxAgeHours: 24, firstOrderNumber: 400001 })[0];
    const files = ['X', 'Y'].map((t) => {
      const orders = Array.from({ length: 800 }, (_, i) => ({
        ...base,
        orderNumber: `R${i}`,
        shipTo: { ...base.shipTo, name: t === 'X' ? 'Xavier X' : 'Yvonne Y' },
        tax: 0,
        shipping: 0,
        total: t === 'X' ? 1 : 2,
        items: [{ productId: `P-${t}`, manufacturer: 'M', description: t, price: '1.00', quantity: t === 'X' ? 1 : 2 }],
      }));
      const file = path.join(ctx.dir, `race-${t}.json`);
      writeFileSync(file, JSON.stringify(orders));
      return file;
    });
    const env = { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) };
    const rs = await Promise.all(files.map((f) => runCli(['--config', ctx.config, 'orders', 'import', f], env)));
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const mixed = await ctx.store.query(
      `SELECT o.order_number FROM orders o JOIN order_items i USING (order_number) WHERE (o.ship_name = 'Yvonne Y') <> (i.product_id = 'P-Y')`,
    );
    expect(mixed).toEqual([]);
    const n = await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(n[0]!.n).toBe(800);
  });

  it('claims are disjoint even without the job lock (FOR UPDATE SKIP LOCKED)', async () => {
    const ctx = await setup();
    const schema = /schema: (\S+)/.exec(ctx.store.yaml)![1]!;
    const [s1, s2] = await Promise.all([PgStore.open(PG_URL!, schema), PgStore.open(PG_URL!, schema)]);
    cleanups.push(() => s1.close(), () => s2.close());
    const base = { shipTo: addr(), billTo: addr(), taxCents: 0, shippingCents: 0, totalCents: 100, contentHash: 'h' };
    const numbers = Array.from({ length: 50 }, (_, i) => `C${1000 + i}`);
    await s1.importOrders(
      numbers.map((n): OrderImport => ({ ...base, orderNumber: n, placedAt: '2026-12-03T10:00:00.000Z', items: [{ productId: 'X', manufacturer: 'M', description: 'd', priceCents: 100, quantity: 1 }] })),
      NOW,
    );
    const r1 = await s1.startRun('orders', NOW);
    const r2 = await s2.startRun('orders', NOW);
    const claims: string[][] = [[], []];
    await Promise.all(
      [s1, s2].map(async (s, i) => {
        for (let k = 0; k < numbers.length; k += 5) {
          const got = await s.claimOrders(numbers.slice(k, k + 5), { runId: i === 0 ? r1 : r2, at: NOW, countAttempt: true });
          claims[i]!.push(...got.map((o) => o.orderNumber));
        }
      }),
    );
    const all = [...claims[0]!, ...claims[1]!];
    expect(all.sort()).toEqual([...numbers].sort());
    expect(new Set(all).size).toBe(50);
  });

  it('every diagnostic command runs on PostgreSQL (none ends as an internal error)', async () => {
    const ctx = await setup();
    const env = { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) };
    expect((await runCli(['--config', ctx.config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], env)).code).toBe(0);
    const v = await runCli(['--config', ctx.config, '--json', 'mappings', 'validate', '--feed', path.join(FIXTURES, 'lizzy-feed.json')], env);
    expect(v.code, v.stderr).toBe(1);
    expect(JSON.parse(v.stdout).nearMisses.map((n: { feedName: string }) => n.feedName).sort()).toEqual(['HONDA ', 'Tucker Rocky']);
    const live = await runCli(['--config', ctx.config, 'mappings', 'validate'], env);
    expect(live.code, live.stderr).toBe(1);
    expect((await runCli(['--config', ctx.config, 'inventory', 'pull'], env)).code).toBe(1);
    const st = await runCli(['--config', ctx.config, '--json', 'status'], env);
    expect([0, 1]).toContain(st.code);
    expect(JSON.parse(st.stdout).inventory.lastRun.status).toBe('needs_attention');
    // The run's counts in the order SQLite keeps them (jsonb reordered them by key length).
    const text = await runCli(['--config', ctx.config, 'status'], env);
    expect(text.stdout).toMatch(/updated [\d,]+, unchanged [\d,]+, not found [\d,]+, unrecognized vendor [\d,]+, invalid [\d,]+, feed items [\d,]+/);
    const ex = await runCli(['--config', ctx.config, 'explain', '--vendor', 'HONDA', '--item', '17210-KYJ-901'], env);
    expect([0, 1], ex.stderr).toContain(ex.code);
    const cc = await runCli(['--config', ctx.config, 'config', 'check', '--offline'], env);
    expect([0, 1], cc.stderr).toContain(cc.code);
    for (const r of [v, live, st, ex, cc]) expect(r.stderr).not.toContain('internal error');
  });

  it('a webstore role with only SELECT and DELETE on reindex_queue can clear what it has re-indexed', async () => {
    const ctx = await setup();
    const env = { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) };
    expect((await runCli(['--config', ctx.config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], env)).code).toBe(0);
    await runCli(['--config', ctx.config, 'inventory', 'pull', '--force'], env);
    const queued = Number((await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM reindex_queue'))[0]!.n);
    expect(queued).toBeGreaterThan(0);
    const schema = /schema: (\S+)/.exec(ctx.store.yaml)![1]!;
    const role = `webstore_${schema}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    cleanups.push(async () => {
      await c.query('RESET ROLE');
      await c.query(`DROP OWNED BY ${role}`);
      await c.query(`DROP ROLE IF EXISTS ${role}`);
      await c.end();
    });
    await c.query(`CREATE ROLE ${role} NOLOGIN`);
    await c.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await c.query(`GRANT SELECT ON ${schema}.products TO ${role}`);
    await c.query(`GRANT SELECT, DELETE ON ${schema}.reindex_queue TO ${role}`);
    await c.query(`SET ROLE ${role}`);
    const first = (await c.query(`SELECT product_id FROM ${schema}.reindex_queue ORDER BY product_id LIMIT 1`)).rows[0].product_id;
    await c.query(`DELETE FROM ${schema}.reindex_queue WHERE product_id = $1`, [first]);
    await expect(c.query(`UPDATE ${schema}.products SET shelf_qty = 1 WHERE id = $1`, [first])).rejects.toThrow(/permission denied/);
    await c.query('RESET ROLE');
    expect(Number((await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM reindex_queue'))[0]!.n)).toBe(queued - 1);
    expect(await ctx.store.query('SELECT id FROM products WHERE id = ?', [first])).toHaveLength(1);
  });

  // Found by a break-it pass: the README's least-privilege setup (a role that owns its schema,
  // no CREATE on the database) failed every command: CREATE SCHEMA IF NOT EXISTS asks for
  // CREATE on the database even when the schema exists.
  it('a role that owns only its schema (no CREATE on the database) runs every command', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const id = `${process.pid}_${Date.now() % 100000}`;
    const role = `lz_owner_${id}`;
    const schema = `lz_own_${id}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    cleanups.push(async () => {
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.query(`DROP ROLE IF EXISTS ${role}`);
      await c.end();
    });
    await c.query(`CREATE ROLE ${role} LOGIN`);
    await c.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
    const { rows } = await c.query<{ ok: boolean }>(`SELECT has_database_privilege($1, current_database(), 'CREATE') AS ok`, [role]);
    expect(rows[0]!.ok).toBe(false);
    const url = new URL(PG_URL!);
    url.username = role;
    url.password = '';
    const mock = await startMock(t.dir);
    cleanups.push(() => mock.close());
    const config = writeConfig(t.dir, { baseUrl: mock.url, databaseYaml: `database:\n  postgres: ${url.toString()}\n  schema: ${schema}\n` });
    const env = { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) };
    const imp = await runCli(['--config', config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], env);
    expect(imp.code, imp.stderr).toBe(0);
    expect((await runCli(['--config', config, 'inventory', 'pull', '--dry-run'], env)).code).toBeLessThan(2);
    expect((await runCli(['--config', config, 'status'], env)).stderr).not.toContain('permission denied');
  });

  it('migrations run once when several processes start together', async () => {
    const ctx = await setup();
    const schema = /schema: (\S+)/.exec(ctx.store.yaml)![1]!;
    const stores = await Promise.all([1, 2, 3, 4].map(() => PgStore.open(PG_URL!, schema)));
    cleanups.push(async () => {
      for (const s of stores) await s.close();
    });
    const rows = await ctx.store.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('job locks are advisory locks: a second pull gets 75, and a killed holder’s lock dies with its connection', async () => {
    const ctx = await setup();
    const imp = await runCli(['--config', ctx.config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], { env: cliEnv() });
    expect(imp.code, imp.stderr).toBe(0);
    await mockNext(ctx.mock, { path: '/inventoryfeed', delayMs: 4000, times: 1 });
    const first = spawnCli(['--config', ctx.config, 'inventory', 'pull'], { env: cliEnv() });
    for (let i = 0; i < 200; i++) {
      if ((await ctx.store.query('SELECT 1 FROM job_locks')).length > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const second = await runCli(['--config', ctx.config, 'inventory', 'pull'], { env: cliEnv() });
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(/Another inventory run holds the lock: pid \d+/);
    first.child.kill('SIGKILL');
    await first.exited;
    // No waiting for staleness: PostgreSQL released the lock with the dead connection.
    const third = await runCli(['--config', ctx.config, 'inventory', 'pull'], { env: cliEnv() });
    expect(third.code, third.stderr).toBe(1);
    expect(third.stderr).toContain(`Took over the inventory lock left by pid ${first.child.pid}`);
  });
});

// Found by break-it passes: under READ COMMITTED the cleared list (a cursor) and the clearing
// UPDATE saw different snapshots, so a webstore write committed between them made the list
// name a product the run did not clear; a queued table lock then held up every webstore
// write behind it; a dropped connection crashed the process; a dropped lock connection let a
// second run take over while the first went on to apply.
describe.skipIf(!PG_URL)('PostgreSQL: the apply, concurrent writers and lost connections', () => {
  async function clearingSetup(feed: unknown[] = [{ VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 9 }]) {
    const t = tempDir();
    const store = storeFor('postgres', t.dir);
    const mock = await startMock(t.dir, { feed });
    const config = writeConfig(t.dir, { baseUrl: mock.url, databaseYaml: store.yaml, clear: true });
    cleanups.push(t.cleanup, () => store.drop(), () => mock.close());
    const imp = await runCli(['--config', config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], { env: cliEnv() });
    expect(imp.code, imp.stderr).toBe(0);
    const schema = /schema: (\S+)/.exec(store.yaml)![1]!;
    const client = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      cleanups.push(() => c.end().catch(() => undefined));
      await c.query(`SET search_path TO ${schema}`);
      return c;
    };
    return { dir: t.dir, store, mock, config, schema, client };
  }

  /** The backend of a pull that is inside its apply transaction (it holds job_locks FOR SHARE). */
  async function applyingPid(watcher: pg.Client, schema: string): Promise<number> {
    for (let i = 0; i < 800; i++) {
      const r = await watcher.query<{ pid: number }>(
        `SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = 'job_locks' AND l.mode = 'RowShareLock' AND l.granted`,
        [schema],
      );
      if (r.rows[0]) return r.rows[0].pid;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error('the pull never reached its apply');
  }

  it('a webstore write that commits during the apply: the list names exactly what the run cleared, and other writers are not held up', async () => {
    const ctx = await clearingSetup();
    const [victim, other] = await ctx.store.query<{ id: number; part_number: string }>(
      `SELECT id, part_number FROM products WHERE shelf_qty <> 0 AND part_number <> '0101-0042' ORDER BY id LIMIT 2`,
    );
    // The webstore sells the last of one product, in a transaction still open when the pull applies.
    const web = await ctx.client();
    await web.query('BEGIN');
    await web.query('UPDATE products SET shelf_qty = 0 WHERE id = $1', [victim!.id]);
    const p = spawnCli(['--config', ctx.config, 'inventory', 'pull', '--force', '--json'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    await applyingPid(await ctx.client(), ctx.schema);
    await new Promise((res) => setTimeout(res, 300));
    // While the pull waits for the table, another webstore write goes through at once.
    const web2 = await ctx.client();
    await web2.query(`SET statement_timeout = '3s'`);
    await web2.query(`UPDATE products SET description = 'edited' WHERE id = $1`, [other!.id]);
    await web.query('COMMIT');
    expect(await p.exited, p.stderr()).toBe(0);
    const j = JSON.parse(p.stdout());
    const list = readCsvFile(j.clearedReportPath);
    expect(list).toHaveLength(j.cleared);
    // The webstore zeroed the victim before the clearing ran: the run did not clear it, so it is not listed.
    expect(list.map((x) => x.part_number)).not.toContain(victim!.part_number);
    expect(list.map((x) => x.part_number)).toContain(other!.part_number);
    const stocked = await ctx.store.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE shelf_qty <> 0');
    expect(stocked[0]!.n).toBe(1);
  });

  it('the pull’s connection killed during the apply: exit 3 with a message, the run recorded failed, nothing changed', async () => {
    const ctx = await clearingSetup();
    const before = await ctx.store.query('SELECT id, shelf_qty FROM products ORDER BY id');
    const web = await ctx.client();
    await web.query('BEGIN');
    await web.query(`UPDATE products SET description = 'held' WHERE id = (SELECT min(id) FROM products)`);
    const p = spawnCli(['--config', ctx.config, 'inventory', 'pull', '--force'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    const watcher = await ctx.client();
    const pid = await applyingPid(watcher, ctx.schema);
    await watcher.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(await p.exited).toBe(3);
    expect(p.stderr()).toMatch(/database/i);
    expect(p.stderr()).toContain('Nothing was changed');
    expect(p.stderr()).not.toMatch(/\n\s+at |Unhandled|internal error/);
    await web.query('ROLLBACK');
    expect(await ctx.store.query('SELECT id, shelf_qty FROM products ORDER BY id')).toEqual(before);
    expect((await ctx.store.query<{ status: string }>(`SELECT status FROM sync_runs WHERE job = 'inventory'`)).map((r) => r.status)).toEqual(['failed']);
  });

  it('a lock connection that drops: the run that took over applies; the first stops before applying (exit 75), changing nothing', async () => {
    const ctx = await clearingSetup();
    await mockNext(ctx.mock, { path: '/inventoryfeed', delayMs: 3000, times: 1 });
    const first = spawnCli(['--config', ctx.config, 'inventory', 'pull', '--force'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    const watcher = await ctx.client();
    let killed = 0;
    for (let i = 0; i < 200 && killed === 0; i++) {
      const r = await watcher.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lizzy-sync lock inventory'`);
      killed = r.rowCount ?? 0;
      if (killed === 0) await new Promise((res) => setTimeout(res, 25));
    }
    expect(killed).toBe(1);
    const second = await runCli(['--config', ctx.config, 'inventory', 'pull', '--force', '--json'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('Took over the inventory lock');
    const after = await ctx.store.query('SELECT id, shelf_qty, updated_at FROM products ORDER BY id');
    expect(await first.exited, first.stderr()).toBe(75);
    expect(first.stderr()).toContain('This inventory run lost its lock before applying');
    expect(first.stderr()).toContain('Nothing was changed by this run');
    expect(await ctx.store.query('SELECT id, shelf_qty, updated_at FROM products ORDER BY id')).toEqual(after);
  });
});

function addr() {
  return { name: 'A B', email: 'a@example.com', phone: '555-0100', address1: '1 Main St', address2: '', city: 'Bend', state: 'OR', zip: '97701', country: 'US' };
}
