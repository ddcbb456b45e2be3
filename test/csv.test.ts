import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvReport, neutralise } from '../src/report/csv.js';
import { readCsv } from '../src/util/csv-parse.js';
import { tempDir } from './helpers.js';

async function parse(text: string, chunk = 3) {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += chunk) parts.push(text.slice(i, i + chunk));
  const out = [];
  for await (const r of readCsv(Readable.from(parts))) out.push(r);
  return out;
}

describe('CSV reader', () => {
  it('reads quotes, embedded commas and line breaks, CRLF and a BOM, with line numbers', async () => {
    const recs = await parse('\uFEFFa,b,c\r\n1,"x, ""y""",3\r\n2,"multi\nline",\n3,,"end"');
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, "y"', '3'] },
      { line: 3, fields: ['2', 'multi\nline', ''] },
      { line: 5, fields: ['3', '', 'end'] },
    ]);
  });
  it('fails on an unclosed quote naming the line', async () => {
    await expect(parse('a\n"open\n')).rejects.toThrow(/line 2 never closes/);
  });
});

describe('CSV reports', () => {
  it('neutralises formula-looking text and leaves numbers alone', () => {
    expect(neutralise('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutralise('+1')).toBe("'+1");
    expect(neutralise('-x')).toBe("'-x");
    expect(neutralise('@cmd')).toBe("'@cmd");
    expect(neutralise('\tx')).toBe("'\tx");
    expect(neutralise('0101-1234')).toBe('0101-1234');
    expect(neutralise(-3)).toBe(-3);
  });

  it('a file that fails mid-write (disk full) ends with an error, not a hang, and leaves no partial file', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'r.csv');
    let written = 0;
    const full = () =>
      new Writable({
        highWaterMark: 1024,
        write(chunk, _enc, cb) {
          written += chunk.length;
          setImmediate(() => (written > 4096 ? cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : cb()));
        },
      });
    const r = new CsvReport(file, ['a', 'b'], { open: full });
    const rows = (async () => {
      for (let i = 0; i < 10_000; i++) await r.write({ a: 'x'.repeat(50), b: i });
    })();
    await expect(rows).rejects.toThrow(/Cannot write the report .*ENOSPC/);
    await r.abandon();
    expect(existsSync(`${file}.partial`)).toBe(false);
    t.cleanup();
  });

  it('writes UTF-8 with a BOM and CRLF, quoting as needed', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'r.csv');
    const r = new CsvReport(file, ['a', 'b']);
    await r.write({ a: 'Protège-main, "noir"', b: 3 });
    await r.write({ a: '=HYPERLINK("x")', b: -1 });
    await r.close();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1)).toBe('a,b\r\n"Protège-main, ""noir""",3\r\n"\'=HYPERLINK(""x"")",-1\r\n');
    t.cleanup();
  });
});
