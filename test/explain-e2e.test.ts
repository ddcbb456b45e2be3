import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, runCli, tempDir, writeConfig } from './helpers.js';
import { NOW, setup, type Ctx } from './mappings-helpers.js';

describe('explain on the sample data', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(async () => ctx.close());
  const explain = (vendor: string, item: string, extra: string[] = []) => ctx.run(['explain', '--vendor', vendor, '--item', item, ...extra]);

  it('a part that will update: what Lizzy says, the row, the product, and what the next pull writes (exit 0)', async () => {
    const r = await explain('HONDA', '17210-KYJ-901');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1. What Lizzy says, from Lizzy (/inventoryitem):');
    expect(r.stdout).toMatch(/quantity\s+3\n/);
    expect(r.stdout).toMatch(/list price\s+22\.95\n/);
    expect(r.stdout).toMatch(/oem HONDA, exact part number, usePricing/);
    expect(r.stdout).toContain('product        HONDA 17210-KYJ-901 (ELEMENT, AIR CLEANER): shelf quantity 4, list price 21.95');
    expect(r.stdout).toContain('next pull      updated: quantity 4 → 3, list price 21.95 → 22.95');
    expect(r.stdout).toContain('matches product HONDA 17210-KYJ-901; the next pull sets its shelf quantity 4 → 3, list price 21.95 → 22.95.');
    const inv = ctx.mock.state.requests.filter((q) => q.path === '/inventoryitem');
    expect(inv.at(-1)!.payload).toEqual({ vendorname: 'HONDA', partnumber: '17210-KYJ-901' });

    const j = JSON.parse((await explain('HONDA', '17210-KYJ-901', ['--json'])).stdout);
    expect(j).toMatchObject({
      ok: true,
      exitCode: 0,
      applies: true,
      inNextFeed: true,
      lizzy: { found: true, quantity: 3, listPrice: '22.95', lastModified: '2026-11-12T02:27:38Z' },
    });
    expect(j.rows).toHaveLength(1);
    expect(j.rows[0]).toMatchObject({
      catalog: 'oem',
      brand: 'HONDA',
      lookup: 'exact',
      product: { partNumber: '17210-KYJ-901', shelfQty: 4, listPrice: '21.95' },
      outcome: { status: 'updated', oldQty: 4, newQty: 3, oldPrice: '21.95', newPrice: '22.95' },
    });
  });

  it('a part number with the leading zero dropped: not found, with the closest catalog number and why (exit 1)', async () => {
    const r = await explain('PARTS UNLIMITED', '101-5876', ['--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.applies).toBe(false);
    expect(j.rows[0]).toMatchObject({ brand: 'PU', product: null, brandProducts: 1400, outcome: { status: 'not_found' } });
    expect(j.rows[0].closest[0]).toMatchObject({ partNumber: '0101-5876', hint: expect.stringContaining('differs only in leading zeros') });
    expect(j.verdict.join('\n')).toContain('no aftermarket product PU 101-5876 in the catalog, so nothing is updated. Closest catalog part numbers: "0101-5876"');
  });

  it('a lower-case OEM part number: the closest match names the rule that would find it', async () => {
    const r = await explain('HONDA', '19787-ny8-872');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('closest        "19787-NY8-872": differs only in case: partNumbers: { ignoreCase: true } on the mapping row would match it');
    expect(r.stdout).toContain('next pull      not_found');
  });

  it('a vendor spelling no row names: the near miss, and the fix', async () => {
    const r = await explain('Tucker Rocky', '78-2858');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2. Mapping rows for "Tucker Rocky": none (a row names "TUCKER ROCKY": names must match exactly).');
    expect(r.stdout).toContain('No mapping row names vendor "Tucker Rocky"; did you mean "TUCKER ROCKY"?');
    expect(r.stdout).toContain('Fix: if Lizzy really sends "Tucker Rocky", add a mapping row with vendor: "Tucker Rocky"');
  });

  it('a part Lizzy does not have', async () => {
    const j = JSON.parse((await explain('PARTS UNLIMITED', '0101-0042-X', ['--json'])).stdout);
    expect(j).toMatchObject({ exitCode: 1, applies: false, lizzy: { found: false } });
    expect(j.verdict[0]).toBe('Lizzy has no part "0101-0042-X" under vendor "PARTS UNLIMITED" (/inventoryitem found nothing), so no pull can update it from Lizzy.');
    expect(j.verdict[1]).toContain('If Lizzy lists it under another spelling of the vendor');
  });

  it('--feed FILE looks the part up in a saved feed without calling Lizzy', async () => {
    const feed = path.join(ctx.dir, 'feed.json');
    expect((await ctx.run(['inventory', 'fetch', '--out', feed])).code).toBe(0);
    const before = ctx.mock.state.requests.length;
    const r = await ctx.run(['explain', '--vendor', 'PARTS UNLIMITED', '--item', '0101-0042', '--feed', feed], { LIZZY_API_KEY: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`1. What Lizzy says, from the saved feed ${feed}:`);
    expect(r.stdout).toContain('next pull      updated: quantity 3 → 7');
    expect(ctx.mock.state.requests.length).toBe(before);
  });
});

describe('explain: items the pull would not apply', () => {
  let ctx: Ctx;
  const feed = [
    { VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 'N/A', ListPrice: 22.95, LastModified: '2026-11-20T10:00:00Z' },
    { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 7, LastModified: '2026-09-01T10:00:00Z' },
  ];
  beforeAll(async () => {
    ctx = await setup({ feed, clear: true });
  });
  afterAll(async () => ctx.close());

  it('an invalid quantity: the product keeps its quantity', async () => {
    const j = JSON.parse((await ctx.run(['explain', '--vendor', 'HONDA', '--item', '17210-KYJ-901', '--json'])).stdout);
    expect(j.exitCode).toBe(1);
    expect(j.lizzy).toMatchObject({ found: true, invalid: 'quantity "N/A" is not a number' });
    expect(j.rows[0].outcome).toMatchObject({ status: 'invalid', oldQty: 4, newQty: 4 });
    expect(j.rows[0].outcome.notes[0]).toBe('quantity "N/A" is not a number: quantity kept (not cleared)');
  });

  it('a part Lizzy last changed before the next pull asks from: with clearing on it goes to 0', async () => {
    const j = JSON.parse((await ctx.run(['explain', '--vendor', 'PARTS UNLIMITED', '--item', '0101-0042', '--json'])).stdout);
    expect(j).toMatchObject({ exitCode: 1, applies: false, inNextFeed: false });
    expect(j.rows[0].outcome).toMatchObject({ status: 'not_in_feed', oldQty: 3, newQty: 0 });
    expect(j.verdict.join(' ')).toContain('before the next pull\'s window (changed since 2026-11-02); clearPreviousQuantities is on: its shelf quantity is cleared to 0');
  });
});

describe('explain: usage and exit codes', () => {
  it('needs --vendor and --item (exit 2), and exits 3 when Lizzy cannot be reached', async () => {
    const t = tempDir();
    try {
      const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
      const u = await runCli(['--config', config, 'explain', '--vendor', 'HONDA']);
      expect(u.code).toBe(2);
      expect(u.stderr).toContain("required option '--item <number>' not specified");
      const r = await runCli(['--config', config, 'explain', '--vendor', 'HONDA', '--item', '1'], { env: { LIZZY_API_KEY: API_KEY, LIZZY_SYNC_NOW: NOW } });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('Cannot reach Lizzy at http://127.0.0.1:9');
    } finally {
      t.cleanup();
    }
  });
});
