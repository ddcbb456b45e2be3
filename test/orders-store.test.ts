/**
 * The SQLite OrderStore on real files: migration 2, import semantics, the claim (two real
 * processes racing on one file never claim the same order), settling and reconciling.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readOrderExport } from '../src/orders/import.js';
import type { OrderImport } from '../src/store/orders.js';
import { SQLITE_MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

const fixture = JSON.parse(readFileSync(path.join(FIXTURES, 'orders.json'), 'utf8')) as Array<Record<string, any>>;
const orders = (raw: unknown[] = fixture): OrderImport[] => readOrderExport(raw).orders;
const AT = '2026-12-03T18:00:00.000Z';

let tmp: { dir: string; cleanup(): void };
let file: string;
let store: SqliteStore;
beforeEach(() => {
  tmp = tempDir('lizzy-orders-store-');
  file = path.join(tmp.dir, 'db.sqlite');
  store = new SqliteStore(file);
});
afterEach(async () => {
  await store.close();
  tmp.cleanup();
});

const stateOf = (n: string) => store.db.prepare('SELECT state, attempts, last_error, claim_run, invoice_number, total_cents FROM orders WHERE order_number = ?').get(n) as Record<string, any>;

describe('migration 2', () => {
  it('upgrades a database written at schema 1 without touching its data', async () => {
    await store.close();
    const old = path.join(tmp.dir, 'v1.sqlite');
    const db = new Database(old);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    db.exec(SQLITE_MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?)').run(SQLITE_MIGRATIONS[0]!.name, AT);
    db.prepare("INSERT INTO sync_runs (job, started_at, status) VALUES ('inventory', ?, 'success')").run(AT);
    db.close();
    store = new SqliteStore(old);
    const versions = (store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toContain(2);
    expect((store.db.prepare('SELECT count(*) AS n FROM sync_runs').get() as { n: number }).n).toBe(1);
    expect(await store.importOrders(orders().slice(0, 2), AT)).toEqual(['added', 'added']);
  });
});

describe('importOrders', () => {
  it('adds, then changes nothing on the same input', async () => {
    expect(new Set(await store.importOrders(orders(), AT))).toEqual(new Set(['added']));
    expect(new Set(await store.importOrders(orders(), AT))).toEqual(new Set(['unchanged']));
    const [o] = await store.getOrders(['W100113']);
    expect(o).toMatchObject({ orderNumber: 'W100113', state: 'pending', attempts: 0, taxCents: 163, totalCents: 2192, placedAt: '2026-11-28T01:29:29.000Z' });
    expect(o!.items.map((i) => [i.productId, i.priceCents, i.quantity])).toEqual([
      ['RM-STICKER-SM', 10, 1],
      ['94109-12000', 20, 1],
      ['RM-1001', 1999, 1],
    ]);
  });

  it('updates a changed pending order, keeps a sent or sending one as it is', async () => {
    await store.importOrders(orders(), AT);
    const runId = await store.startRun('orders', AT);
    await store.claimOrders(['W100120', 'W100121'], { runId, at: AT, countAttempt: true });
    await store.settleOrders([{ orderNumber: 'W100120', outcome: 'sent', invoiceNumber: 'INV1' }], { runId, at: AT });
    const changed = structuredClone(fixture).map((o) => (['W100119', 'W100120', 'W100121'].includes(o.orderNumber) ? { ...o, total: 1 } : o));
    const outcomes = await store.importOrders(orders(changed), AT);
    const by = Object.fromEntries(orders(changed).map((o, i) => [o.orderNumber, outcomes[i]]));
    expect(by).toMatchObject({ W100119: 'updated', W100120: 'kept_sent', W100121: 'kept_sending', W100122: 'unchanged' });
    expect(stateOf('W100119').total_cents).toBe(100);
    expect(stateOf('W100120')).toMatchObject({ state: 'sent', total_cents: 60645, invoice_number: 'INV1' });
    expect(stateOf('W100121')).toMatchObject({ state: 'sending', total_cents: 2684 });
  });

  it('an order the file says was sent is added as sent, or marked sent if pending', async () => {
    await store.importOrders(orders().slice(0, 3), AT);
    const withSent = structuredClone(fixture.slice(0, 4)).map((o) => ({ ...o, sentAt: '2026-11-30T00:00:00Z' }));
    expect(await store.importOrders(orders(withSent), AT)).toEqual(['marked_sent', 'marked_sent', 'marked_sent', 'added']);
    expect(stateOf('W100104').state).toBe('sent');
    expect(stateOf('W100101').state).toBe('sent');
  });
});

describe('claim, settle, reconcile', () => {
  it('claims only pending orders, counts the attempt, and settles only its own claim', async () => {
    await store.importOrders(orders(), AT);
    const a = await store.startRun('orders', AT);
    const b = await store.startRun('orders', AT);
    const first = await store.claimOrders(['W100119', 'W100120'], { runId: a, at: AT, countAttempt: true });
    expect(first.map((o) => o.orderNumber)).toEqual(['W100119', 'W100120']);
    expect(first[0]!.attempts).toBe(1);
    expect(first[0]!.pickedUpAt).toBe(AT);
    // A second claimer gets nothing already claimed.
    const second = await store.claimOrders(['W100120', 'W100121'], { runId: b, at: AT, countAttempt: true });
    expect(second.map((o) => o.orderNumber)).toEqual(['W100121']);
    // Run b cannot settle run a's orders.
    expect(await store.settleOrders([{ orderNumber: 'W100119', outcome: 'sent' }], { runId: b, at: AT })).toBe(0);
    expect(
      await store.settleOrders(
        [
          { orderNumber: 'W100119', outcome: 'sent', invoiceNumber: 'INV9' },
          { orderNumber: 'W100120', outcome: 'pending', error: 'HTTP 400' },
        ],
        { runId: a, at: AT },
      ),
    ).toBe(2);
    expect(stateOf('W100119')).toMatchObject({ state: 'sent', invoice_number: 'INV9', last_error: null });
    expect(stateOf('W100120')).toMatchObject({ state: 'pending', attempts: 1, last_error: 'HTTP 400' });
    // The order-by-order retry of a refused batch does not count a second attempt.
    await store.claimOrders(['W100120'], { runId: a, at: AT, countAttempt: false });
    expect(stateOf('W100120').attempts).toBe(1);
  });

  it('reconciles only "sending" orders of runs that ended, or whose requests have surely timed out', async () => {
    await store.importOrders(orders(), AT);
    const ended = await store.startRun('orders', AT);
    const live = await store.startRun('orders', AT);
    await store.claimOrders(['W100119'], { runId: ended, at: AT, countAttempt: true });
    await store.settleOrders([{ orderNumber: 'W100119', outcome: 'unknown', error: 'outcome unknown: socket hang up' }], { runId: ended, at: AT });
    await store.finishRun(ended, { finishedAt: AT, status: 'failed', counts: {}, reportPath: null, error: 'x' });
    await store.claimOrders(['W100120'], { runId: live, at: '2026-12-03T18:01:00.000Z', countAttempt: true });
    const before = '2026-12-03T18:00:30.000Z';
    expect((await store.sendingToReconcile(before)).map((o) => o.orderNumber)).toEqual(['W100119']);
    expect(stateOf('W100119')).toMatchObject({ state: 'sending', last_error: 'outcome unknown: socket hang up' });
    const me = await store.startRun('orders', AT);
    expect(await store.adoptSending(['W100119', 'W100120'], { runId: me, at: '2026-12-03T18:02:00.000Z', claimedBefore: before })).toEqual(['W100119']);
    // Now W100119 belongs to a live run (me): not reconcilable by others until its claim is old.
    expect((await store.sendingToReconcile(before)).map((o) => o.orderNumber)).toEqual([]);
    // Long after any request of theirs must have timed out, both may be reconciled.
    expect((await store.sendingToReconcile('2026-12-03T18:05:00.000Z')).map((o) => o.orderNumber)).toEqual(['W100119', 'W100120']);
    expect((await store.ordersNeedingAttention(1)).map((o) => o.orderNumber)).toEqual(['W100119', 'W100120']);
  });

  it('two processes racing on one file never claim the same order', async () => {
    await store.importOrders(orders(), AT);
    const runs = [await store.startRun('orders', AT), await store.startRun('orders', AT)];
    await store.close();
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(path.join(ROOT, 'dist/store/sqlite/sqlite-store.js'))});
      const store = new SqliteStore(process.argv[1]);
      const runId = Number(process.argv[2]);
      const mine = [];
      for (;;) {
        const pending = (await store.orderQueue('9999')).filter((o) => o.state === 'pending').map((o) => o.orderNumber);
        if (pending.length === 0) break;
        const got = await store.claimOrders(pending.slice(0, 3), { runId, at: new Date().toISOString(), countAttempt: true });
        mine.push(...got.map((o) => o.orderNumber));
      }
      await store.close();
      process.stdout.write(JSON.stringify(mine));
    `;
    const race = (runId: number) =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, file, String(runId)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let errText = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (errText += d));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(errText))));
      });
    const [a, b] = await Promise.all(runs.map(race));
    const all = [...a!, ...b!];
    expect(all).toHaveLength(30);
    expect(new Set(all).size).toBe(30);
    store = new SqliteStore(file);
    const claimedBy = store.db.prepare('SELECT claim_run AS run, count(*) AS n FROM orders GROUP BY claim_run').all() as { run: number; n: number }[];
    expect(claimedBy.reduce((s, r) => s + r.n, 0)).toBe(30);
    expect((store.db.prepare('SELECT max(attempts) AS m FROM orders').get() as { m: number }).m).toBe(1);
  });
});
