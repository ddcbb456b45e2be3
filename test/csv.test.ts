import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { CsvReport, csvCell, neutralise } from '../src/report/csv.js';
import { registerSecret } from '../src/util/redact.js';
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
  // Bug: a quote inside an unquoted field (an inch mark) opened a quoted field that swallowed
  // the rows after it, silently, until the next quote.
  it('a quote inside an unquoted field is a character, and the rows after it stay rows', async () => {
    const recs = await parse('A-1,12" wheel spacer,10.00\nA-2,plain,2\nA-4,10" tire,20.00\n"q",say ""hi"",x""y\n');
    expect(recs).toEqual([
      { line: 1, fields: ['A-1', '12" wheel spacer', '10.00'] },
      { line: 2, fields: ['A-2', 'plain', '2'] },
      { line: 3, fields: ['A-4', '10" tire', '20.00'] },
      { line: 4, fields: ['q', 'say ""hi""', 'x""y'] },
    ]);
  });
  it('fails on an unclosed quote naming the line', async () => {
    await expect(parse('a\n"open\n')).rejects.toThrow(/line 2 never closes/);
  });

  // The reader splits whole unquoted lines at commas (fast path) and walks the rest character
  // by character. Both must read every text alike, wherever the chunks break.
  it('reads any text the same whole, one character at a time, and in random chunks', async () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pieces = ['a', 'bc', ',', ',', '"', '""', '\r', '\n', '\n', '\r\n', 'x y', '\uFEFF'];
    const outcome = async (text: string, chunk: number | 'random') => {
      const parts: string[] = [];
      for (let i = 0; i < text.length; ) {
        const n = chunk === 'random' ? 1 + rand(9) : chunk;
        parts.push(text.slice(i, i + n));
        i += n;
      }
      try {
        const out = [];
        for await (const r of readCsv(Readable.from(parts))) out.push(r);
        return out;
      } catch (err) {
        return (err as Error).message;
      }
    };
    for (let k = 0; k < 600; k++) {
      const text = Array.from({ length: 1 + rand(40) }, () => pieces[rand(pieces.length)]).join('');
      const whole = await outcome(text, Math.max(1, text.length));
      expect(await outcome(text, 1), JSON.stringify(text)).toEqual(whole);
      expect(await outcome(text, 'random'), JSON.stringify(text)).toEqual(whole);
    }
  });

  it('reads the same records from one chunk as from small ones (lines split at commas)', async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""",3\r\n2,"multi\nline",\n3,,"end"\nplain,row,\r\n,,\n\nlast,one';
    expect(await parse(text, text.length)).toEqual(await parse(text, 1));
    expect((await parse(text, text.length)).slice(-4)).toEqual([
      { line: 6, fields: ['plain', 'row', ''] },
      { line: 7, fields: ['', '', ''] },
      { line: 8, fields: [''] },
      { line: 9, fields: ['last', 'one'] },
    ]);
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

  it('writes the same text as csv-stringify for every kind of cell (the reference serializer)', async () => {
    const tricky: Array<string | number | null | undefined> = [
      '', 'plain', 'a,b', 'say "hi"', '"', 'crlf\r\nin a cell', ' padded ', 'Protège', '日本語', '😀,"x"',
      0, -3, 12.95, 1e21, 0.1 + 0.2, null, undefined, '0101-0001', '00123', '=SUM(A1)', '+1', '-x', '@cmd', '\tx',
    ];
    // (Not lone CR or LF: csv-stringify with CRLF records leaves those unquoted, which splits
    // the row in Excel; the next test holds those.)
    // Deterministic mixes of the tricky cells, plus every single one.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rows = tricky.map((v) => ({ a: v, b: 'x', c: 1 }));
    for (let i = 0; i < 500; i++) rows.push({ a: tricky[Math.floor(rnd() * tricky.length)], b: tricky[Math.floor(rnd() * tricky.length)] as string, c: tricky[Math.floor(rnd() * tricky.length)] as number });
    const t = tempDir();
    const file = path.join(t.dir, 'r.csv');
    const r = new CsvReport(file, ['a', 'b', 'c']);
    for (const row of rows) await r.write(row);
    await r.close();
    const reference = stringify(rows, {
      header: true,
      bom: true,
      columns: ['a', 'b', 'c'].map((key) => ({ key })),
      record_delimiter: 'windows',
      cast: { string: (v) => String(neutralise(v)) },
    });
    expect(readFileSync(file, 'utf8')).toBe(reference);
    expect(csvCell('=1', false)).toBe('=1');
    t.cleanup();
  });

  // Redaction moved from every cell to every 64 KB batch of whole rows (a pull writes a row
  // per cleared product); a cell that quoting changes is still redacted on its own.
  it('never writes the API key: plain cells, quoted cells, formula cells, and rows around each batch boundary', async () => {
    const key = 'csv-test-key-4b1d-9f3e-77aa0c1e5d2f';
    registerSecret(key);
    const t = tempDir();
    const file = path.join(t.dir, 'k.csv');
    const r = new CsvReport(file, ['a', 'b']);
    const filler = 'x'.repeat(97);
    for (let i = 0; i < 3000; i++) {
      const a = i % 3 === 0 ? `${key}` : i % 3 === 1 ? `say "${key}", ok` : `=${key}`;
      if (r.add([a, i % 7 === 0 ? `${filler}${key}` : filler])) await r.flush();
    }
    await r.write({ a: `new\nline ${key}`, b: Buffer.from(key).toString('base64') });
    await r.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key);
    expect(text).not.toContain(Buffer.from(key).toString('base64'));
    expect(text).not.toContain(key.slice(0, 20));
    const back = (await parse(text, 4096)).map((x) => x.fields);
    expect(back).toHaveLength(3002);
    expect(back[1]).toEqual(['***', `x`.repeat(97) + '***']);
    expect(back[2]).toEqual(['say "***", ok', filler]);
    expect(back[3]).toEqual(["'=***", filler]);
    expect(back[3001]).toEqual(['new\nline ***', '***']);
    t.cleanup();
  });

  it('a cell with a lone line feed or carriage return is quoted, so the row stays one row', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'r.csv');
    const r = new CsvReport(file, ['a', 'b']);
    await r.write({ a: 'line\nbreak', b: 1 });
    await r.write({ a: 'cr\rreturn', b: 2 });
    await r.write({ a: '\rstarts with CR', b: 3 });
    await r.close();
    const text = readFileSync(file, 'utf8');
    expect(text).toBe('\uFEFFa,b\r\n"line\nbreak",1\r\n"cr\rreturn",2\r\n"\'\rstarts with CR",3\r\n');
    const back = await parse(text);
    expect(back.map((x) => x.fields)).toEqual([['a', 'b'], ['line\nbreak', '1'], ['cr\rreturn', '2'], ["'\rstarts with CR", '3']]);
    t.cleanup();
  });

  it('a report with no rows still has its header, and a large one is written whole', async () => {
    const t = tempDir();
    const empty = path.join(t.dir, 'e.csv');
    await new CsvReport(empty, ['a', 'b']).close();
    expect(readFileSync(empty, 'utf8')).toBe('\uFEFFa,b\r\n');
    const big = path.join(t.dir, 'big.csv');
    const r = new CsvReport(big, ['n', 's']);
    for (let i = 0; i < 50_000; i++) await r.write({ n: i, s: `row ${i}` });
    await r.close();
    const lines = readFileSync(big, 'utf8').split('\r\n');
    expect(lines).toHaveLength(50_002);
    expect(lines[50_000]).toBe('49999,row 49999');
    t.cleanup();
  });
});
