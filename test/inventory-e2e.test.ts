import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningMock } from '../src/lizzy/mock/server.js';
import { spawnSync } from 'node:child_process';
import { API_KEY, BIN, cliEnv, DEFAULT_VENDORS, FIXTURES, mockNext, readCsvFile, runCli, spawnCli, startMock, tempDir, writeConfig } from './helpers.js';
import { storeFor, STORES, type StoreHandle, type StoreKind } from './stores.js';

// Thursday 2026-12-03 10:00 PST.
const NOW = '2026-12-03T18:00:00Z';

interface Ctx {
  dir: string;
  cleanup(): Promise<void>;
  mock: RunningMock;
  config: string;
  store: StoreHandle;
}

for (const KIND of STORES) {
describe(`[${KIND}]`, () => {

async function setup(opts: { feed?: string | unknown[]; clear?: boolean; disabledDays?: string[]; vendorsYaml?: string; catalog?: string; kind?: StoreKind } = {}): Promise<Ctx> {
  const t = tempDir();
  const store = storeFor(opts.kind ?? KIND, t.dir);
  const mock = await startMock(t.dir, { feed: opts.feed });
  const config = writeConfig(t.dir, { baseUrl: mock.url, clear: opts.clear, disabledDays: opts.disabledDays, vendorsYaml: opts.vendorsYaml, databaseYaml: store.yaml });
  const imp = await runCli(['--config', config, 'catalog', 'import', opts.catalog ?? path.join(FIXTURES, 'catalog.csv')], { env: cliEnv() });
  expect(imp.code, imp.stderr).toBe(0);
  return { dir: t.dir, cleanup: async () => { await store.drop(); t.cleanup(); }, mock, config, store };
}

async function exportCatalog(ctx: Ctx): Promise<Map<string, Record<string, string>>> {
  const out = path.join(ctx.dir, `export-${Date.now()}-${Math.random()}.csv`);
  const r = await runCli(['--config', ctx.config, 'catalog', 'export', '--out', out], { env: cliEnv() });
  expect(r.code, r.stderr).toBe(0);
  return new Map(readCsvFile(out).map((row) => [`${row.catalog}|${row.distributor || row.manufacturer}|${row.part_number}`, row]));
}

const pull = (ctx: Ctx, args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['--config', ctx.config, 'inventory', 'pull', ...args], { env: cliEnv({ LIZZY_SYNC_NOW: NOW, ...env }) });

function reports(ctx: Ctx): string[] {
  const dir = path.join(ctx.dir, 'reports');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function runs(ctx: Ctx) {
  return ctx.store.query<{ job: string; status: string; error: string | null }>('SELECT job, status, error FROM sync_runs ORDER BY id');
}

describe('inventory pull on the sample data', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await setup();
  });
  afterEach(async () => {
    await ctx.mock.close();
    await ctx.cleanup();
  });

  // Found by a break-it pass: with one run recorded in the future (a clock that was ahead),
  // the gate, the daemon and the guards read it as the last success, so this morning's real
  // success was never looked at and the 05:00 slot pulled again.
  it('a run recorded in the future does not hide this morning\'s success: the 05:00 slot is skipped', async () => {
    expect([0, 1]).toContain((await pull(ctx, [], { LIZZY_SYNC_NOW: '2026-12-17T12:10:00Z' })).code);
    const first = await pull(ctx, ['--scheduled'], { LIZZY_SYNC_NOW: '2026-12-10T12:10:00Z' });
    expect([0, 1]).toContain(first.code);
    expect(first.stdout).not.toContain('skipped');
    const retry = await pull(ctx, ['--scheduled'], { LIZZY_SYNC_NOW: '2026-12-10T13:10:00Z' });
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('skipped: the inventory pull already succeeded today (2026-12-10 04:10 PST)');
    expect((await runs(ctx)).map((r) => r.status)).toEqual(['needs_attention', 'needs_attention']); // a --scheduled skip is not a run
  });

  it('updates quantities and mapped prices, writes the report, and exits 1 for invalid items', async () => {
    const r = await pull(ctx);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('needs attention (19 invalid items');
    expect(r.stdout).toMatch(/updated\s+4,645/);
    expect(r.stdout).toMatch(/unrecognized vendor\s+220/);
    expect(r.stdout).toContain('"Tucker Rocky" (20; mapped as "TUCKER ROCKY": the config must use the feed\'s spelling)');

    // The feed was asked for everything changed in the past 31 days, in Pacific dates.
    const feedReq = ctx.mock.state.requests.find((q) => q.path === '/inventoryfeed');
    expect(feedReq?.payload).toEqual({ modifiedsince: '2026-11-02' });

    const cat = await exportCatalog(ctx);
    const row = (k: string) => cat.get(k)!;
    expect(row('aftermarket|PU|0101-0042')).toMatchObject({ shelf_qty: '7', list_price: '8.95' });
    expect(row('aftermarket|WPS|00123').shelf_qty).toBe('4');
    expect(row('aftermarket|WPS|123').shelf_qty).toBe('11');
    expect(row('oem|HONDA|17210-KYJ-901')).toMatchObject({ shelf_qty: '3', list_price: '22.95' });
    expect(row('oem|YAMAHA|5TA-14451-00-00')).toMatchObject({ shelf_qty: '0', list_price: '28.50' });
    expect(row('oem|KAWASAKI|11013-0752')).toMatchObject({ shelf_qty: '2', list_price: '34.12' });
    expect(row('oem|POLARIS|2205386')).toMatchObject({ shelf_qty: '2', list_price: '13.99' });
    expect(row('oem|POLARIS|2203770')).toMatchObject({ shelf_qty: '0', list_price: '41.99' });
    expect(row('private|RIVERSIDE MOTO|RM-1001')).toMatchObject({ shelf_qty: '12', list_price: '21.99' });
    // Accents, quotes and a formula-looking description survive the round trip as data.
    expect(row('private|RIVERSIDE MOTO|RM-1099').description).toBe('=SUM(A1:A9) Sticker Pack');

    const files = reports(ctx);
    expect(files).toHaveLength(3);
    const rep = readCsvFile(path.join(ctx.dir, 'reports', files.find((f) => !f.includes('unrecognized') && !f.includes('cleared'))!));
    expect(Object.keys(rep[0]!)).toEqual(['vendor', 'item_number', 'status', 'catalog', 'match_key', 'old_qty', 'new_qty', 'old_price', 'new_price', 'note']);
    const count = (s: string) => rep.filter((x) => x.status === s).length;
    expect([count('updated'), count('unchanged'), count('not_found'), count('unrecognized_vendor'), count('invalid')]).toEqual([4645, 410, 290, 220, 19]);
    const honda = rep.find((x) => x.item_number === '17210-KYJ-901')!;
    expect(honda).toMatchObject({ status: 'updated', catalog: 'oem', match_key: 'HONDA 17210-KYJ-901', new_qty: '3', new_price: '22.95' });
    expect(rep.filter((x) => x.note.includes('duplicate:'))).toHaveLength(30);
    expect(rep.filter((x) => x.note.includes('negative quantity'))).toHaveLength(20);
    const vendors = readCsvFile(path.join(ctx.dir, 'reports', files.find((f) => f.includes('unrecognized'))!));
    expect(vendors.slice(0, 3)).toEqual([
      { vendor: 'DRAG SPECIALTIES', items: '120', suggestion: '' },
      { vendor: 'K&N ENGINEERING', items: '60', suggestion: '' },
      { vendor: 'Tucker Rocky', items: '20', suggestion: 'mapped as "TUCKER ROCKY": the config must use the feed\'s spelling' },
    ]);

    expect((await runs(ctx)).map((x) => x.status)).toEqual(['needs_attention']);
  });

  it('--dry-run reports the same plan and writes nothing to the database', async () => {
    const before = await exportCatalog(ctx);
    const r = await pull(ctx, ['--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ job: 'inventory', dryRun: true, status: 'needs_attention', feedItems: 5614, duplicates: 30, matchedProducts: 5055 });
    expect(j.counts).toEqual({ updated: 4645, unchanged: 410, not_found: 290, unrecognized_vendor: 220, invalid: 19 });
    expect(j.reportPath).toMatch(/-DRY-RUN\.csv$/);
    // The dry run says how many products clearing would zero, and which.
    expect(j.cleared).toBe(285);
    expect(j.clearedReportPath).toMatch(/-cleared-DRY-RUN\.csv$/);
    // Every file of a dry run ends in -DRY-RUN.csv (the vendors file used to put it in the middle).
    expect(j.vendorsReportPath).toMatch(/-unrecognized-vendors-DRY-RUN\.csv$/);
    const cleared = readCsvFile(j.clearedReportPath);
    expect(cleared).toHaveLength(285);
    expect(cleared[0]).toMatchObject({ new_qty: '0', note: 'DRY RUN: would be cleared' });
    expect(Number(cleared[0]!.old_qty)).toBeGreaterThan(0);
    expect(readCsvFile(j.reportPath)[0]!.note).toMatch(/^DRY RUN: not applied/);
    expect(await exportCatalog(ctx)).toEqual(before);
    expect(await runs(ctx)).toEqual([]);
  });

  it('--json prints one object with the counts and the report path', async () => {
    const r = await pull(ctx, ['--json']);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, exitCode: 1, status: 'needs_attention', productsUpdated: 4645, modifiedSince: '2026-11-02' });
    expect(j.cleared).toBe(285);
    expect(j.reindexQueued).toBe(4645 + 285);
    expect(readCsvFile(j.clearedReportPath)).toHaveLength(285);
    expect(j.unrecognizedVendors[0]).toEqual({ vendor: 'DRAG SPECIALTIES', items: 120 });
    expect(existsSync(j.reportPath)).toBe(true);
  });

  it('queues changed products for the webstore’s re-index; the webstore deletes what it has processed', async () => {
    await pull(ctx);
    const q = await ctx.store.query<{ n: number }>('SELECT count(*) AS n FROM reindex_queue');
    expect(Number(q[0]!.n)).toBe(4645 + 285);
    const [one] = await ctx.store.query<{ product_id: number }>('SELECT product_id FROM reindex_queue ORDER BY product_id LIMIT 1');
    await ctx.store.query('DELETE FROM reindex_queue WHERE product_id = ?', [one!.product_id]);
    expect(Number((await ctx.store.query<{ n: number }>('SELECT count(*) AS n FROM reindex_queue'))[0]!.n)).toBe(4645 + 285 - 1);
    // The product itself stays.
    expect(await ctx.store.query('SELECT id FROM products WHERE id = ?', [one!.product_id])).toHaveLength(1);
  });

  it('a second pull of the same feed changes nothing and queues nothing new', async () => {
    await pull(ctx);
    const r = await pull(ctx, ['--json']);
    const j = JSON.parse(r.stdout);
    expect(j.counts.updated).toBe(0);
    expect(j.productsUpdated).toBe(0);
    expect(j.cleared).toBe(0);
    expect(j.reindexQueued).toBe(0);
  });
});

describe('inventory pull: a failed fetch changes nothing, even with clearing on', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await setup();
  });
  afterEach(async () => {
    await ctx.mock.close();
    await ctx.cleanup();
  });

  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['HTTP 500 (retried, then given up)', { path: '/inventoryfeed', status: 500, body: 'Internal error', times: 2 }, /HTTP 500: Internal error.*after 2 attempts/],
    ['HTTP 401', { path: '/inventoryfeed', status: 401, body: 'Unauthorized' }, /Lizzy rejected the API key \(HTTP 401/],
    ['a truncated body', { path: '/inventoryfeed', truncateAt: 50_000, times: 2 }, /The inventory feed broke off after \d+ items.*after 2 attempts/],
    ['an HTML page with 200', { path: '/inventoryfeed', status: 200, body: '<!DOCTYPE html><html><body>Maintenance</body></html>', contentType: 'text/html', times: 2 }, /not the JSON inventory feed.*HTML page/],
    ['a 429 asking to wait longer than the cap', { path: '/inventoryfeed', status: 429, body: 'slow down', headers: { 'retry-after': '3600' } }, /throttling.*3600 s; retry later/],
  ];
  for (const [name, behaviour, message] of cases) {
    it(`${name}: exit 3, quantities and prices unchanged, run recorded as failed`, async () => {
      const before = await exportCatalog(ctx);
      await mockNext(ctx.mock, behaviour);
      const r = await pull(ctx);
      expect(r.code, r.stderr + r.stdout).toBe(3);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user-facing error
      expect(await exportCatalog(ctx)).toEqual(before);
      const rs = await runs(ctx);
      expect(rs.map((x) => x.status)).toEqual(['failed']);
      expect(rs[0]!.error).toMatch(message);
      const all = r.stdout + r.stderr + (KIND === 'sqlite' ? readFileSync(path.join(ctx.dir, 'data', 'lizzy-sync.db')).toString('latin1') : JSON.stringify(await ctx.store.query('SELECT * FROM sync_runs')));
      expect(all).not.toContain(API_KEY);
      expect(all).not.toContain(Buffer.from(API_KEY).toString('base64'));
    });
  }

  it('connection refused: exit 3 and nothing changed', async () => {
    const before = await exportCatalog(ctx);
    await ctx.mock.close();
    const r = await pull(ctx);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('connection refused');
    expect(await exportCatalog(ctx)).toEqual(before);
  });

  it('retries a 503 and then succeeds', async () => {
    await mockNext(ctx.mock, { path: '/inventoryfeed', status: 503, body: 'busy' });
    const r = await pull(ctx, ['--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).productsUpdated).toBe(4645);
    expect(ctx.mock.state.requests.filter((q) => q.path === '/inventoryfeed').map((q) => q.status)).toEqual([503, 200]);
  });

  it('a wrong API key: exit 3, the key is never printed', async () => {
    const r = await pull(ctx, [], { LIZZY_API_KEY: 'wrong-key-0000-1111' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Lizzy rejected the API key');
    expect(r.stderr + r.stdout).not.toContain('wrong-key-0000-1111');
  });
});

describe('inventory pull: clearing, guard and small feeds', () => {
  const small = [
    { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 9, ListPrice: 1 },
    { VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 'N/A', ListPrice: 99 },
    { VendorName: '=HYPERLINK("http://x")', ItemNumber: '@1', Quantity: 1 },
  ];
  let ctx: Ctx | undefined;
  afterEach(async () => {
    await ctx?.mock.close();
    await ctx?.cleanup();
    ctx = undefined;
  });

  it('clears every other quantity in the same transaction, but keeps an invalid item’s', async () => {
    ctx = await setup({ feed: small });
    const before = await exportCatalog(ctx);
    const r = await pull(ctx, ['--json', '--force']); // --force: the guard would refuse (first run is fine, but be explicit)
    const j = JSON.parse(r.stdout);
    expect(j.counts).toMatchObject({ updated: 1, invalid: 1, unrecognized_vendor: 1 });
    const after = await exportCatalog(ctx);
    expect(after.get('aftermarket|PU|0101-0042')!.shelf_qty).toBe('9');
    expect(after.get('oem|HONDA|17210-KYJ-901')!.shelf_qty).toBe(before.get('oem|HONDA|17210-KYJ-901')!.shelf_qty);
    const nonZeroBefore = [...before.values()].filter((x) => x.shelf_qty !== '0').length;
    const nonZeroAfter = [...after.values()].filter((x) => x.shelf_qty !== '0').length;
    expect(nonZeroAfter).toBe(2);
    // Every product that had stock, minus the two kept, was cleared.
    expect(j.cleared).toBe(nonZeroBefore - 2);
    // A formula-looking vendor is neutralised in the report.
    const rep = readCsvFile(j.reportPath);
    expect(rep.find((x) => x.status === 'unrecognized_vendor')).toMatchObject({ vendor: `'=HYPERLINK("http://x")`, item_number: "'@1" });
  });

  // Found by a break-it pass: one 3,000-character item number failed every PostgreSQL pull
  // (an index entry over 2,704 bytes) with an internal error. Over-long names are invalid
  // items on both stores, and the rest of the feed is applied.
  it('an absurdly long item number is an invalid item, an absurdly long vendor name an unrecognized one; the rest is applied', async () => {
    const long = 'X'.repeat(3000);
    ctx = await setup({
      feed: [
        { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 9 },
        { VendorName: 'HONDA', ItemNumber: long, Quantity: 1 },
        { VendorName: `HONDA${long}`, ItemNumber: '17210-KYJ-901', Quantity: 1 },
      ],
      clear: false,
    });
    const r = await pull(ctx, ['--json']);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.counts).toMatchObject({ updated: 1, invalid: 1, unrecognized_vendor: 1 });
    const rep = readCsvFile(j.reportPath);
    const invalid = rep.find((x) => x.status === 'invalid')!;
    expect(invalid.note).toContain('item number is 3,000 characters long; at most 200 are read');
    expect(invalid.item_number).toBe(`${'X'.repeat(200)}…`);
    const vendor = rep.find((x) => x.status === 'unrecognized_vendor')!;
    expect(vendor.note).toContain('vendor name is 3,005 characters long; at most 200 are read');
    expect(vendor.vendor).toBe(`HONDA${'X'.repeat(195)}…`);
    expect((await exportCatalog(ctx)).get('aftermarket|PU|0101-0042')!.shelf_qty).toBe('9');
  });

  // The de-duplication moved from a search per feed row to one pass over the repeated pairs:
  // the winner, its note and the dropped rows must be what they were.
  it('a part listed three times: the last wins, its note names the earlier positions and quantities, the others are dropped', async () => {
    ctx = await setup({
      feed: [
        { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 5 },
        { VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 3 },
        { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 'lots' },
        { VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 4 },
        { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 8 },
        { VendorName: 'PARTS UNLIMITED', ItemNumber: '0601-3351', Quantity: 1 },
      ],
      clear: false,
    });
    const r = await pull(ctx, ['--json']);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ feedItems: 6, duplicates: 3 });
    const rep = readCsvFile(j.reportPath);
    expect(rep.map((x) => [x.item_number, x.new_qty])).toEqual([
      ['17210-KYJ-901', '4'],
      ['0101-0042', '8'],
      ['0601-3351', '1'],
    ]);
    expect(rep[0]!.note).toContain('duplicate: the feed lists this part 2 times (positions 2, 4); the last one wins (earlier quantities: 3)');
    expect(rep[1]!.note).toContain('duplicate: the feed lists this part 3 times (positions 1, 3, 5); the last one wins (earlier quantities: 5, invalid)');
    expect(rep[2]!.note).toBe('');
    const after = await exportCatalog(ctx);
    expect(after.get('aftermarket|PU|0101-0042')!.shelf_qty).toBe('8');
    expect(after.get('oem|HONDA|17210-KYJ-901')!.shelf_qty).toBe('4');
  });

  // The cleared list is written by the clearing UPDATE itself (SQLite) or in its transaction
  // (PostgreSQL): it must name exactly the products zeroed, with their old quantities, and a
  // list that cannot be written must leave the database as it was.
  it('the cleared list names every product the clearing zeroed, with its old quantity', async () => {
    ctx = await setup({ feed: small });
    const before = await exportCatalog(ctx);
    const r = await pull(ctx, ['--json', '--force']);
    const j = JSON.parse(r.stdout);
    const list = readCsvFile(j.clearedReportPath);
    expect(list).toHaveLength(j.cleared);
    const expected = [...before.entries()]
      .filter(([k, v]) => v.shelf_qty !== '0' && k !== 'aftermarket|PU|0101-0042' && k !== 'oem|HONDA|17210-KYJ-901')
      .map(([k, v]) => `${k}|${v.shelf_qty}`)
      .sort();
    expect(list.map((x) => `${x.catalog}|${x.brand}|${x.part_number}|${x.old_qty}`).sort()).toEqual(expected);
    expect(new Set(list.map((x) => `${x.new_qty} ${x.note}`))).toEqual(new Set(['0 cleared: not in the feed']));
    expect(existsSync(`${j.clearedReportPath}.partial`)).toBe(false);
  });

  it('a cleared list that cannot be written stops the run before anything changes', async () => {
    ctx = await setup({ feed: small });
    const before = await exportCatalog(ctx);
    // The list's temporary name is taken by a folder, for every millisecond of the run's first
    // ten seconds (the pinned clock moves): opening it fails in the middle of the clearing.
    for (let ms = 0; ms < 10_000; ms++) {
      const stamp = `0${Math.floor(ms / 1000)}-${String(ms % 1000).padStart(3, '0')}Z`;
      mkdirSync(path.join(ctx.dir, 'reports', `inventory-20261203-1800${stamp}-cleared.csv.partial`), { recursive: true });
    }
    const r = await pull(ctx, ['--force']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('Cannot write the report');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await exportCatalog(ctx)).toEqual(before);
    expect((await runs(ctx)).map((x) => x.status)).toEqual(['failed']);
    // The plan's report stays (the failed run points to it); no list of a clearing that did not happen.
    expect(reports(ctx).filter((f) => f.endsWith('-cleared.csv'))).toEqual([]);
    expect(reports(ctx).filter((f) => !f.endsWith('.partial'))).toHaveLength(2);
  });

  // Found by a break-it pass: the same mapping row twice in the config crashed the SQLite pull
  // (a UNIQUE failure in the match table) and could double a match on PostgreSQL.
  it('a mapping row repeated in the config is used once: one report row per item, the quantity applied once', async () => {
    ctx = await setup({ feed: small, clear: false, vendorsYaml: `${DEFAULT_VENDORS}
  - vendor: PARTS UNLIMITED
    catalog: aftermarket
    distributor: PU
    usePricing: false
  - vendor: HONDA
    catalog: oem
    manufacturer: HONDA
    usePricing: false` });
    const r = await pull(ctx, ['--json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code, r.stderr).toBe(1); // the invalid item
    const j = JSON.parse(r.stdout);
    expect(j.counts).toMatchObject({ updated: 1, invalid: 1, unrecognized_vendor: 1 });
    const rep = readCsvFile(j.reportPath);
    expect(rep.filter((x) => x.item_number === '0101-0042')).toHaveLength(1);
    expect((await exportCatalog(ctx)).get('aftermarket|PU|0101-0042')!.shelf_qty).toBe('9');
  });

  // Found by a break-it pass: the pull plans a few thousand items at a time (2,000 today), and
  // the notes about two items setting one product were lost when the two fell in different chunks.
  it('vendor names setting one product thousands of items apart: every row names its neighbours, invalid ones say whose quantity stands, the last wins', async () => {
    const filler = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ VendorName: 'NOBODY', ItemNumber: `X${from + i}`, Quantity: 1 }));
    const part = '0101-0042';
    ctx = await setup({
      feed: [
        { VendorName: 'PARTS UNLIMITED', ItemNumber: part, Quantity: 5 }, // 1
        { VendorName: 'PU-WEST', ItemNumber: part, Quantity: 'lots' }, // 2
        ...filler(5000, 0), // 3..5002: a planning chunk or more apart
        { VendorName: 'PU-NORTH', ItemNumber: part, Quantity: 'n/a' }, // 5003
        ...filler(1000, 5000), // 5004..6003
        { VendorName: 'PU', ItemNumber: part, Quantity: 7 }, // 6004
        { VendorName: 'PU-WEB', ItemNumber: part, Quantity: 'many' }, // 6005
        { VendorName: 'PU-EAST', ItemNumber: part, Quantity: 8 }, // 6006
      ],
      clear: false,
      vendorsYaml: `${DEFAULT_VENDORS}
${['PU', 'PU-WEB', 'PU-EAST', 'PU-WEST', 'PU-NORTH'].map((v) => `  - vendor: ${v}\n    catalog: aftermarket\n    distributor: PU`).join('\n')}`,
    });
    const r = await pull(ctx, ['--json']);
    const j = JSON.parse(r.stdout);
    const rows = readCsvFile(j.reportPath).filter((x) => x.item_number === part);
    expect(rows.map((x) => [x.vendor, x.status, x.new_qty])).toEqual([
      ['PARTS UNLIMITED', 'updated', '5'],
      ['PU-WEST', 'invalid', '5'],
      ['PU-NORTH', 'invalid', '5'],
      ['PU', 'updated', '7'],
      ['PU-WEB', 'invalid', '7'],
      ['PU-EAST', 'updated', '8'],
    ]);
    const at = (p: number, v: string) => `position ${p} (${v} ${part})`;
    expect(rows[0]!.note).toBe(`overridden by the later item at ${at(6004, 'PU')}`);
    expect(rows[1]!.note).toMatch(new RegExp(`: changes nothing; the product takes the quantity of the item at ${at(1, 'PARTS UNLIMITED').replace(/[()]/g, '\\$&')}; overridden by the later item at ${at(6004, 'PU').replace(/[()]/g, '\\$&')}$`));
    expect(rows[2]!.note).toMatch(new RegExp(`: changes nothing; the product takes the quantity of the item at ${at(1, 'PARTS UNLIMITED').replace(/[()]/g, '\\$&')}; overridden by the later item at ${at(6004, 'PU').replace(/[()]/g, '\\$&')}$`));
    expect(rows[3]!.note).toBe(`also set by the item at ${at(1, 'PARTS UNLIMITED')}; this later one wins; overridden by the later item at ${at(6006, 'PU-EAST')}`);
    expect(rows[4]!.note).toMatch(new RegExp(`: changes nothing; the product takes the quantity of the item at ${at(6004, 'PU').replace(/[()]/g, '\\$&')}; overridden by the later item at ${at(6006, 'PU-EAST').replace(/[()]/g, '\\$&')}$`));
    expect(rows[5]!.note).toBe(`also set by the item at ${at(6004, 'PU')}; this later one wins`);
    expect((await exportCatalog(ctx)).get(`aftermarket|PU|${part}`)!.shelf_qty).toBe('8');
  });

  // Found by a new-user walkthrough: with a partNumbers rule, a lookalike item ("U3K168190100")
  // set the product another item lists under its own number ("U3K-16819-01-00"), the later
  // one winning silently across planning chunks; the report said "unchanged" for a product
  // whose quantity and price had been overwritten.
  it('a lookalike under a partNumbers rule never sets a product the feed lists under its own number, however far apart', async () => {
    const filler = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ VendorName: 'NOBODY', ItemNumber: `X${from + i}`, Quantity: 1 }));
    const part = '0101-0042';
    ctx = await setup({
      feed: [
        { VendorName: 'PU-RULES', ItemNumber: '01010042', Quantity: 5 }, // 1
        ...filler(5000, 0), // 2..5001
        { VendorName: 'PARTS UNLIMITED', ItemNumber: part, Quantity: 9 }, // 5002
        ...filler(3000, 5000), // 5003..8002
        { VendorName: 'PU-RULES', ItemNumber: '0101 0042', Quantity: 6 }, // 8003
      ],
      clear: false,
      vendorsYaml: `${DEFAULT_VENDORS}
  - vendor: PU-RULES
    catalog: aftermarket
    distributor: PU
    partNumbers: { ignoreSeparators: true }`,
    });
    const r = await pull(ctx, ['--json']);
    const j = JSON.parse(r.stdout);
    const rows = readCsvFile(j.reportPath).filter((x) => x.vendor === 'PU-RULES' || x.item_number === part);
    expect(rows.map((x) => [x.vendor, x.item_number, x.status, x.new_qty])).toEqual([
      ['PU-RULES', '01010042', 'not_found', ''],
      ['PARTS UNLIMITED', part, 'updated', '9'],
      ['PU-RULES', '0101 0042', 'not_found', ''],
    ]);
    for (const x of [rows[0]!, rows[2]!]) expect(x.note).toContain(`it compares equal to "${part}", but the feed lists that part under its own number, so this is a different part`);
    expect(rows[1]!.note).toBe('');
    expect((await exportCatalog(ctx)).get(`aftermarket|PU|${part}`)!.shelf_qty).toBe('9');
  });

  it('a run whose lock another run took over while it fetched stops before applying: exit 75, nothing changed', async () => {
    ctx = await setup({ feed: small });
    const before = await exportCatalog(ctx);
    await mockNext(ctx.mock, { path: '/inventoryfeed', delayMs: 2500, times: 1 });
    const p = spawnCli(['--config', ctx.config, 'inventory', 'pull', '--force'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    for (let i = 0; i < 200 && (await ctx.store.query('SELECT owner FROM job_locks')).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    // What a takeover writes: another owner, pid and host.
    await ctx.store.query(`UPDATE job_locks SET owner = 'other-run', pid = 4242, host = 'other-host' WHERE job = 'inventory'`);
    expect(await p.exited, p.stderr()).toBe(75);
    expect(p.stderr()).toContain('This inventory run lost its lock before applying: it is now held by pid 4242 on other-host');
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    expect(await exportCatalog(ctx)).toEqual(before);
    expect(reports(ctx).filter((f) => f.includes('-cleared.csv'))).toEqual([]);
  });

  // Found by a break-it pass: a run killed before its commit left `-cleared.csv.partial`,
  // which looked like the list of a run killed just after it. The database records which
  // runs committed (the report path, written in the apply's transaction), and the next run
  // settles the files: the committed run's list gets its name, the rest are removed.
  it('files left by killed runs are settled by the next run from what the database committed', async () => {
    ctx = await setup({ feed: small });
    const dir = path.join(ctx.dir, 'reports');
    mkdirSync(dir, { recursive: true });
    const committed = path.join(dir, 'inventory-20261202-100000-000Z.csv');
    await ctx.store.query(`INSERT INTO sync_runs (job, started_at, status) VALUES ('inventory', ?, 'running')`, ['2026-12-01T10:00:00.000Z']);
    await ctx.store.query(`INSERT INTO sync_runs (job, started_at, status, report_path) VALUES ('inventory', ?, 'running', ?)`, ['2026-12-02T10:00:00.000Z', committed]);
    for (const f of ['inventory-20261201-100000-000Z-cleared.csv.partial', 'inventory-20261201-100000-000Z.csv.partial', 'inventory-20261202-100000-000Z-cleared.csv.partial']) {
      writeFileSync(path.join(dir, f), 'catalog,brand,part_number,old_qty,new_qty,note\r\n');
    }
    writeFileSync(committed, 'the report\r\n');
    const r = await pull(ctx, ['--force']);
    expect(r.stderr).toContain('2 earlier inventory run(s) ended without finishing');
    expect(r.stderr).toContain(`The cleared list of interrupted run #2 is complete (its changes were committed): ${committed.replace(/\.csv$/, '-cleared.csv')}`);
    expect(r.stderr).toContain('left by interrupted run #1, whose changes were never committed');
    const left = reports(ctx).filter((f) => /^inventory-2026120[12]/.test(f));
    expect(left).toEqual(['inventory-20261202-100000-000Z-cleared.csv', 'inventory-20261202-100000-000Z.csv']);
    expect((await runs(ctx)).map((x) => x.status)).toEqual(['interrupted', 'interrupted', 'needs_attention']);
  });

  it('without clearing, products missing from the feed keep their quantity', async () => {
    ctx = await setup({ feed: small, clear: false });
    const before = await exportCatalog(ctx);
    await pull(ctx);
    const after = await exportCatalog(ctx);
    let changed = 0;
    for (const [k, v] of after) if (v.shelf_qty !== before.get(k)!.shelf_qty) changed++;
    expect(changed).toBe(1);
  });

  it('refuses to apply an empty feed when clearing is on; --force applies it', async () => {
    ctx = await setup({ feed: [] });
    const before = await exportCatalog(ctx);
    // From a new-user walkthrough: the dry run said "success", exit 0.
    const dry = await pull(ctx, ['--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('a real run would be REFUSED and change nothing: The Lizzy feed is empty');
    const r = await pull(ctx);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('The Lizzy feed is empty and clearPreviousQuantities is on');
    expect(await exportCatalog(ctx)).toEqual(before);
    const f = await pull(ctx, ['--force', '--json']);
    expect(f.code).toBe(0);
    expect([...(await exportCatalog(ctx)).values()].every((x) => x.shelf_qty === '0')).toBe(true);
  });

  it('refuses to zero a distributor whose mapping stopped matching (a vendor name edited into the wrong case)', async () => {
    ctx = await setup();
    expect((await pull(ctx)).code).toBe(1);
    const before = await exportCatalog(ctx);
    writeFileSync(ctx.config, readFileSync(ctx.config, 'utf8').replace('- vendor: PARTS UNLIMITED', '- vendor: Parts Unlimited'));
    const r = await pull(ctx);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stderr).toMatch(/vendors\[0\] \(line \d+\) "Parts Unlimited" → aftermarket PU matches no product now \(it matched [\d,]+ in the last successful run\); the feed sends "PARTS UNLIMITED" \(1,400 items, 1,320 of them aftermarket PU part numbers\): vendor names must match exactly/);
    expect(r.stderr).toContain('Nothing was changed');
    expect(await exportCatalog(ctx)).toEqual(before);
    expect((await pull(ctx, ['--force'])).code).toBe(1);
  });

  // Found by a new-user walkthrough: the first-run guard caught only case, spacing and
  // punctuation; a typo ("PARTS UNLIMTED") in a new config zeroed all of Parts Unlimited.
  it('refuses on the first run when a mapping with a typo matches nothing and the feed sends the right spelling', async () => {
    ctx = await setup({ vendorsYaml: DEFAULT_VENDORS.replace('- vendor: PARTS UNLIMITED', '- vendor: PARTS UNLIMTED') });
    const before = await exportCatalog(ctx);
    const r = await pull(ctx);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('"PARTS UNLIMTED" → aftermarket PU matches no product; the feed sends "PARTS UNLIMITED" (1,400 items, 1,320 of them aftermarket PU part numbers): vendor names must match exactly');
    expect(await exportCatalog(ctx)).toEqual(before);
  });

  // Found by a break-it pass on the typo guard: a similar name alone refused real, different
  // brands (SKI-DOO / SEA-DOO, KTM / KTN); a misspelt row beside a right one to the same
  // distributor, or to another one, went through. The evidence is now the feed vendor's items
  // being part numbers of the row's target.
  it('refuses a misspelt row only when the similar feed vendor\'s items are part numbers of its target', async () => {
    const catalogDir = tempDir();
    const catalog = path.join(catalogDir.dir, 'catalog.csv');
    writeFileSync(
      catalog,
      [
        'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty',
        'aftermarket,PU,,0101-0001,Grips,10.00,1',
        'aftermarket,PU,,0101-0002,Levers,10.00,1',
        'aftermarket,PU,,0101-0003,Pegs,10.00,1',
        'aftermarket,DS,,0101-0001,Grips (DS),10.00,1',
        'oem,,SKI-DOO,S-1,Belt,10.00,5',
        'oem,,KTM,K-1,Filter,10.00,5',
        '',
      ].join('\n'),
    );
    const feed = [
      ...['0101-0001', '0101-0002', '0101-0003'].map((i) => ({ VendorName: 'PARTS UNLIMITED', ItemNumber: i, Quantity: 7, ListPrice: '10.00' })),
      { VendorName: 'LE PERA', ItemNumber: '0101-0001', Quantity: 7, ListPrice: '10.00' },
      { VendorName: 'SEA-DOO', ItemNumber: 'SD-1', Quantity: 2, ListPrice: '10.00' },
      { VendorName: 'KTN', ItemNumber: 'KN-1', Quantity: 2, ListPrice: '10.00' },
    ];
    const row = (vendor: string, catalogKind: string, brand: string) =>
      `  - vendor: ${vendor}\n    catalog: ${catalogKind}\n    ${catalogKind === 'aftermarket' ? 'distributor' : 'manufacturer'}: ${brand}\n`;
    // Real, different brands with similar names: no refusal; their own products are cleared.
    ctx = await setup({ feed, catalog, vendorsYaml: `\n${row('PARTS UNLIMITED', 'aftermarket', 'PU')}${row('SKI-DOO', 'oem', 'SKI-DOO')}${row('KTM', 'oem', 'KTM')}` });
    const ok = await pull(ctx, ['--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'success', cleared: 3 }); // S-1, K-1 and DS 0101-0001
    await ctx.mock.close();
    await ctx.cleanup();
    // A misspelt row beside a right one to the same distributor: refused.
    ctx = await setup({ feed, catalog, vendorsYaml: `\n${row('LE PERA', 'aftermarket', 'PU')}${row('PARTS UNLIMTED', 'aftermarket', 'PU')}` });
    const a = await pull(ctx);
    expect(a.code).toBe(3);
    expect(a.stderr).toContain('"PARTS UNLIMTED" → aftermarket PU matches nothing: no feed item names "PARTS UNLIMTED"; the feed sends "PARTS UNLIMITED" (3 items, 3 of them aftermarket PU part numbers)');
    await ctx.mock.close();
    await ctx.cleanup();
    // A misspelt second row of a mapped vendor to another distributor that carries its numbers: refused.
    ctx = await setup({ feed, catalog, vendorsYaml: `\n${row('PARTS UNLIMITED', 'aftermarket', 'PU')}${row('PARTS UNLIMTED', 'aftermarket', 'DS')}` });
    const b = await pull(ctx);
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('"PARTS UNLIMTED" → aftermarket DS matches no product; the feed sends "PARTS UNLIMITED" (3 items, 1 of them aftermarket DS part numbers)');
    catalogDir.cleanup();
  });

  // Found by a new-user walkthrough: "manufacturer: Polaris" (the catalog says POLARIS) zeroed
  // all 400 POLARIS products on the first real pull; only mappings validate said anything.
  it('refuses on the first run when a row\'s manufacturer is spelt unlike the catalog and the vendor\'s items are that brand\'s part numbers', async () => {
    ctx = await setup({ vendorsYaml: DEFAULT_VENDORS.replace('manufacturer: POLARIS', 'manufacturer: Polaris') });
    const before = await exportCatalog(ctx);
    const r = await pull(ctx);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/"POLARIS" → oem Polaris matches no product: the catalog has no oem products of "Polaris", but [\d,]+ of the vendor's [\d,]+ items are part numbers of oem "POLARIS": the manufacturer must be spelt as in the catalog/);
    expect(await exportCatalog(ctx)).toEqual(before);
  });

  it('refuses on the first run too when a mapping matches nothing and the feed sends a near-miss spelling', async () => {
    ctx = await setup({ vendorsYaml: DEFAULT_VENDORS.replace('- vendor: HONDA', '- vendor: Honda') });
    const before = await exportCatalog(ctx);
    // A dry run shows the whole plan and says what a real run would do.
    const dry = await pull(ctx, ['--dry-run', '--json']);
    expect(dry.code).toBe(1);
    expect(JSON.parse(dry.stdout).guard).toContain('"Honda" → oem HONDA matches no product');
    expect(dry.stderr).toContain('A real run would stop here');
    const human = await pull(ctx, ['--dry-run']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Inventory pull planned in .*: a real run would be REFUSED and change nothing: .*"Honda" → oem HONDA matches no product/);
    expect(human.stdout).not.toContain('success');
    const r = await pull(ctx);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('"Honda" → oem HONDA matches no product; the feed sends "HONDA" (');
    // Its report shows the planned changes, none applied: its name says so (break-it pass).
    const real = reports(ctx).filter((f) => !f.includes('DRY-RUN') && !f.includes('unrecognized'));
    expect(real).toEqual([expect.stringMatching(/^inventory-\d{8}-\d{6}-\d{3}Z-NOT-APPLIED\.csv$/)]);
    // The hint names the report under that name (it named the file before the rename, which
    // no longer existed), and --json carries the run's counts with the error.
    const named = /The plan \(not applied\) is in (\S+\.csv)\./.exec(r.stderr);
    expect(named, r.stderr).not.toBeNull();
    expect(path.basename(named![1]!)).toBe(real[0]);
    expect(existsSync(named![1]!)).toBe(true);
    const j = await pull(ctx, ['--json']);
    expect(j.code).toBe(3);
    const o = JSON.parse(j.stdout);
    expect(o).toMatchObject({ ok: false, exitCode: 3, status: 'failed', error: { type: 'GuardTripped' } });
    expect(o.reportPath).toMatch(/-NOT-APPLIED\.csv$/);
    expect(existsSync(o.reportPath)).toBe(true);
    expect(o.error.hint).toContain(o.reportPath);
    expect(o.feedItems).toBeGreaterThan(0);
    expect(o.counts.updated + o.counts.unchanged).toBeGreaterThan(0);
    expect(await exportCatalog(ctx)).toEqual(before);
  });

  it('refuses a feed that matches fewer than half the products of the last successful run', async () => {
    ctx = await setup();
    expect((await pull(ctx)).code).toBe(1);
    const before = await exportCatalog(ctx);
    writeFileSync(path.join(ctx.dir, 'lizzy-feed.json'), JSON.stringify(small));
    const r = await pull(ctx);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('The feed matches 1 products, fewer than half of the 5,055 the last successful run matched');
    expect(await exportCatalog(ctx)).toEqual(before);
  });
});

describe('inventory pull: disabled days are Pacific weekdays', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await setup({ feed: [{ VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 9 }], disabledDays: ['saturday'], clear: false });
  });
  afterEach(async () => {
    await ctx.mock.close();
    await ctx.cleanup();
  });

  it('skips with exit 0 on a Saturday in Pacific time, even when it is already Sunday in UTC', async () => {
    // 2026-12-06T05:30Z is Saturday 21:30 PST.
    const r = await pull(ctx, [], { LIZZY_SYNC_NOW: '2026-12-06T05:30:00Z' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Inventory pull skipped: saturday is a disabled day');
    expect(ctx.mock.state.requests).toHaveLength(0);
  });

  it('runs on a Friday evening in Pacific time that is Saturday in UTC', async () => {
    // 2026-12-05T05:30Z is Friday 21:30 PST.
    const r = await pull(ctx, [], { LIZZY_SYNC_NOW: '2026-12-05T05:30:00Z' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Inventory pull finished');
  });

  it('--force runs on a disabled day', async () => {
    const r = await pull(ctx, ['--force'], { LIZZY_SYNC_NOW: '2026-12-05T20:00:00Z' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Inventory pull finished');
  });

  // From a walkthrough: the skip line said "use --force", and --force also switched off the
  // wipe guards, so a mistyped vendor name zeroed a distributor's stock.
  it('the skip line points to --any-day, which runs on a disabled day with the wipe guards still on', async () => {
    const skip = await pull(ctx, [], { LIZZY_SYNC_NOW: '2026-12-05T20:00:00Z' });
    expect(skip.stdout).toContain('use --any-day to run anyway (the wipe guards still apply)');
    const r = await pull(ctx, ['--any-day'], { LIZZY_SYNC_NOW: '2026-12-05T20:00:00Z' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Inventory pull finished');
    const guarded = await setup({ feed: [], disabledDays: ['saturday'], clear: true });
    try {
      const g = await pull(guarded, ['--any-day'], { LIZZY_SYNC_NOW: '2026-12-05T20:00:00Z' });
      expect(g.code).toBe(3);
      expect(g.stderr).toContain('The Lizzy feed is empty and clearPreviousQuantities is on');
    } finally {
      await guarded.mock.close();
      await guarded.cleanup();
    }
  });
});

describe('inventory pull: configuration and locks', () => {
  it('a bad config exits 2 naming the file, line and key, with no stack trace', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'lizzy-sync.yaml');
    writeFileSync(file, 'lizzy:\n  apiKey: x\ninventory:\n  disabledDays: [satruday]\n');
    const r = await runCli(['--config', file, 'inventory', 'pull']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4:18: inventory.disabledDays[0]: "satruday" is not one of`);
    expect(r.stderr).toContain('did you mean "saturday"?');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    t.cleanup();
  });

  // Found by a break-it pass: a reports.dir that is a file was exit 3 ("cannot create"),
  // found only after Lizzy had been called; it is a configuration mistake.
  it('reports.dir naming a file: exit 2 naming reports.dir, before Lizzy is called (pull and push)', async () => {
    const ctx = await setup({ feed: [] });
    try {
      writeFileSync(path.join(ctx.dir, 'reports'), 'not a folder');
      const r = await pull(ctx);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('reports.dir:');
      expect(r.stderr).toContain('is not a folder');
      const push = await runCli(['--config', ctx.config, 'orders', 'push'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
      expect(push.code, push.stderr).toBe(2);
      expect(push.stderr).toContain('reports.dir:');
      expect(ctx.mock.state.requests).toHaveLength(0);
    } finally {
      await ctx.mock.close();
      await ctx.cleanup();
    }
  });

  it('a missing config file exits 2 and says what to do', async () => {
    const t = tempDir();
    const r = await runCli(['inventory', 'pull'], { cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No config file at');
    expect(r.stderr).toContain('Copy config.example.yaml');
    t.cleanup();
  });

  it('no API key exits 2 before any work', async () => {
    const t = tempDir();
    const file = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
    const r = await runCli(['--config', file, 'inventory', 'pull']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No Lizzy API key');
    t.cleanup();
  });

  // From a new-user walkthrough: a misspelt variable (${LIZZY_APIKEY}) was only "not set".
  it('an API key taken from an unset variable names that variable, in the error and in config check', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'c.yaml');
    writeFileSync(file, 'lizzy:\n  baseUrl: http://127.0.0.1:9\n  apiKey: ${LIZZY_APIKEY}\n');
    const r = await runCli(['--config', file, 'inventory', 'pull']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('takes it from the environment variable LIZZY_APIKEY, which is not set');
    const check = await runCli(['--config', file, 'config', 'check', '--offline']);
    expect(check.stdout).toMatch(/FAIL\s+api key\s+not set: lizzy.apiKey takes it from the environment variable LIZZY_APIKEY/);
    t.cleanup();
  });

  it('an unknown flag exits 2', async () => {
    const r = await runCli(['inventory', 'pull', '--dryrun']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--dryrun'");
  });

  // Found by a break-it pass: the report took its final name before the apply, so a run
  // killed between the two left "updated 1 -> 7" rows under a name that looked applied, and
  // the next run left it there. It is now <name>.partial until the commit.
  it.skipIf(KIND !== 'sqlite')('a pull killed after its report is written but before the commit leaves no report under an applied name', async () => {
    const ctx = await setup();
    await mockNext(ctx.mock, { path: '/inventoryfeed', delayMs: 1000 });
    const p = spawnCli(['--config', ctx.config, 'inventory', 'pull'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    const db = new Database(path.join(ctx.dir, 'data', 'lizzy-sync.db'));
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(ok()).toBe(true);
    };
    await until(() => (db.prepare(`SELECT count(*) AS n FROM sync_runs WHERE status = 'running'`).get() as { n: number }).n === 1);
    db.exec('BEGIN IMMEDIATE'); // the pull's apply waits for this write lock
    await until(() => reports(ctx).some((f) => f.endsWith('-unrecognized-vendors.csv.partial'))); // written after the report
    p.child.kill('SIGKILL');
    await p.exited;
    db.exec('ROLLBACK');
    db.close();
    // Nothing under a final name: the report and its unrecognized-vendors list wait as .partial.
    expect(reports(ctx).every((f) => f.endsWith('.partial'))).toBe(true);
    const left = reports(ctx).filter((f) => !f.includes('unrecognized'));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^inventory-\d{8}-\d{6}-\d{3}Z\.csv\.partial$/);
    const next = await pull(ctx);
    expect(next.code).toBe(1);
    expect(next.stderr).toContain(`Removed ${path.join(ctx.dir, 'reports', left[0]!)}, left by interrupted run #1, whose changes were never committed`);
    expect(reports(ctx).filter((f) => f.endsWith('.partial'))).toEqual([]);
    await ctx.mock.close();
    await ctx.cleanup();
  });

  // Found by a break-it pass: a killed dry run's .partial files stayed for good (dry runs keep
  // no run record). One not written to for an hour is removed by the next run.
  it('removes the .partial files of a killed dry run once they are an hour old, and only those', async () => {
    const ctx = await setup();
    const dir = path.join(ctx.dir, 'reports');
    mkdirSync(dir, { recursive: true });
    const old = path.join(dir, 'inventory-20261201-120000-000Z-DRY-RUN.csv.partial');
    const fresh = path.join(dir, 'inventory-20261203-175900-000Z-DRY-RUN.csv.partial');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'x');
    const hourAgo = (Date.now() - 61 * 60_000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    const r = await pull(ctx);
    expect(r.stderr).toContain(`Removed ${old}, left by a dry run that was killed`);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    await ctx.mock.close();
    await ctx.cleanup();
  });

  it.skipIf(KIND !== 'sqlite')('exits 75 when another run holds the lock, naming the holder', async () => {
    const ctx = await setup({ feed: [] });
    const db = new Database(path.join(ctx.dir, 'data', 'lizzy-sync.db'));
    const now = new Date().toISOString();
    db.prepare('INSERT INTO job_locks (job, owner, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run('inventory', 'other', 4242, 'counter-pc', now, now);
    db.close();
    const r = await runCli(['--config', ctx.config, 'inventory', 'pull'], { env: cliEnv() });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('Another inventory run holds the lock: pid 4242 on counter-pc');
    // Times in the schedule's zone (as status shows them), with the recorded instant.
    expect(r.stderr).toMatch(/since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T \(\d{4}-\d\d-\d\dT[\d:.]+Z\), last heartbeat \d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T \(/);
    await ctx.mock.close();
    await ctx.cleanup();
  });
});

describe('catalog import and export', () => {
  let t: { dir: string; cleanup(): void };
  let store: StoreHandle;
  let config: string;
  beforeEach(() => {
    t = tempDir();
    store = storeFor(KIND, t.dir);
    config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9', databaseYaml: store.yaml });
  });
  afterEach(async () => {
    await store.drop();
    t.cleanup();
  });

  // Found by a new-user walkthrough: the catalog could not be imported before Lizzy support
  // had sent the API key and the Webstore ID (the config needed a lizzy: section).
  it('a config with no lizzy: section imports the catalog; a pull then asks for the key', async () => {
    writeFileSync(config, `${store.yaml}reports:\n  dir: ./reports\n`);
    const imp = await runCli(['--config', config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], { env: { LIZZY_API_KEY: undefined } });
    expect(imp.code, imp.stderr).toBe(0);
    const pull = await runCli(['--config', config, 'inventory', 'pull'], { env: { LIZZY_API_KEY: undefined } });
    expect(pull.code).toBe(2);
    expect(pull.stderr).toContain('No Lizzy API key: set lizzy.apiKey in');
    expect(pull.stderr).not.toMatch(/\n\s+at /);
  });

  // Found by a new-user walkthrough: a European Excel's semicolons read as one unknown
  // column, and the rows of commas Excel leaves after the data were bad rows (exit 1).
  it('names a semicolon-separated file as such, and skips the rows of only commas a spreadsheet leaves', async () => {
    const semi = path.join(t.dir, 'semi.csv');
    writeFileSync(semi, 'catalog;distributor;manufacturer;part_number;description;list_price;shelf_qty\r\naftermarket;PU;;0101-0001;Grips;12,95;3\r\n');
    const r = await runCli(['--config', config, 'catalog', 'import', semi], { env: cliEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${semi}:1: the columns are separated by semicolons, not commas.`);
    expect(r.stderr).toContain('Save it as "CSV UTF-8 (Comma delimited)"');
    // Formatted numbers as Excel writes them: "1,204" is read as the feed reads it; "1,2" is refused.
    const formatted = path.join(t.dir, 'formatted.csv');
    writeFileSync(formatted, 'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\r\naftermarket,PU,,0101-0009,Grips,"1,299.00","1,204"\r\naftermarket,PU,,0101-0010,Grips,1.00,"1,2"\r\n');
    const f = await runCli(['--config', config, 'catalog', 'import', formatted, '--json'], { env: cliEnv() });
    expect(JSON.parse(f.stdout).bad).toEqual([{ line: 3, message: 'shelf_qty "1,2" is not a whole number of 0 or more' }]);
    expect((await store.query<{ shelf_qty: number }>(`SELECT shelf_qty FROM products WHERE part_number = '0101-0009'`)).map((r) => Number(r.shelf_qty))).toEqual([1204]);
    const blanks = path.join(t.dir, 'blanks.csv');
    writeFileSync(blanks, 'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\r\naftermarket,PU,,0101-0001,Grips,12.95,3\r\n,,,,,,\r\n , ,,,,,\r\n,,,,,,\r\n');
    const b = await runCli(['--config', config, 'catalog', 'import', blanks, '--json'], { env: cliEnv() });
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ rows: 1, bad: [] });
  });

  // The PostgreSQL store loads through COPY's text format, where backslash, tab, line
  // breaks, \N and \. mean something: text holding them must arrive exactly as it was.
  it('text with backslashes, tabs, line breaks, \\N and \\. round-trips exactly', async () => {
    const odd = ['C:\\parts\\new', 'tab\there', 'two\r\nlines', 'lone\nfeed', '\\N', '\\.', 'end\\', 'quote "x"'];
    const csvText =
      'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\n' +
      odd.map((d, i) => `aftermarket,PU,,ODD-${i}\\x,"${d.replaceAll('"', '""')}",1.00,${i}`).join('\n') +
      '\n';
    const file = path.join(t.dir, 'odd.csv');
    writeFileSync(file, csvText);
    const imp = await runCli(['--config', config, 'catalog', 'import', file], { env: cliEnv() });
    expect(imp.code, imp.stderr).toBe(0);
    const rows = await store.query<{ part_number: string; description: string; shelf_qty: number }>('SELECT part_number, description, shelf_qty FROM products ORDER BY shelf_qty');
    expect(rows.map((r) => [r.part_number, r.description, Number(r.shelf_qty)])).toEqual(odd.map((d, i) => [`ODD-${i}\\x`, d, i]));
  });

  // Found by a break-it pass: an unquoted comma shifted a row's values into the next
  // columns (price 2.00, quantity 10), and a misspelt "descripton" dropped every description.
  it('a row with more fields than the header is a bad row; a column it does not read is named, with a did-you-mean', async () => {
    const file = path.join(t.dir, 'shifted.csv');
    writeFileSync(file, 'catalog,distributor,manufacturer,part_number,descripton,list_price,shelf_qty,\naftermarket,PU,,EX-1,Grips 1, 2,10,2\naftermarket,PU,,EX-2,Fine,1.00,2,\n');
    const r = await runCli(['--config', config, '--json', 'catalog', 'import', file], { env: cliEnv() });
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.bad).toEqual([{ line: 2, message: 'the row has 8 fields, the header 7: a comma inside a value must be in quotes ("Grips 1, 2")' }]);
    expect(j.ignoredColumns).toEqual([{ column: 'descripton', suggestion: 'description' }]);
    expect(j.inserted).toBe(1);
    const human = await runCli(['--config', config, 'catalog', 'import', file], { env: cliEnv() });
    expect(human.stderr).toContain('warning: column "descripton" is not one lizzy-sync reads; its values were ignored (did you mean "description"?)');
  });

  // Found by a break-it pass: a line break inside an unquoted description split the row, and
  // its first half imported with the description cut off and price and quantity "left as is".
  it('a row with fewer fields than the header is a bad row, named with its line', async () => {
    const file = path.join(t.dir, 'split.csv');
    writeFileSync(file, 'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\naftermarket,PU,,SP-1,Grips\nblack,3.00,4\naftermarket,PU,,SP-2,Fine,1.00,2\n');
    const r = await runCli(['--config', config, '--json', 'catalog', 'import', file], { env: cliEnv() });
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.bad[0]).toEqual({ line: 2, message: 'the row has 5 fields, the header 7: a line break inside a value must be in quotes, and an empty value still needs its comma (,,)' });
    expect(j.bad[1]).toMatchObject({ line: 3 });
    expect(j.inserted).toBe(1);
    expect((await store.query<{ part_number: string }>('SELECT part_number FROM products')).map((p) => p.part_number)).toEqual(['SP-2']);
  });

  it('a part number too long to be a key is a bad row; the good rows are imported', async () => {
    const file = path.join(t.dir, 'long.csv');
    writeFileSync(file, `catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\naftermarket,PU,,${'P'.repeat(3000)},Long,1.00,1\naftermarket,PU,,OK-1,Fine,1.00,2\n`);
    const r = await runCli(['--config', config, 'catalog', 'import', file], { env: cliEnv() });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('skipped: long.csv:2: part_number is 3,000 characters long; at most 200');
    expect(r.stdout).toContain('2 rows, 1 new');
  });

  it('keeps good rows, reports bad ones with line numbers, and is idempotent', async () => {
    const csv = path.join(t.dir, 'cat.csv');
    writeFileSync(
      csv,
      [
        'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty',
        'aftermarket,PU,Moose,0101-0042,"Filter, ""HF204""",8.95,3',
        'oem,,HONDA,00123,Gasket,1.50,',
        'aftermarket,,Moose,0101-0043,No distributor,1,1',
        'oem,,HONDA,17210-KYJ-901,Bad price,12.x,1',
        'bogus,PU,,1,Bad catalog,1,1',
        'private,,RIVERSIDE MOTO,RM-1,Negative,1,-2',
        'oem,,HONDA,X-1,Comma price,"12,95",1',
        'oem,,HONDA,X-2,Huge quantity,1.00,99999999999999999999',
        'oem,,HONDA,X-3,Fraction of a cent,1.005,1',
        'aftermarket,,Moose,,Everything wrong,abc,-1',
        '',
      ].join('\r\n'),
    );
    const r = await runCli(['--config', config, 'catalog', 'import', csv]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('10 rows, 2 new, 0 updated, 0 unchanged, 8 bad rows skipped');
    // Every problem of a row at once (from a new-user walkthrough: only the first was named).
    expect(r.stderr).toContain(
      'skipped: cat.csv:11: an aftermarket product needs a distributor abbreviation; part_number is empty; list_price "abc" is not an amount such as 12.95; shelf_qty "-1" is not a whole number of 0 or more',
    );
    expect(r.stderr).toContain('skipped: cat.csv:4: an aftermarket product needs a distributor abbreviation');
    expect(r.stderr).toContain('cat.csv:5: list_price "12.x" is not an amount');
    expect(r.stderr).toContain('cat.csv:6: catalog "bogus" is not one of aftermarket, oem, private');
    expect(r.stderr).toContain('cat.csv:7: shelf_qty "-2" is not a whole number');
    expect(r.stderr).toContain('cat.csv:8: list_price "12,95" is not an amount');
    expect(r.stderr).toContain('cat.csv:9: shelf_qty 99999999999999999999 is too large');
    expect(r.stderr).toContain('cat.csv:10: list_price 1.005 has fractions of a cent');
    const again = await runCli(['--config', config, '--json', 'catalog', 'import', csv]);
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const out = path.join(t.dir, 'out.csv');
    expect((await runCli(['--config', config, 'catalog', 'export', '--out', out])).code).toBe(0);
    expect(readCsvFile(out)).toEqual([
      { catalog: 'aftermarket', distributor: 'PU', manufacturer: 'Moose', part_number: '0101-0042', description: 'Filter, "HF204"', list_price: '8.95', shelf_qty: '3' },
      { catalog: 'oem', distributor: '', manufacturer: 'HONDA', part_number: '00123', description: 'Gasket', list_price: '1.50', shelf_qty: '0' },
    ]);
  });

  // The import stages 100 rows per statement and finds repeated keys with one GROUP BY: a
  // file of 250 rows (two full statements and 50 single rows) with keys repeated across them.
  it('a key repeated in the file: the last row wins, and every row lands across the batched inserts', async () => {
    const csv = path.join(t.dir, 'rep.csv');
    const lines = ['catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty'];
    for (let i = 0; i < 250; i++) {
      const part = i % 50 === 7 ? 'REPEATED' : `P-${String(i).padStart(4, '0')}`;
      lines.push(`aftermarket,PU,Moose,${part},Row ${i},${(i + 1).toFixed(2)},${i}`);
    }
    writeFileSync(csv, lines.join('\n'));
    const r = await runCli(['--config', config, '--json', 'catalog', 'import', csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 250, inserted: 246, updated: 0, unchanged: 0, duplicatesInFile: 4 });
    const out = path.join(t.dir, 'out.csv');
    expect((await runCli(['--config', config, 'catalog', 'export', '--out', out])).code).toBe(0);
    const rows = readCsvFile(out);
    expect(rows).toHaveLength(246);
    // Rows 7, 57, 107, 157, 207 share a key: row 207 wins.
    expect(rows.find((x) => x.part_number === 'REPEATED')).toMatchObject({ description: 'Row 207', list_price: '208.00', shelf_qty: '207' });
    expect(rows.find((x) => x.part_number === 'P-0249')).toMatchObject({ description: 'Row 249', list_price: '250.00', shelf_qty: '249' });
    expect(rows.find((x) => x.part_number === 'P-0000')).toMatchObject({ description: 'Row 0', list_price: '1.00', shelf_qty: '0' });
  });

  it('an inch mark in a description does not swallow the rows after it', async () => {
    const csv = path.join(t.dir, 'cat.csv');
    writeFileSync(
      csv,
      [
        'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty',
        'aftermarket,PU,,A-1,12" wheel spacer,10.00,1',
        'aftermarket,PU,,A-2,Spacer bolts,11.00,2',
        'aftermarket,PU,,A-3,Lug nuts,12.00,3',
        'aftermarket,PU,,A-4,10" tire,20.00,4',
        'aftermarket,PU,,A-5,Valve stem,5.00,5',
      ].join('\n'),
    );
    const r = await runCli(['--config', config, '--json', 'catalog', 'import', csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 5, inserted: 5 });
    const out = path.join(t.dir, 'out.csv');
    expect((await runCli(['--config', config, 'catalog', 'export', '--out', out])).code).toBe(0);
    expect(readCsvFile(out).map((p) => [p.part_number, p.description, p.list_price, p.shelf_qty])).toEqual([
      ['A-1', '12" wheel spacer', '10.00', '1'],
      ['A-2', 'Spacer bolts', '11.00', '2'],
      ['A-3', 'Lug nuts', '12.00', '3'],
      ['A-4', '10" tire', '20.00', '4'],
      ['A-5', 'Valve stem', '5.00', '5'],
    ]);
  });

  it('a folder, a UTF-16 file and Windows-1252 rows are named as such, never an internal error', async () => {
    const folder = await runCli(['--config', config, 'catalog', 'import', t.dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is a folder, not a CSV file');
    const header = 'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\n';
    const utf16 = path.join(t.dir, 'unicode.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}oem,,HONDA,1,x,1,1\n`, 'utf16le')]));
    const u = await runCli(['--config', config, 'catalog', 'import', utf16]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('is UTF-16 text');
    const latin1 = path.join(t.dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.concat([Buffer.from(`${header}oem,,HONDA,1,Prot`), Buffer.from([0xe8]), Buffer.from('ge-main,1.00,1\noem,,HONDA,2,Plain,2.00,2\n')]));
    const l = await runCli(['--config', config, 'catalog', 'import', latin1]);
    expect(l.code).toBe(1);
    expect(l.stdout).toContain('2 rows, 1 new');
    expect(l.stderr).toContain('latin1.csv:2: the row is not UTF-8 text');
  });

  // Found by a break-it pass: the UTF-16 check read the file's first bytes at offset 0, which
  // a pipe refuses (ESPIPE), so `catalog import /dev/stdin` or `<(...)` was exit 2.
  it('a catalog piped in on /dev/stdin is imported', async () => {
    const csv = path.join(t.dir, 'piped.csv');
    writeFileSync(csv, 'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\noem,,HONDA,P-1,Piped,1.00,4\n');
    // Through a shell pipe, as a user would: stdin is then a pipe, not a file.
    const r = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" --config "$4" --json catalog import /dev/stdin', 'sh', csv, process.execPath, BIN, config], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...cliEnv() },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 1, inserted: 1 });
  });

  it('a missing header column is an input error (exit 2)', async () => {
    const csv = path.join(t.dir, 'cat.csv');
    writeFileSync(csv, 'catalog,part_number\naftermarket,1\n');
    const r = await runCli(['--config', config, 'catalog', 'import', csv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the header lacks distributor, manufacturer, list_price, shelf_qty');
  });

  // Found by a new-user walkthrough: a header with "price" and "qty" got no hint of which
  // columns they stand for.
  it('a missing header column that the file names another way is named back with its real name', async () => {
    const csv = path.join(t.dir, 'cat.csv');
    writeFileSync(csv, 'catalog,distributor,manufacturer,Part Number,description,price,QTY\naftermarket,PU,,1,x,1,1\n');
    const r = await runCli(['--config', config, 'catalog', 'import', csv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cat.csv:1: the header lacks part_number, list_price, shelf_qty (rename "Part Number" to part_number, "price" to list_price, "QTY" to shelf_qty).');
    // A column given twice: which one holds the data is a guess (break-it pass: the last was used silently).
    writeFileSync(csv, 'catalog,distributor,manufacturer,part_number,part_number,description,list_price,shelf_qty\naftermarket,PU,,1,2,x,1,1\n');
    const twice = await runCli(['--config', config, 'catalog', 'import', csv]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('cat.csv:1: the header has part_number twice (columns 4 and 5).');
  });
});
});
}

describe('feed bytes split anywhere', () => {
  it('a network read that ends inside a multi-byte character does not stall the fetch', async () => {
    const http = await import('node:http');
    const body = Buffer.from(JSON.stringify([{ VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 4, Description: 'Protège-main' }]));
    const k = body.indexOf(Buffer.from('è'));
    const server = http.createServer(async (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (const part of [body.subarray(0, k), body.subarray(k, k + 1), body.subarray(k + 1)]) {
        res.write(part);
        await new Promise((r) => setTimeout(r, 50));
      }
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const t = tempDir();
    const config = writeConfig(t.dir, { baseUrl: `http://127.0.0.1:${port}`, clear: false });
    writeFileSync(config, readFileSync(config, 'utf8').replace('retries: 1', 'retries: 0\n  timeoutSeconds: 5'));
    const r = await runCli(['--config', config, '--json', 'inventory', 'pull', '--dry-run'], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }) });
    server.close();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).feedItems).toBe(1);
    t.cleanup();
  });
});
