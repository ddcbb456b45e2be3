import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { VendorMapping } from '../src/config/schema.js';
import { readFeedItem } from '../src/inventory/item.js';
import { indexMappings, keysToLookUp, normalisedKeysToLookUp, planInventory, type NormalisedCandidates } from '../src/inventory/plan.js';
import { closestPartNumbers, differenceHint } from '../src/mappings/closest.js';
import { lookupSpaceOf, normalisePartNumber, rulesThatEquate } from '../src/mappings/normalise.js';
import { collidingGroups } from '../src/mappings/validate.js';
import type { Product } from '../src/store/types.js';

describe('normalisePartNumber', () => {
  it('folds case, separators and a prefix only as asked', () => {
    expect(normalisePartNumber('17210-kyj-901', { ignoreCase: true, ignoreSeparators: false })).toBe('17210-KYJ-901');
    expect(normalisePartNumber('5TA-14451-00-00', { ignoreCase: false, ignoreSeparators: true })).toBe('5TA144510000');
    expect(normalisePartNumber('12 345/6.7_8\u20139', { ignoreCase: false, ignoreSeparators: true })).toBe('123456789');
    expect(normalisePartNumber('PU-0101-1234', { ignoreCase: false, ignoreSeparators: false, stripPrefix: 'PU-' })).toBe('0101-1234');
    expect(normalisePartNumber('pu-0101-1234', { ignoreCase: false, ignoreSeparators: false, stripPrefix: 'PU-' })).toBe('pu-0101-1234');
    expect(normalisePartNumber('pu-0101-1234', { ignoreCase: true, ignoreSeparators: true, stripPrefix: 'PU-' })).toBe('01011234');
    // The prefix is taken off before separators go, so "PUMP" never loses its "PU".
    expect(normalisePartNumber('PUMP-1', { ignoreCase: false, ignoreSeparators: true, stripPrefix: 'PU-' })).toBe('PUMP1');
    expect(normalisePartNumber('PU-', { ignoreCase: false, ignoreSeparators: false, stripPrefix: 'PU-' })).toBe('PU-');
    // Leading zeros always matter.
    expect(normalisePartNumber('00123', { ignoreCase: true, ignoreSeparators: true })).toBe('00123');
  });

  it('names the smallest rules that make two numbers equal', () => {
    expect(rulesThatEquate('17210-kyj-901', '17210-KYJ-901')).toEqual({ ignoreCase: true, ignoreSeparators: false });
    expect(rulesThatEquate('5TA1445100', '5TA-14451-00')).toEqual({ ignoreCase: false, ignoreSeparators: true });
    expect(rulesThatEquate('5ta1445100', '5TA-14451-00')).toEqual({ ignoreCase: true, ignoreSeparators: true });
    expect(rulesThatEquate('123', '00123')).toBeUndefined();
  });

  it('groups catalog part numbers that collide under a rule', () => {
    const n = (pn: string) => normalisePartNumber(pn, { ignoreCase: false, ignoreSeparators: true });
    expect(collidingGroups(['12-345', '12345', '0101-0042', '9-9', '99'], n)).toEqual([
      { normalised: '12345', partNumbers: ['12-345', '12345'] },
      { normalised: '99', partNumbers: ['9-9', '99'] },
    ]);
  });
});

describe('closest part numbers', () => {
  it('puts known patterns first and explains them', () => {
    const c = closestPartNumbers('101-5876', ['0101-5876', '0101-5847', 'ZZZZ-0000', '101-5877']);
    expect(c[0]).toMatchObject({ partNumber: '0101-5876' });
    expect(c[0]!.hint).toContain('leading zeros');
    expect(c.map((x) => x.partNumber)).not.toContain('ZZZZ-0000');
    expect(differenceHint('17210-kyj-901', '17210-KYJ-901')).toContain('partNumbers: { ignoreCase: true }');
    expect(differenceHint('0101-1234', 'PU-0101-1234')).toContain('stripPrefix: "PU-"');
  });
});

describe('config: partNumbers on a vendor row', () => {
  const base = (row: string) => `lizzy:\n  apiKey: k\nvendors:\n  - vendor: PARTS UNLIMITED\n    catalog: aftermarket\n    distributor: PU\n${row}`;

  it('is exact by default and reads the rules', () => {
    expect(parseConfig(base(''), '/x/c.yaml', {}).vendors[0]!.partNumbers).toBeUndefined();
    const c = parseConfig(base('    partNumbers: { ignoreCase: true, ignoreSeparators: true, stripPrefix: "PU-" }\n'), '/x/c.yaml', {});
    expect(c.vendors[0]!.partNumbers).toEqual({ ignoreCase: true, ignoreSeparators: true, stripPrefix: 'PU-' });
    // All rules off is the same as no rules.
    expect(parseConfig(base('    partNumbers: { ignoreCase: false }\n'), '/x/c.yaml', {}).vendors[0]!.partNumbers).toBeUndefined();
  });

  it('rejects a misspelt rule or a wrong type with the line and a suggestion', () => {
    expect(() => parseConfig(base('    partNumbers:\n      ignorecase: true\n'), '/x/c.yaml', {})).toThrow(/c\.yaml:8:7: vendors\[0\]\.partNumbers\.ignorecase: unknown key "ignorecase"; did you mean "ignoreCase"\?/);
    expect(() => parseConfig(base('    partNumbers: true\n'), '/x/c.yaml', {})).toThrow(/vendors\[0\]\.partNumbers: expected a section of keys \(ignoreCase, ignoreSeparators, stripPrefix\)/);
    expect(() => parseConfig(base('    partNumbers: { stripPrefix: 12 }\n'), '/x/c.yaml', {})).toThrow(/stripPrefix: expected text but YAML read 12 as a number/);
  });
});

describe('planner with partNumbers rules', () => {
  let id = 1;
  const product = (partNumber: string, qty: number): Product => ({
    id: id++,
    catalog: 'aftermarket',
    distributor: 'PU',
    manufacturer: null,
    partNumber,
    description: null,
    listPriceCents: 100,
    shelfQty: qty,
  });
  const maps: VendorMapping[] = [
    { vendor: 'PARTS UNLIMITED', catalog: 'aftermarket', distributor: 'PU', usePricing: false, partNumbers: { ignoreCase: true, ignoreSeparators: true }, index: 0, line: 10 },
  ];
  const a = product('12-345', 1);
  const b = product('12345', 2);
  const c = product('0101-0042', 3);
  const space = lookupSpaceOf(maps[0]!)!;
  const normalised: NormalisedCandidates = new Map([
    [
      space,
      new Map([
        ['12345', [a, b]],
        ['01010042', [c]],
      ]),
    ],
  ]);

  it('asks for normalised keys, not exact ones', () => {
    const items = [readFeedItem({ VendorName: 'PARTS UNLIMITED', ItemNumber: '0101 0042', Quantity: 1 }, 1)];
    const byVendor = indexMappings(maps);
    expect(keysToLookUp(items, byVendor)).toEqual([]);
    const want = normalisedKeysToLookUp(items, byVendor);
    expect([...want.values()]).toEqual([{ catalog: 'aftermarket', brand: 'PU', rules: maps[0]!.partNumbers, keys: new Set(['01010042']) }]);
  });

  it('matches through the normalised number and says so', () => {
    const items = [readFeedItem({ VendorName: 'PARTS UNLIMITED', ItemNumber: '0101 0042', Quantity: 9 }, 1)];
    const p = planInventory(items, maps, new Map(), { clearPreviousQuantities: true }, normalised);
    expect(p.rows[0]).toMatchObject({ status: 'updated', matchKey: 'PU 0101-0042', oldQty: 3, newQty: 9, mapping: 0 });
    expect(p.rows[0]!.notes).toContain('matched catalog part number "0101-0042" with partNumbers (ignoreCase, ignoreSeparators)');
    expect(p.sets.get(c.id)).toEqual({ qty: 9 });
  });

  it('updates neither product when the normalised number collides, keeps both quantities, and says why', () => {
    const items = [readFeedItem({ VendorName: 'PARTS UNLIMITED', ItemNumber: '12345', Quantity: 7 }, 1)];
    const p = planInventory(items, maps, new Map(), { clearPreviousQuantities: true }, normalised);
    expect(p.rows[0]!.status).toBe('invalid');
    expect(p.rows[0]!.notes[0]).toMatch(/^ambiguous part number: with partNumbers \(ignoreCase, ignoreSeparators\) "12345" matches 2 aftermarket products of PU \("12-345", "12345"\); none is updated/);
    expect(p.rows[0]!.notes[0]).toContain('config line 10');
    expect(p.sets.size).toBe(0);
    expect([...p.protectedIds].sort()).toEqual([a.id, b.id].sort());
    expect(p.collisions).toEqual([
      { position: 1, vendor: 'PARTS UNLIMITED', itemNumber: '12345', mapping: 0, line: 10, catalog: 'aftermarket', brand: 'PU', normalised: '12345', partNumbers: ['12-345', '12345'] },
    ]);
  });

  it('reports a normalised miss with the form it compared', () => {
    const items = [readFeedItem({ VendorName: 'PARTS UNLIMITED', ItemNumber: 'nope-1', Quantity: 1 }, 1)];
    const p = planInventory(items, maps, new Map(), { clearPreviousQuantities: false }, normalised);
    expect(p.rows[0]!.notes[0]).toBe('no aftermarket product PU nope-1 in the catalog (compared as "NOPE1" with partNumbers: ignoreCase, ignoreSeparators)');
  });
});
