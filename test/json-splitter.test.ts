import { describe, expect, it } from 'vitest';
import { JsonArraySplitter } from '../src/lizzy/json-array-stream.js';

function split(chunks: string[]): unknown[] {
  const s = new JsonArraySplitter();
  const out: unknown[] = [];
  for (const c of chunks) for (const t of s.push(c)) out.push(JSON.parse(t));
  s.end();
  return out;
}

describe('JSON array splitter', () => {
  const items = [
    { VendorName: 'A "quoted" ]}, name', ItemNumber: '0101-1234', Quantity: 3, Nested: { a: [1, { b: '}' }] } },
    { VendorName: 'Señal \\ back\\slash', ItemNumber: 'x', Quantity: '2' },
    42,
    'text',
    null,
    [1, 2],
  ];
  const text = JSON.stringify(items, null, 1);

  it('yields every element, whole or split at any point', () => {
    expect(split([text])).toEqual(items);
    for (let cut = 1; cut < text.length; cut += 7) expect(split([text.slice(0, cut), text.slice(cut)])).toEqual(items);
    expect(split(text.split(''))).toEqual(items);
  });

  // Bug: an element spanning many chunks was re-concatenated and re-scanned per chunk
  // (quadratic: 40 MB took 8 s, 80 MB 32 s and 820 MB of memory).
  it('an element spanning many chunks comes out whole, and an absurdly large one is refused', () => {
    const big = [{ VendorName: 'HONDA', ItemNumber: '1', Description: 'x'.repeat(3_000_000) + '"}]' }, { VendorName: 'HONDA', ItemNumber: '2' }];
    const t = JSON.stringify(big);
    const chunks: string[] = [];
    for (let i = 0; i < t.length; i += 65_536) chunks.push(t.slice(i, i + 65_536));
    expect(split(chunks)).toEqual(big);
    const huge = `[{"Description":"${'y'.repeat(17 * 2 ** 20)}"}]`;
    const hugeChunks: string[] = [];
    for (let i = 0; i < huge.length; i += 1 << 20) hugeChunks.push(huge.slice(i, i + (1 << 20)));
    expect(() => split(hugeChunks)).toThrow(RangeError);
    expect(() => split(hugeChunks)).toThrow(/element 1 is over 16 M characters long/);
  });

  it('reads an empty array', () => {
    expect(split(['  [ ]  '])).toEqual([]);
  });

  it('rejects a truncated body', () => {
    expect(() => split([text.slice(0, text.length - 5)])).toThrow(/truncated/);
    expect(() => split(['[{"a":1},'])).toThrow(/truncated/);
    expect(() => split([''])).toThrow(/empty/);
  });

  it('rejects what is not an array', () => {
    expect(() => split(['<html><body>Login</body></html>'])).toThrow(/expected a JSON array/);
    expect(() => split(['{"a":1}'])).toThrow(/expected a JSON array/);
    expect(() => split(['[1 2]'])).toThrow(/expected "," or "]"/);
    expect(() => split(['[1,]'])).toThrow(/"," is followed by "]"/);
    expect(() => split(['[1] x'])).toThrow(/after the end/);
  });
});
