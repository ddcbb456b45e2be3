/**
 * A database that cannot be used (read-only, refused, full) is exit 3 with a message to act
 * on, never "internal error" (exit 70). Bug from a QA pass: a read-only SQLite file ended
 * every writing command with "internal error: attempt to write a readonly database".
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asKnownError, EXIT, exitCodeFor, StoreError } from '../src/errors.js';
import { BIN, cliEnv, FIXTURES, runCli, tempDir, writeConfig } from './helpers.js';
import { PG_URL } from './stores.js';

const NOBODY = 65534;
/** As root (CI), the CLI can be run as an unprivileged user to meet a truly read-only file. */
const canRunAsNobody =
  process.getuid?.() === 0 && spawnSync(process.execPath, [BIN, '--version'], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' }).status === 0;

describe('a database that cannot be used', () => {
  it('a real SQLITE_READONLY error maps to StoreError, exit 3, with what to check', () => {
    const t = tempDir();
    const file = path.join(t.dir, 'ro.db');
    new Database(file).exec('CREATE TABLE x (a)').close();
    const db = new Database(file, { readonly: true });
    let caught: unknown;
    try {
      db.exec('INSERT INTO x VALUES (1)');
    } catch (err) {
      caught = err;
    }
    db.close();
    expect((caught as { code: string }).code).toMatch(/^SQLITE_READONLY/);
    const e = asKnownError(caught);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).message).toContain('readonly database');
    expect((e as StoreError).hint).toContain('permissions');
    expect(exitCodeFor(caught)).toBe(EXIT.CANNOT_RUN);
    expect(exitCodeFor(new TypeError('a real bug'))).toBe(EXIT.BUG);
    t.cleanup();
  });

  it.skipIf(!PG_URL)('a real PostgreSQL read-only transaction error maps to StoreError, exit 3', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    let caught: unknown;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query('CREATE TEMP TABLE lizzy_ro_probe (a int)');
    } catch (err) {
      caught = err;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
    expect((caught as { code: string }).code).toBe('25006');
    expect(asKnownError(caught)).toBeInstanceOf(StoreError);
    expect(exitCodeFor(caught)).toBe(EXIT.CANNOT_RUN);
  });

  it.skipIf(!canRunAsNobody)('catalog import into a read-only SQLite file: exit 3, never "internal error"', async () => {
    const t = tempDir();
    chmodSync(t.dir, 0o755);
    const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
    const first = await runCli(['--config', config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], { env: cliEnv() });
    expect(first.code, first.stderr).toBe(0);
    const csv = path.join(t.dir, 'cat.csv');
    copyFileSync(path.join(FIXTURES, 'catalog.csv'), csv);
    chmodSync(path.join(t.dir, 'data'), 0o755);
    chmodSync(csv, 0o644);
    const r = spawnSync(process.execPath, [BIN, '--config', config, '--json', 'catalog', 'import', csv], {
      uid: NOBODY,
      gid: NOBODY,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NO_COLOR: '1', HOME: '/tmp' },
    });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).not.toContain('internal error');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, exitCode: 3, error: { type: 'StoreError' } });
    t.cleanup();
  });
});

// Found by a new-user walkthrough: a config read from a process substitution put the
// database under /dev/fd, and Node 20's recursive mkdirSync spun at 100 % CPU forever there
// (and under /proc). Every folder lizzy-sync creates now fails at once with the reason.
describe.skipIf(process.platform !== 'linux')('a folder that cannot be created', () => {
  const write = (dir: string, body: string) => {
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, `lizzy:\n  baseUrl: http://127.0.0.1:9\n${body}`);
    return file;
  };
  for (const [what, body, args, message] of [
    ['the database folder', 'database:\n  sqlite: /proc/1/nope/data/l.db\n', ['status'], 'Cannot open the SQLite database /proc/1/nope/data/l.db'],
    ['the reports folder', 'reports:\n  dir: /proc/1/nope/reports\n', ['inventory', 'pull'], 'Cannot create the reports folder /proc/1/nope/reports'],
    ['the log file folder', 'logging:\n  file: /proc/1/nope/logs/d.log\n', ['config', 'check', '--offline'], '/proc/1/nope/logs'],
  ] as const) {
    it(`${what} under /proc: exit quickly with the system's reason, never a hang`, async () => {
      const t = tempDir();
      const r = await runCli(['--config', write(t.dir, body), ...args], { env: cliEnv(), cwd: t.dir, timeoutMs: 20_000 });
      expect(r.stderr + r.stdout).toContain(message);
      expect(r.code, r.stderr).not.toBe(0);
      expect([1, 2, 3]).toContain(r.code);
      t.cleanup();
    });
  }
});
