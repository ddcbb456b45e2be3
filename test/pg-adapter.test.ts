/**
 * The PostgreSQL adapter's own pieces. copyRows against a real PostgreSQL: what goes in comes out exactly, and a COPY that fails
 * (the server refusing a row, our row function throwing) throws and leaves the connection
 * out of COPY mode, usable after ROLLBACK. Runs when LIZZY_TEST_PG_URL names a database.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCell, copyRows } from '../src/store/postgres/copy.js';
import { PG_URL } from './stores.js';

describe('copyCell', () => {
  it('writes COPY text format: \\N for null, t/f, escapes for backslash, tab and line breaks', () => {
    expect([null, undefined, 12, -3.5, true, false].map(copyCell)).toEqual(['\\N', '\\N', '12', '-3.5', 't', 'f']);
    expect(copyCell('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyCell('\\N')).toBe('\\\\N');
    expect(copyCell('plain "text", with commas')).toBe('plain "text", with commas');
  });
});

describe.skipIf(!PG_URL)('copyRows on PostgreSQL', () => {
  let pool: pg.Pool;
  let c: pg.PoolClient;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    c = await pool.connect();
    await c.query('CREATE TEMP TABLE copy_t (n int, s text, b boolean)');
  });
  afterAll(async () => {
    c?.release();
    await pool?.end();
  });

  it('loads many rows across several stream writes, every value exact', async () => {
    await c.query('TRUNCATE copy_t');
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ n: i, s: i % 7 === 0 ? null : `row ${i}\t\\${'x'.repeat(i % 13)}\n`, b: i % 2 === 0 }));
    await copyRows(c, 'copy_t', ['n', 's', 'b'], rows, (r) => [r.n, r.s, r.b]);
    const got = await c.query<{ n: number; s: string | null; b: boolean }>('SELECT n, s, b FROM copy_t ORDER BY n');
    expect(got.rows).toEqual(rows);
  });

  it('a row the server refuses: throws its error, and the connection works after ROLLBACK', async () => {
    await c.query('BEGIN');
    const rows = Array.from({ length: 30_000 }, (_, i) => [i === 25_000 ? 'not a number' : i, 's', true]);
    await expect(copyRows(c, 'copy_t', ['n', 's', 'b'], rows, (r) => r as Array<string | number | boolean>)).rejects.toThrow(/invalid input syntax for type integer/);
    await c.query('ROLLBACK');
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('our row function throwing mid-COPY: the COPY is aborted, our error is thrown, nothing is loaded', async () => {
    await c.query('TRUNCATE copy_t');
    await c.query('BEGIN');
    const rows = Array.from({ length: 30_000 }, (_, i) => i);
    const cells = (i: number) => {
      if (i === 20_000) throw new Error('bad row 20000');
      return [i, 'x', false];
    };
    await expect(copyRows(c, 'copy_t', ['n', 's', 'b'], rows, cells)).rejects.toThrow('bad row 20000');
    await c.query('ROLLBACK');
    expect((await c.query('SELECT count(*)::int AS n FROM copy_t')).rows).toEqual([{ n: 0 }]);
  });
});

describe('sslmode in a postgres URL means what it means to psql', () => {
  it('require encrypts without verifying, verify-full verifies, and pg prints no security warning', async () => {
    const { libpqCompatibleUrl } = await import('../src/store/postgres/pg-store.js');
    // pg's own URL parser (a dependency of pg): what the pool is given.
    const { parse } = await import('pg-connection-string');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const require = parse(libpqCompatibleUrl('postgres://u@db.example.com/w?sslmode=require'));
      expect(require.ssl).toMatchObject({ rejectUnauthorized: false });
      const full = parse(libpqCompatibleUrl('postgres://u@db.example.com/w?sslmode=verify-full'));
      expect(full.ssl).toBeTruthy();
      expect((full.ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized).not.toBe(false);
      expect(libpqCompatibleUrl('postgres://u@h/w')).toBe('postgres://u@h/w');
      expect(libpqCompatibleUrl('postgres://u@h/w?sslmode=disable&uselibpqcompat=false')).toBe('postgres://u@h/w?sslmode=disable&uselibpqcompat=false');
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((m) => /SECURITY WARNING/.test(m))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
