import path from 'node:path';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { OrderImport } from '../src/store/orders.js';
import type { RunRecord } from '../src/store/types.js';
import { assessStatus, inventoryAllowanceMs, type StatusInput } from '../src/status/status.js';
import { runCli, tempDir, writeConfig } from './helpers.js';
import { NOW, setup, type Ctx } from './mappings-helpers.js';

const H = 3_600_000;

function run(job: 'inventory' | 'orders', startedAt: string, status: RunRecord['status'] = 'success', id = 1): RunRecord {
  const end = new Date(Date.parse(startedAt) + 60_000).toISOString();
  return { id, job, startedAt, finishedAt: end, status, counts: { updated: 3 }, reportPath: null, error: null };
}

function input(over: Partial<StatusInput> = {}): StatusInput {
  const now = new Date(NOW); // Thursday 10:00 PST
  const inv = run('inventory', '2026-12-03T12:00:00Z');
  const ord = run('orders', '2026-12-03T17:00:00Z');
  return {
    now,
    timeZone: 'America/Los_Angeles',
    localTimeZone: 'UTC',
    schedule: { inventory: '0 4,5 * * *', orders: '0 * * * *' },
    disabledDays: [],
    inventory: { lastRun: inv, lastSuccess: inv, lock: null },
    orders: { lastRun: ord, lastSuccess: ord, lock: null },
    orderFacts: { pending: 0, sending: 0, needsAttention: 0, needsAttentionOrders: [], expired: 0, lookbackDays: 7 },
    lockStaleMs: 120_000,
    ...over,
  };
}

describe('assessStatus (pure, clock passed in)', () => {
  it('healthy: recent runs, nothing waiting; next runs in Pacific and local time', () => {
    const s = assessStatus(input());
    expect(s.healthy).toBe(true);
    expect(s.problems).toEqual([]);
    expect(s.inventory.nextRuns[0]).toEqual({ at: '2026-12-04T12:00:00.000Z', zoned: '2026-12-04 04:00 PST', local: '2026-12-04 12:00 UTC' });
    expect(s.orders.nextRuns.map((n) => n.zoned)).toEqual(['2026-12-03 11:00 PST', '2026-12-03 12:00 PST', '2026-12-03 13:00 PST']);
    expect(s.inventory.lastRun).toMatchObject({ durationMs: 60_000, ageMs: 6 * H });
  });

  it('unhealthy past 26 hours of inventory, 2 hours of orders, or any order needing attention', () => {
    const old = run('inventory', new Date(Date.parse(NOW) - 26 * H - 2 * 60_000).toISOString());
    const s = assessStatus(input({ inventory: { lastRun: old, lastSuccess: old, lock: null } }));
    expect(s.healthy).toBe(false);
    expect(s.inventory.problems[0]).toMatch(/^the last successful inventory pull finished 26 h ago, more than 26 h/);
    // Exactly 26 hours is still fine.
    const edge = run('inventory', new Date(Date.parse(NOW) - 26 * H - 60_000).toISOString());
    expect(assessStatus(input({ inventory: { lastRun: edge, lastSuccess: edge, lock: null } })).healthy).toBe(true);

    const o = run('orders', new Date(Date.parse(NOW) - 2 * H - 2 * 60_000).toISOString());
    expect(assessStatus(input({ orders: { lastRun: o, lastSuccess: o, lock: null } })).orders.problems).toEqual(['the last successful order push finished 2 h ago, more than 2 h']);

    const att = assessStatus(input({ orderFacts: { pending: 2, sending: 0, needsAttention: 2, needsAttentionOrders: ['W1001', 'W1002'], expired: 0, lookbackDays: 7 } }));
    expect(att.healthy).toBe(false);
    expect(att.orders.problems[0]).toMatch(/^2 orders need attention \(W1001, W1002\)/);

    const never = assessStatus(input({ inventory: { lastRun: null, lastSuccess: null, lock: null } }));
    expect(never.problems[0]).toContain('no inventory pull has finished successfully yet');
  });

  it('a failed last run with an older success: judged by the success', () => {
    const ok = run('inventory', '2026-12-03T12:00:00Z', 'success', 1);
    const failed = run('inventory', '2026-12-03T13:00:00Z', 'failed', 2);
    const s = assessStatus(input({ inventory: { lastRun: failed, lastSuccess: ok, lock: null } }));
    expect(s.inventory.healthy).toBe(true);
    expect(s.inventory.lastRun!.status).toBe('failed');
  });

  it('disabled days do not count against the inventory: no alarm over a weekend off', () => {
    // Friday 2026-12-04 05:00 PST success; Sunday 2026-12-06 10:00 PST is 53 h later.
    const fri = run('inventory', '2026-12-04T13:00:00Z');
    const sunday = new Date('2026-12-06T18:00:00Z');
    const weekendOff = input({ now: sunday, disabledDays: ['saturday', 'sunday'], inventory: { lastRun: fri, lastSuccess: fri, lock: null } });
    weekendOff.orders = { lastRun: run('orders', '2026-12-06T17:30:00Z'), lastSuccess: run('orders', '2026-12-06T17:30:00Z'), lock: null };
    const s = assessStatus(weekendOff);
    expect(s.inventory.healthy).toBe(true);
    expect(s.inventory.allowedAgeHours).toBe(74);
    // Skipped days are not listed as next runs.
    expect(s.inventory.nextRuns[0]!.zoned).toBe('2026-12-07 04:00 PST');
    // Monday 10:00 PST without Monday's run: unhealthy.
    const monday = assessStatus({ ...weekendOff, now: new Date('2026-12-07T18:00:00Z') });
    expect(monday.inventory.healthy).toBe(false);
    expect(monday.inventory.problems[0]).toContain('(26 h plus 48 h of disabled days)');
    // Without disabled days the same gap is an alarm.
    expect(assessStatus({ ...weekendOff, disabledDays: [] }).inventory.healthy).toBe(false);
    expect(inventoryAllowanceMs(new Date('2026-12-04T13:00:00Z'), sunday, 'America/Los_Angeles', ['saturday'])).toBe(50 * H);
  });

  it('a lock: who holds it, and whether it is stale', () => {
    const lock = { job: 'inventory' as const, owner: 'x', pid: 4242, host: 'counter-pc', acquiredAt: '2026-12-03T17:55:00Z', heartbeatAt: '2026-12-03T17:59:30Z' };
    const s = assessStatus(input({ inventory: { ...input().inventory, lock } }));
    expect(s.inventory.lock).toMatchObject({ pid: 4242, host: 'counter-pc', stale: false });
    const stale = assessStatus(input({ inventory: { ...input().inventory, lock: { ...lock, heartbeatAt: '2026-12-03T17:50:00Z' } } }));
    expect(stale.inventory.lock!.stale).toBe(true);
  });

  it('a malformed schedule is reported, not fatal', () => {
    const s = assessStatus(input({ schedule: { inventory: '0 25 * * *', orders: '0 * * * *' } }));
    expect(s.inventory.nextRuns).toEqual([]);
    expect(s.inventory.scheduleError).toMatch(/not a valid cron expression/);
  });
});

function order(n: string, placedAt: string): OrderImport {
  const addr = { name: 'A', email: 'a@example.com', phone: '1', address1: '1 Main St', address2: '', city: 'Bend', state: 'OR', zip: '97701', country: 'US' };
  return {
    orderNumber: n,
    placedAt,
    shipTo: addr,
    billTo: addr,
    taxCents: 0,
    shippingCents: 0,
    totalCents: 1000,
    items: [{ productId: 'P1', manufacturer: 'HONDA', description: 'x', priceCents: 1000, quantity: 1 }],
    contentHash: `h-${n}`,
  };
}

describe('status end to end', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(async () => ctx.close());
  const db = () => path.join(ctx.dir, 'data', 'lizzy-sync.db');

  it('a fresh install: nothing has run yet, unhealthy (exit 1), with the next runs', async () => {
    const r = await ctx.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('lizzy-sync status at 2026-12-03 10:00 PST (local: 2026-12-03 18:00 UTC): UNHEALTHY');
    expect(r.stdout).toContain('problem: no inventory pull has finished successfully yet');
    expect(r.stdout).toContain('next runs     2026-12-04 04:00 PST  (local: 2026-12-04 12:00 UTC)');
    expect(r.stdout).toMatch(/orders\s+0 pending, 0 sending \(outcome unknown\), 0 need attention, 0 expired/);
  });

  it('after a pull and an order push: healthy (exit 0), with the last run, its counts and report', async () => {
    const pull = await ctx.run(['inventory', 'pull'], { LIZZY_SYNC_NOW: '2026-12-03T12:00:00Z' });
    expect(pull.code).toBe(1); // the sample feed has invalid items: needs attention, still a finished run
    const d = new Database(db());
    d.prepare("INSERT INTO sync_runs (job, started_at, finished_at, status, counts) VALUES ('orders', ?, ?, 'success', ?)").run(
      '2026-12-03T17:00:00.000Z',
      '2026-12-03T17:00:03.500Z',
      JSON.stringify({ sent: 4 }),
    );
    d.close();
    const r = await ctx.run(['status']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('Inventory pull: healthy');
    expect(r.stdout).toMatch(/last run\s+2026-12-03 04:00 PST \((5 h 59|6 h 0) min ago\), took [\d.]+ (ms|s): needs_attention/);
    expect(r.stdout).toContain('updated 4,645, unchanged 410, not found 290, unrecognized vendor 220, invalid 19, feed items 5,614');
    expect(r.stdout).toMatch(/report: .*inventory-20261203-120000-\d{3}Z\.csv/);
    expect(r.stdout).toContain('last success  the same run');
    expect(r.stdout).toMatch(/Order push: healthy\n\s+orders\s+0 pending/);
    expect(r.stdout).toContain('2026-12-03 09:00 PST (1 h 0 min ago), took 3.5 s: success');

    const j = JSON.parse((await ctx.run(['status', '--json'])).stdout);
    expect(j).toMatchObject({ ok: true, exitCode: 0, healthy: true, problems: [], timeZone: 'America/Los_Angeles', localTimeZone: 'UTC' });
    expect(j.inventory.lastSuccess).toMatchObject({ status: 'needs_attention', startedAt: expect.stringMatching(/^2026-12-03T12:00:00\.\d{3}Z$/) });
    expect(j.inventory.lastSuccess.counts.feedItems).toBe(5614);
    expect(j.orders.nextRuns[0]).toEqual({ at: '2026-12-03T19:00:00.000Z', zoned: '2026-12-03 11:00 PST', local: '2026-12-03 19:00 UTC' });

    // Hours later, without new runs: unhealthy for the stale order push first.
    const later = await ctx.run(['status', '--json'], { LIZZY_SYNC_NOW: '2026-12-03T19:30:00Z' });
    expect(later.code).toBe(1);
    expect(JSON.parse(later.stdout).problems).toEqual(['the last successful order push finished 2.5 h ago, more than 2 h']);
  });

  it('shows who holds a lock, and orders that are pending, need attention or expired', async () => {
    const store = new SqliteStore(db());
    await store.importOrders([order('W1001', '2026-12-02T20:00:00.000Z'), order('W1002', '2026-12-03T16:00:00.000Z'), order('W0900', '2026-11-20T16:00:00.000Z')], NOW);
    await store.close();
    const d = new Database(db());
    d.prepare("UPDATE orders SET attempts = 5, last_error = 'HTTP 400: Rejected' WHERE order_number = 'W1001'").run();
    d.prepare('INSERT INTO job_locks (job, owner, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      'orders',
      'other',
      4242,
      'counter-pc',
      '2026-12-03T17:58:00.000Z',
      '2026-12-03T17:59:50.000Z',
    );
    d.close();
    const r = await ctx.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/orders\s+2 pending, 0 sending \(outcome unknown\), 1 need attention, 1 expired \(placed more than 7 days ago, never sent\)/);
    expect(r.stdout).toContain('lock          held by pid 4242 on counter-pc since 2026-12-03 09:58 PST, last heartbeat 2026-12-03 09:59 PST');
    expect(r.stdout).toContain('problem: 1 order needs attention (W1001)');
    const j = JSON.parse((await ctx.run(['status', '--json'])).stdout);
    expect(j.orders.orders).toEqual({ pending: 2, sending: 0, needsAttention: 1, needsAttentionOrders: ['W1001'], expired: 1, lookbackDays: 7 });
    expect(j.orders.lock).toMatchObject({ pid: 4242, host: 'counter-pc', stale: false });
  });

  it('a bad config exits 2', async () => {
    const t = tempDir();
    try {
      const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9', extra: 'schedule:\n  timezone: America/Los_Angelos\n' });
      const r = await runCli(['--config', config, 'status']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('"America/Los_Angelos" is not a time zone name');
    } finally {
      t.cleanup();
    }
  });
});

describe('assessStatus: a run that never finished', () => {
  it('is flagged as interrupted when no live process holds the lock', () => {
    const crashed: RunRecord = { ...run('inventory', '2026-12-03T17:00:00Z', 'running', 2), finishedAt: null };
    const ok = run('inventory', '2026-12-03T12:00:00Z', 'success', 1);
    const s = assessStatus(input({ inventory: { lastRun: crashed, lastSuccess: ok, lock: null } }));
    expect(s.inventory.lastRunInterrupted).toBe(true);
    expect(s.inventory.lastRun).toMatchObject({ status: 'running', durationMs: null });
    const lock = { job: 'inventory' as const, owner: 'x', pid: 1, host: 'h', acquiredAt: '2026-12-03T17:00:00Z', heartbeatAt: '2026-12-03T17:59:50Z' };
    expect(assessStatus(input({ inventory: { lastRun: crashed, lastSuccess: ok, lock } })).inventory.lastRunInterrupted).toBe(false);
  });
});

describe('status: runs recorded in the future', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(async () => ctx.close());

  // Found by a new-user walkthrough: a run recorded ahead (the clock was ahead, then set back)
  // stood as the last run and the last success, kept status healthy and hid the failures
  // recorded after it. A skipped run's reason was labelled "error".
  // Found by a new-user walkthrough: "healthy" alone right after a pull that failed (a
  // rejected key) read as all well. Health keeps its age rules; the first line says more.
  it('a run that failed since the last success: still healthy by the age rules, with a warning on the first line', async () => {
    await ctx.run(['status']);
    const w = new Database(path.join(ctx.dir, 'data', 'lizzy-sync.db'));
    const ins = w.prepare('INSERT INTO sync_runs (job, started_at, finished_at, status, counts, error) VALUES (?, ?, ?, ?, ?, ?)');
    ins.run('inventory', '2026-12-03T12:00:00.000Z', '2026-12-03T12:00:05.000Z', 'success', '{}', null);
    ins.run('inventory', '2026-12-03T13:00:00.000Z', '2026-12-03T13:00:01.000Z', 'failed', '{}', 'Lizzy rejected the API key (HTTP 401)');
    ins.run('orders', '2026-12-03T13:00:00.000Z', '2026-12-03T13:00:01.000Z', 'success', '{}', null);
    w.close();
    const r = await ctx.run(['status'], { LIZZY_SYNC_NOW: '2026-12-03T13:30:00Z' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lizzy-sync status at 2026-12-03 05:30 PST .*: healthy, with 1 warning$/m);
    expect(r.stdout).toContain('warning: the inventory pull of 2026-12-03 05:00 PST, after the last success, failed: Lizzy rejected the API key (HTTP 401)');
    const j = JSON.parse((await ctx.run(['status', '--json'], { LIZZY_SYNC_NOW: '2026-12-03T13:30:00Z' })).stdout);
    expect(j).toMatchObject({ healthy: true, warnings: ['the inventory pull of 2026-12-03 05:00 PST, after the last success, failed: Lizzy rejected the API key (HTTP 401)'] });
    // A skipped run after the failure does not hide it (found by a break-it pass).
    const w2 = new Database(path.join(ctx.dir, 'data', 'lizzy-sync.db'));
    w2.prepare('INSERT INTO sync_runs (job, started_at, finished_at, status, counts, error) VALUES (?, ?, ?, ?, ?, ?)').run('inventory', '2026-12-03T13:10:00.000Z', '2026-12-03T13:10:01.000Z', 'skipped', '{}', 'a disabled day');
    // A run recorded running whose holder on this machine is gone: it died.
    w2.prepare('INSERT INTO sync_runs (job, started_at, finished_at, status, counts, error) VALUES (?, ?, ?, ?, ?, ?)').run('orders', '2026-12-03T13:20:00.000Z', null, 'running', '{}', null);
    w2.prepare('INSERT INTO job_locks (job, owner, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run('orders', 'gone', 999999, hostname(), '2026-12-03T13:20:00.000Z', '2026-12-03T13:29:50.000Z');
    w2.close();
    const after = JSON.parse((await ctx.run(['status', '--json'], { LIZZY_SYNC_NOW: '2026-12-03T13:30:00Z' })).stdout);
    expect(after.inventory.warnings).toEqual(['the inventory pull of 2026-12-03 05:00 PST, after the last success, failed: Lizzy rejected the API key (HTTP 401)']);
    expect(after.orders.lastRunInterrupted).toBe(true);
    expect(after.orders.warnings).toEqual(['the order push started 2026-12-03 05:20 PST did not finish (its process is gone)']);
    expect(j.orders.warnings).toEqual([]);
    const clean = new Database(path.join(ctx.dir, 'data', 'lizzy-sync.db'));
    clean.exec('DELETE FROM sync_runs; DELETE FROM job_locks');
    clean.close();
  });

  it('a run in the future is set aside and named; health and the last run come from the runs up to now', async () => {
    // The schema first (status creates it), then: a success in the future, a skip and a failure now.
    await ctx.run(['status']);
    const w = new Database(path.join(ctx.dir, 'data', 'lizzy-sync.db'));
    const ins = w.prepare('INSERT INTO sync_runs (job, started_at, finished_at, status, counts, error) VALUES (?, ?, ?, ?, ?, ?)');
    ins.run('inventory', '2026-12-10T12:00:00.000Z', '2026-12-10T12:00:05.000Z', 'success', '{}', null);
    ins.run('inventory', '2026-12-03T12:00:00.000Z', '2026-12-03T12:00:01.000Z', 'skipped', '{}', 'thursday is a disabled day (inventory.disabledDays)');
    ins.run('inventory', '2026-12-03T13:00:00.000Z', '2026-12-03T13:00:02.000Z', 'failed', '{}', 'The feed matches 3 products, fewer than half');
    w.close();
    const r = await ctx.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Inventory pull: UNHEALTHY\n\s+last run\s+2026-12-03 05:00 PST .*: failed\n\s+error: The feed matches 3 products/);
    expect(r.stdout).toMatch(/last success\s+none recorded/);
    expect(r.stdout).toContain('note          a run is recorded at 2026-12-10 04:00 PST, in the future (success): a clock was ahead when it was recorded; it is not counted');
    expect(r.stdout).toContain('problem: no inventory pull has finished successfully yet');
    const j = JSON.parse((await ctx.run(['status', '--json'])).stdout);
    expect(j.inventory.futureRun).toMatchObject({ status: 'success', startedAt: '2026-12-10T12:00:00.000Z' });
    expect(j.inventory.lastRun).toMatchObject({ status: 'failed' });
    // A run a few seconds ahead of this clock (a machine sharing the database, a little ahead)
    // is not "the future": it is the last run.
    const near = await ctx.run(['status', '--json'], { LIZZY_SYNC_NOW: '2026-12-03T12:59:57Z' });
    expect(JSON.parse(near.stdout).inventory).toMatchObject({ lastRun: { status: 'failed' }, futureRun: { startedAt: '2026-12-10T12:00:00.000Z' } });
    // The skip, once it is the last run, shows its reason as a reason.
    const skipView = await ctx.run(['status'], { LIZZY_SYNC_NOW: '2026-12-03T12:30:00Z' });
    expect(skipView.stdout).toMatch(/last run\s+2026-12-03 04:00 PST .*: skipped\n\s+reason: thursday is a disabled day/);
  });
});
