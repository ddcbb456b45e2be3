import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { API_KEY, readCsvFile, runCli, tempDir, writeConfig } from './helpers.js';
import { NOW, setup, type Ctx } from './mappings-helpers.js';

/** The config line of the row `- vendor: NAME`. */
function lineOf(config: string, vendorLine: string): number {
  const lines = readFileSync(config, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.trim() === `- vendor: ${vendorLine}`);
  expect(i, vendorLine).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('mappings validate on the sample data (live feed from the mock)', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(async () => ctx.close());

  it('lists near misses with the exact feed spelling, unmapped vendors, per-row matches, and exits 1', async () => {
    const r = await ctx.run(['mappings', 'validate']);
    expect(r.code, r.stderr).toBe(1);
    const tr = lineOf(ctx.config, 'TUCKER ROCKY');
    const honda = lineOf(ctx.config, 'HONDA');
    const yamaha = lineOf(ctx.config, 'YAMAHA');
    expect(r.stdout).toContain("Lizzy's live feed: 5,614 items changed since 2026-11-02");
    expect(r.stdout).toContain(`error   ${ctx.config}:${tr}: the feed sends "Tucker Rocky" (20 items), which differs from the mapped "TUCKER ROCKY" only in case, spacing or punctuation`);
    expect(r.stdout).toContain(`fix: the feed uses both spellings: add a row with vendor: "Tucker Rocky" (a copy of the row at line ${tr})`);
    // The trailing space shows, because the name is quoted.
    expect(r.stdout).toContain(`error   ${ctx.config}:${honda}: the feed sends "HONDA " (5 items)`);
    // Part numbers that differ only in case or separators: a hint with the rule to add.
    // The HONDA item whose catalog part the feed lists nowhere else gets the hint; the others
    // are lookalikes of parts the feed lists under their own numbers (new-user walkthrough:
    // the hint to add ignoreSeparators for "U3K168190100" made an O-ring overwrite a cylinder).
    expect(r.stdout).toContain(`warning ${ctx.config}:${honda}: 1 unmatched item of "HONDA" matches an oem HONDA part number that differs only in case (feed "19787-ny8-872" = catalog "19787-NY8-872")`);
    expect(r.stdout).toContain(`fix: if these are the same parts, add to the row at line ${honda}: partNumbers: { ignoreCase: true }`);
    expect(r.stdout).not.toContain(`warning ${ctx.config}:${yamaha}:`);
    // Per row: matched and not found, with examples.
    expect(r.stdout).toMatch(/"PARTS UNLIMITED"\s+aftermarket\s+PU\s+1,400\s+1,400\s+1,320\s+80\s+\S/);
    expect(r.stdout).toMatch(/"KAWASAKI"\s+oem\s+KAWASAKI\s+350\s+350\s+330\s+20/);
    // Unmapped vendors, most first.
    const unmapped = r.stdout.slice(r.stdout.indexOf('Vendors in the feed that no row maps'));
    expect(unmapped.indexOf('"DRAG SPECIALTIES"  120')).toBeLessThan(unmapped.indexOf('"K&N ENGINEERING"    60'));
    expect(unmapped).toContain('"Tucker Rocky"       20  near miss of "TUCKER ROCKY"');
    expect(unmapped).toContain('"HONDA "              5  near miss of "HONDA"');
    expect(r.stdout).toContain('  - vendor: "DRAG SPECIALTIES"    # 120 items in the feed');
    expect(r.stdout).toContain('2 problems, 1 warning.');
  });

  it('--json prints one object; the YAML snippet pastes into the config and fixes the near misses', async () => {
    const r = await ctx.run(['mappings', 'validate', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, exitCode: 1, clean: false, errors: 2, warnings: 1, mappingRows: 8, catalogProducts: 5400 });
    expect(j.feed).toEqual({ kind: 'live', modifiedSince: '2026-11-02', items: 5614, vendors: 13, itemsWithoutVendor: 2 });
    expect(j.problems.map((p: { code: string }) => p.code)).toEqual(['near_miss', 'near_miss', 'would_match_normalised']);
    expect(j.unmappedVendors).toEqual([
      { vendor: 'DRAG SPECIALTIES', items: 120 },
      { vendor: 'K&N ENGINEERING', items: 60 },
      { vendor: 'Tucker Rocky', items: 20, suggestion: 'TUCKER ROCKY' },
      { vendor: 'SHOEI', items: 15 },
      { vendor: 'HONDA ', items: 5, suggestion: 'HONDA' },
    ]);
    expect(j.nearMisses).toEqual([
      { feedName: 'Tucker Rocky', items: 20, mappedName: 'TUCKER ROCKY', lines: [lineOf(ctx.config, 'TUCKER ROCKY')], mappedNameInFeed: true },
      { feedName: 'HONDA ', items: 5, mappedName: 'HONDA', lines: [lineOf(ctx.config, 'HONDA')], mappedNameInFeed: true },
    ]);
    const honda = j.rows.find((x: { vendor: string }) => x.vendor === 'HONDA');
    expect(honda).toMatchObject({ catalog: 'oem', brand: 'HONDA', catalogProducts: 650, feedItems: 645, matched: 610, notFound: 35 });
    expect(honda.wouldMatch).toMatchObject({ items: 1, rules: { ignoreCase: true, ignoreSeparators: false }, yaml: 'partNumbers: { ignoreCase: true }' });
    expect(j.missingVendors).toEqual([]);

    // Paste the snippet: the config still loads, the near misses are gone, the placeholders are flagged.
    appendFileSync(ctx.config, `${j.yamlSnippet}\n`);
    expect(() => parseConfig(readFileSync(ctx.config, 'utf8'), ctx.config, { LIZZY_API_KEY: API_KEY })).not.toThrow();
    const again = JSON.parse((await ctx.run(['mappings', 'validate', '--json'])).stdout);
    expect(again.problems.filter((p: { code: string }) => p.code === 'near_miss')).toEqual([]);
    expect(again.unmappedVendors).toEqual([]);
    const placeholders = again.problems.filter((p: { code: string }) => p.code === 'unknown_distributor');
    expect(placeholders).toHaveLength(3);
    expect(placeholders[0].message).toContain('distributor "CHANGE-ME" is not in the catalog');
    expect(placeholders[0].fix).toMatch(/^use one of the catalog's distributor abbreviations: /);
    expect(placeholders[0].fix).not.toContain('import the products of');
    // The copied rows now match their items.
    expect(again.rows.find((x: { vendor: string }) => x.vendor === 'Tucker Rocky')).toMatchObject({ feedItems: 20, matched: 20 });
    expect(again.rows.find((x: { vendor: string }) => x.vendor === 'HONDA ')).toMatchObject({ feedItems: 5, matched: 5 });
  });
});

describe('mappings validate --feed FILE and --report', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(async () => ctx.close());

  // Found by a break-it pass: an empty file validated as a feed without items (exit 0).
  it('an empty feed file is an input error (exit 2), not an empty feed', async () => {
    const empty = path.join(ctx.dir, 'empty.json');
    writeFileSync(empty, '\n');
    const r = await ctx.run(['mappings', 'validate', '--feed', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`The feed file ${empty} is empty: a saved feed is a JSON array ("[]" when Lizzy had no changes).`);
    writeFileSync(empty, '[]');
    expect((await ctx.run(['mappings', 'validate', '--feed', empty])).code).not.toBe(2);
  });

  it('validates a feed saved by inventory fetch without calling Lizzy, and writes the CSV report', async () => {
    const feed = path.join(ctx.dir, 'saved-feed.json');
    expect((await ctx.run(['inventory', 'fetch', '--out', feed])).code).toBe(0);
    const before = ctx.mock.state.requests.length;
    const report = path.join(ctx.dir, 'out', 'validate.csv');
    mkdirSync(path.dirname(report)); // --report, like every --out, writes into a folder that exists
    const r = await ctx.run(['mappings', 'validate', '--feed', feed, '--report', report, '--json'], { LIZZY_API_KEY: '' });
    expect(r.code, r.stderr).toBe(1);
    expect(ctx.mock.state.requests.length).toBe(before);
    const j = JSON.parse(r.stdout);
    expect(j.feed).toMatchObject({ kind: 'file', file: feed, items: 5614 });
    expect(j.reportPath).toBe(report);
    const rows = readCsvFile(report);
    expect(Object.keys(rows[0]!)).toEqual(['section', 'severity', 'code', 'line', 'vendor', 'catalog', 'brand', 'feed_items', 'matched', 'not_found', 'message', 'fix']);
    expect(rows.filter((x) => x.section === 'problem').map((x) => x.code)).toEqual(['near_miss', 'near_miss', 'would_match_normalised']);
    expect(rows.find((x) => x.section === 'mapping' && x.vendor === 'PARTS UNLIMITED')).toMatchObject({ catalog: 'aftermarket', brand: 'PU', feed_items: '1400', matched: '1320', not_found: '80' });
    expect(rows.filter((x) => x.section === 'unmapped_vendor').map((x) => [x.vendor, x.feed_items])).toEqual([
      ['DRAG SPECIALTIES', '120'],
      ['K&N ENGINEERING', '60'],
      ['Tucker Rocky', '20'],
      ['SHOEI', '15'],
      ['HONDA ', '5'],
    ]);
    expect(readFileSync(report, 'utf8')).not.toContain(API_KEY);
  });

  it('a missing or unreadable --feed file exits 2 and says how to make one', async () => {
    const r = await ctx.run(['mappings', 'validate', '--feed', path.join(ctx.dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot read the feed file');
    expect(r.stderr).toContain('lizzy-sync inventory fetch --out FILE');
    const bad = path.join(ctx.dir, 'bad.json');
    writeFileSync(bad, '{"not":"a list"}');
    const b = await ctx.run(['mappings', 'validate', '--feed', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('is not a JSON array of feed items');
  });
});

describe('mappings validate: vendor spellings that differ by case, trailing space and punctuation', () => {
  let ctx: Ctx;
  const vendorsYaml = `
  - vendor: PARTS UNLIMITED
    catalog: aftermarket
    distributor: PU
  - vendor: HONDA
    catalog: oem
    manufacturer: HONDA
    usePricing: true
  - vendor: WESTERN POWER SPORTS
    catalog: aftermarket
    distributor: WPS
  - vendor: K&N ENGINEERING
    catalog: aftermarket
    distributor: PU
`;
  const feed = [
    { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 5 },
    { VendorName: 'Parts Unlimited', ItemNumber: '0601-3351', Quantity: 1 },
    { VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 3 },
    { VendorName: 'HONDA ', ItemNumber: '17210-KYJ-901', Quantity: 3 },
    { VendorName: 'HONDA ', ItemNumber: '94109-12000', Quantity: 1 },
    { VendorName: 'WESTERN POWER-SPORTS', ItemNumber: '00123', Quantity: 2 },
    { VendorName: 'K & N ENGINEERING', ItemNumber: 'KN-1', Quantity: 2 },
    { VendorName: 'SHOEI', ItemNumber: '0120-1111-05', Quantity: 2 },
  ];
  beforeAll(async () => {
    ctx = await setup({ feed, vendorsYaml });
  });
  afterAll(async () => ctx.close());

  it('finds each near miss and says whether to add a row or change the row', async () => {
    const r = await ctx.run(['mappings', 'validate', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    const line = (v: string) => lineOf(ctx.config, v);
    expect(j.nearMisses).toEqual([
      { feedName: 'HONDA ', items: 2, mappedName: 'HONDA', lines: [line('HONDA')], mappedNameInFeed: true },
      { feedName: 'K & N ENGINEERING', items: 1, mappedName: 'K&N ENGINEERING', lines: [line('K&N ENGINEERING')], mappedNameInFeed: false },
      { feedName: 'Parts Unlimited', items: 1, mappedName: 'PARTS UNLIMITED', lines: [line('PARTS UNLIMITED')], mappedNameInFeed: true },
      { feedName: 'WESTERN POWER-SPORTS', items: 1, mappedName: 'WESTERN POWER SPORTS', lines: [line('WESTERN POWER SPORTS')], mappedNameInFeed: false },
    ]);
    const fixes = Object.fromEntries(j.problems.filter((p: { code: string }) => p.code === 'near_miss').map((p: { vendor: string; fix: string }) => [p.vendor, p.fix]));
    expect(fixes['WESTERN POWER SPORTS']).toBe(`change the row at line ${line('WESTERN POWER SPORTS')} to vendor: "WESTERN POWER-SPORTS" (the exact feed spelling)`);
    expect(fixes['K&N ENGINEERING']).toBe(`change the row at line ${line('K&N ENGINEERING')} to vendor: "K & N ENGINEERING" (the exact feed spelling)`);
    expect(fixes.HONDA).toContain('add a row with vendor: "HONDA "');
    // A mapped name the feed never uses is not reported twice: the near miss covers it.
    expect(j.missingVendors.map((v: { vendor: string }) => v.vendor)).toEqual(['WESTERN POWER SPORTS', 'K&N ENGINEERING']);
    expect(j.problems.filter((p: { code: string }) => p.code === 'vendor_not_in_feed')).toEqual([]);
    // Only the rows to add go in the snippet; SHOEI gets a placeholder.
    expect(j.yamlSnippet).toContain('- vendor: "HONDA "');
    expect(j.yamlSnippet).toContain('- vendor: "Parts Unlimited"');
    expect(j.yamlSnippet).toContain('- vendor: "SHOEI"');
    expect(j.yamlSnippet).not.toContain('WESTERN POWER-SPORTS');
  });

  it('inventory pull reports the same near-miss suggestions for unrecognized vendors', async () => {
    const r = await ctx.run(['inventory', 'pull', '--dry-run', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.unrecognizedVendors).toEqual([
      { vendor: 'HONDA ', items: 2, suggestion: 'HONDA' },
      { vendor: 'K & N ENGINEERING', items: 1, suggestion: 'K&N ENGINEERING' },
      { vendor: 'Parts Unlimited', items: 1, suggestion: 'PARTS UNLIMITED' },
      { vendor: 'SHOEI', items: 1 },
      { vendor: 'WESTERN POWER-SPORTS', items: 1, suggestion: 'WESTERN POWER SPORTS' },
    ]);
    const vendors = readCsvFile(j.vendorsReportPath);
    expect(vendors.find((v) => v.vendor === 'K & N ENGINEERING')!.suggestion).toBe('mapped as "K&N ENGINEERING": the config must use the feed\'s spelling');
  });
});

describe('mappings validate: static checks against the catalog', () => {
  let ctx: Ctx;
  const vendorsYaml = `
  - vendor: PARTS UNLIMITED
    catalog: aftermarket
    distributor: PUU
  - vendor: RIVERSIDE MOTO
    catalog: oem
    manufacturer: RIVERSIDE MOTO
  - vendor: HONDA
    catalog: oem
    manufacturer: HONDA
  - vendor: HONDA
    catalog: oem
    manufacturer: HONDA
    usePricing: true
  - vendor: Kawasaki
    catalog: oem
    manufacturer: KAWASAKI
  - vendor: " YAMAHA"
    catalog: oem
    manufacturer: YAMAHA
  - vendor: POLARIS
    catalog: oem
    manufacturer: POLARIS
  - vendor: TUCKER ROCKEY
    catalog: aftermarket
    distributor: TR
`;
  const feed = [
    { VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 3 },
    { VendorName: 'POLARIS', ItemNumber: 'NOT-A-PART', Quantity: 3 },
    { VendorName: 'POLARIS', ItemNumber: 'NOT-A-PART-2', Quantity: 3 },
    { VendorName: 'TUCKER ROCKY', ItemNumber: '24-2834', Quantity: 1 },
  ];
  beforeAll(async () => {
    ctx = await setup({ feed, vendorsYaml });
  });
  afterAll(async () => ctx.close());

  it('reports unknown brands, wrong catalogs, duplicate rows, odd names and rows that match nothing, each with its line and a fix', async () => {
    const r = await ctx.run(['mappings', 'validate', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    const by = (code: string) => j.problems.filter((p: { code: string }) => p.code === code);
    const lines = readFileSync(ctx.config, 'utf8').split('\n');
    const at = (text: string, nth = 0) => lines.map((l, i) => [l.trim(), i + 1] as const).filter(([l]) => l === text)[nth]![1];
    // "TUCKER ROCKY" is fixed by correcting the "TUCKER ROCKEY" row: the snippet adds no
    // CHANGE-ME row for it (found by a new-user walkthrough).
    expect(j.yamlSnippet ?? '').not.toContain('TUCKER ROCKY');

    expect(by('unknown_distributor')).toEqual([
      {
        severity: 'error',
        code: 'unknown_distributor',
        line: at('- vendor: PARTS UNLIMITED'),
        vendor: 'PARTS UNLIMITED',
        message: `${ctx.config}:${at('- vendor: PARTS UNLIMITED')}: distributor "PUU" is not in the catalog; did you mean "PU"?`,
        fix: `change the row at line ${at('- vendor: PARTS UNLIMITED')} to distributor: PU`,
      },
    ]);
    expect(by('brand_in_other_catalog')[0]).toMatchObject({
      line: at('- vendor: RIVERSIDE MOTO'),
      message: expect.stringContaining('the catalog has no oem products of "RIVERSIDE MOTO", but 150 private products'),
      fix: `set catalog: private on the row at line ${at('- vendor: RIVERSIDE MOTO')}`,
    });
    expect(by('duplicate_row')[0]).toMatchObject({
      line: at('- vendor: HONDA', 1),
      message: expect.stringContaining(`this row repeats the row at line ${at('- vendor: HONDA')}`),
      fix: expect.stringContaining(`delete the row at line ${at('- vendor: HONDA', 1)}`),
    });
    expect(by('vendor_case')[0]).toMatchObject({ severity: 'warning', line: at('- vendor: Kawasaki'), fix: 'check the spelling in Lizzy; usually "KAWASAKI"' });
    expect(by('vendor_spaces')[0]).toMatchObject({ severity: 'warning', line: at('- vendor: " YAMAHA"'), fix: 'write vendor: "YAMAHA" unless Lizzy really sends the spaces' });
    expect(by('no_matches')[0]).toMatchObject({
      line: at('- vendor: POLARIS'),
      message: expect.stringContaining('none of the 2 feed items of "POLARIS" matches an oem product of POLARIS (e.g. "NOT-A-PART", "NOT-A-PART-2")'),
    });
    // A mapped name the feed lacks, with a typo-close feed name: an error with the suggestion.
    expect(by('vendor_not_in_feed').find((p: { vendor: string }) => p.vendor === 'TUCKER ROCKEY')).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('no item in the feed (parts changed since 2026-11-02) names vendor "TUCKER ROCKEY"; the feed has "TUCKER ROCKY"'),
    });
    // A mapped name the feed lacks with nothing close: only a warning (the vendor may have had no changes).
    expect(by('vendor_not_in_feed').find((p: { vendor: string }) => p.vendor === 'Kawasaki')).toMatchObject({ severity: 'warning' });
    expect(j.rows.find((x: { line: number }) => x.line === at('- vendor: HONDA', 1))).toMatchObject({ duplicateOf: at('- vendor: HONDA'), feedItems: 0 });
  });

  it('on a terminal: errors first, each with its fix', async () => {
    const r = await ctx.run(['mappings', 'validate']);
    expect(r.code).toBe(1);
    expect(r.stdout.indexOf('Errors (')).toBeLessThan(r.stdout.indexOf('Warnings ('));
    expect(r.stdout).toContain('distributor "PUU" is not in the catalog; did you mean "PU"?');
    expect(r.stdout).toMatch(/\n {10}fix: change the row at line \d+ to distributor: PU\n/);
  });
});

describe('mappings validate: exit codes', () => {
  it('exits 0 when every mapping is clean', async () => {
    const vendorsYaml = `
  - vendor: PARTS UNLIMITED
    catalog: aftermarket
    distributor: PU
  - vendor: HONDA
    catalog: oem
    manufacturer: HONDA
    usePricing: true
`;
    const feed = [
      { VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0042', Quantity: 5 },
      { VendorName: 'HONDA', ItemNumber: '17210-KYJ-901', Quantity: 3 },
    ];
    const ctx = await setup({ feed, vendorsYaml });
    try {
      const r = await ctx.run(['mappings', 'validate']);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain('No problems.');
      const j = JSON.parse((await ctx.run(['mappings', 'validate', '--json'])).stdout);
      expect(j).toMatchObject({ ok: true, exitCode: 0, clean: true, errors: 0, warnings: 0, problems: [], yamlSnippet: null });
    } finally {
      await ctx.close();
    }
  });

  it('exits 2 on a bad config (naming the line), and 3 when Lizzy cannot be reached', async () => {
    const t = tempDir();
    try {
      const bad = path.join(t.dir, 'bad.yaml');
      writeFileSync(bad, 'lizzy:\n  apiKey: x\nvendors:\n  - vendor: HONDA\n    catalog: oen\n    manufacturer: HONDA\n');
      const b = await runCli(['--config', bad, 'mappings', 'validate']);
      expect(b.code).toBe(2);
      expect(b.stderr).toContain(`${bad}:5:14: vendors[0].catalog: "oen" is not one of aftermarket, oem, private; did you mean "oem"?`);

      const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
      const u = await runCli(['--config', config, 'mappings', 'validate', '--json'], { env: { LIZZY_API_KEY: API_KEY, LIZZY_SYNC_NOW: NOW } });
      expect(u.code).toBe(3);
      expect(JSON.parse(u.stdout)).toMatchObject({ ok: false, exitCode: 3, error: { type: 'LizzyError' } });
      expect(u.stderr).toContain('Cannot reach Lizzy at http://127.0.0.1:9');

      const noKey = await runCli(['--config', config, 'mappings', 'validate']);
      expect(noKey.code).toBe(2);
      expect(noKey.stderr).toContain('No Lizzy API key');
    } finally {
      t.cleanup();
    }
  });
});

describe('mappings validate: no mappings, empty catalog', () => {
  it('says that nothing will sync, and offers rows for every vendor in the feed', async () => {
    const ctx = await setup({ vendorsYaml: ' []\n', catalog: [], feed: [{ VendorName: 'HONDA', ItemNumber: '1', Quantity: 1 }] });
    try {
      const r = await ctx.run(['mappings', 'validate', '--json']);
      expect(r.code).toBe(1);
      const j = JSON.parse(r.stdout);
      expect(j.problems.map((p: { code: string }) => p.code)).toEqual(['no_mappings', 'empty_catalog']);
      expect(j.problems[1].fix).toBe('import your catalog first: lizzy-sync catalog import FILE.csv');
      expect(j.yamlSnippet).toContain('- vendor: "HONDA"');
    } finally {
      await ctx.close();
    }
  });
});

// Found by a new-user walkthrough: a catalog row with distributor "pu" became a distributor
// of its own that no mapping reads; clearing zeroed it every day without a word.
describe('mappings validate: catalog spellings of a mapped distributor', () => {
  it('warns about products under a case or punctuation variant of a mapped brand, with the fix', async () => {
    const ctx = await setup({
      feed: [{ VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-0001', Quantity: 3 }],
      vendorsYaml: `
  - vendor: PARTS UNLIMITED
    catalog: aftermarket
    distributor: PU
`,
      catalog: ['aftermarket,PU,,0101-0001,Grips,12.95,1', 'aftermarket,pu,,0101-0002,Levers,9.95,4', 'aftermarket,P.U.,,0101-0003,Pegs,5.00,2', 'aftermarket,TR,,24-0001,Other,1.00,1'],
    });
    const j = JSON.parse((await ctx.run(['mappings', 'validate', '--json'])).stdout);
    const variants = j.problems.filter((p: { code: string }) => p.code === 'brand_spelling_variant');
    expect(variants.map((p: { message: string }) => p.message.replace(/^.*?: /, ''))).toEqual([
      'the catalog also has 1 aftermarket product under "P.U.", which differs from "PU" only in case, accents or punctuation: no mapping row reads it, so no pull updates it (and clearPreviousQuantities zeroes it)',
      'the catalog also has 1 aftermarket product under "pu", which differs from "PU" only in case, accents or punctuation: no mapping row reads it, so no pull updates it (and clearPreviousQuantities zeroes it)',
    ]);
    expect(variants[0].severity).toBe('warning');
    expect(variants[0].fix).toBe('correct the distributor of those products to "PU" in the catalog CSV and import it again (catalog export lists them)');
    await ctx.close();
  });
});
