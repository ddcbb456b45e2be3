/**
 * logging.file for the one-shot job commands, as cron and Task Scheduler run them: one JSON
 * line per run with its time, outcome and counts (found by a new-user walkthrough: a cron
 * log of summaries had no dates, and a Windows task kept no log at all).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { API_KEY, cliEnv, FIXTURES, mockNext, runCli, startMock, tempDir, writeConfig } from './helpers.js';

/** A mock, a config with logging.file, the sample catalog imported; and the log's lines. */
async function loggedSetup() {
  const t = tempDir();
  const mock = await startMock(t.dir);
  const config = writeConfig(t.dir, { baseUrl: mock.url, extra: 'logging:\n  file: ./logs/lizzy-sync.log\n' });
  expect((await runCli(['--config', config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], { env: {} })).code).toBe(0);
  const logLines = () => readFileSync(path.join(t.dir, 'logs', 'lizzy-sync.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { t, mock, config, logLines };
}

describe('logging.file for inventory pull and orders push', () => {
  it('appends one dated line per run: finished, skipped and failed alike; none for a dry run', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const config = writeConfig(t.dir, { baseUrl: mock.url, extra: 'logging:\n  file: ./logs/lizzy-sync.log\n' });
    const env = { env: cliEnv({ LIZZY_SYNC_NOW: '2026-12-03T12:00:00Z' }) };
    expect((await runCli(['--config', config, 'catalog', 'import', path.join(FIXTURES, 'catalog.csv')], env)).code).toBe(0);
    expect((await runCli(['--config', config, 'inventory', 'pull', '--dry-run'], env)).code).toBe(1);
    expect((await runCli(['--config', config, 'inventory', 'pull'], env)).code).toBe(1);
    // Each process's pinned clock starts at the pinned instant, so a later process can read an
    // earlier time than the run before it recorded: pin this one a minute on.
    const later = { env: cliEnv({ LIZZY_SYNC_NOW: '2026-12-03T12:01:00Z' }) };
    expect((await runCli(['--config', config, 'inventory', 'pull', '--scheduled'], later)).code).toBe(0);
    expect((await runCli(['--config', config, 'orders', 'push'], env)).code).toBe(0);
    await mockNext(mock, { path: '/inventoryfeed', status: 401, body: `bad key ${API_KEY}`, times: 3 });
    expect((await runCli(['--config', config, 'inventory', 'pull', '--force'], env)).code).toBe(3);
    const text = readFileSync(path.join(t.dir, 'logs', 'lizzy-sync.log'), 'utf8');
    expect(text).not.toContain(API_KEY);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.event, l.job, l.status, l.exitCode])).toEqual([
      ['run.finished', 'inventory', 'needs_attention', 1],
      ['run.skip', 'inventory', 'skipped', 0],
      ['run.finished', 'orders', 'success', 0],
      ['run.finished', 'inventory', 'failed', 3],
    ]);
    for (const l of lines) {
      expect(l.ts).toMatch(/^2026-12-03T12:0\d:\d\d\.\d{3}Z$/); // the pinned clock, ticking
      expect(l.dealer).toBe('lizzy-sync');
    }
    expect(lines[0].counts).toMatchObject({ updated: 4645, invalid: 19 });
    expect(lines[0].message).toMatch(/^inventory run needs_attention: feed 5614, updated 4645, .* report .*inventory-20261203-120000-\d{3}Z\.csv$/);
    expect(lines[1].message).toContain('inventory run skipped: the inventory pull already succeeded today');
    expect(lines[3]).toMatchObject({ level: 'error', error: 'LizzyError' });
    expect(lines[3].message).toContain('inventory run failed: ');
    await mock.close();
    t.cleanup();
  });

  it('another run holding the lock is logged as locked at warn, not as a failure', async () => {
    const { t, mock, config, logLines } = await loggedSetup();
    const db = new Database(path.join(t.dir, 'data', 'lizzy-sync.db'));
    const now = new Date().toISOString();
    db.prepare('INSERT INTO job_locks (job, owner, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run('inventory', 'other', 4242, 'counter-pc', now, now);
    db.close();
    expect((await runCli(['--config', config, 'inventory', 'pull'], { env: cliEnv() })).code).toBe(75);
    const [line] = logLines();
    expect(line).toMatchObject({ level: 'warn', event: 'run.finished', status: 'locked', exitCode: 75, error: 'LockHeld' });
    expect(line.message).toMatch(/^inventory run locked: Another inventory run holds the lock: pid 4242 on counter-pc/);
    await mock.close();
    t.cleanup();
  });

  // Found by a new-user walkthrough: a Task Scheduler run without the key (setx /M before a
  // restart) exited 2 every hour, due or not, and left no log line and no run record.
  it('a missing API key: a run not due still skips (exit 0); a due run fails with a log line and a run record', async () => {
    const { t, mock, config, logLines } = await loggedSetup();
    const notDue = await runCli(['--config', config, 'inventory', 'pull', '--scheduled'], { env: { LIZZY_SYNC_NOW: '2026-12-03T20:00:00Z' } });
    expect(notDue.code, notDue.stderr).toBe(0);
    const due = await runCli(['--config', config, 'inventory', 'pull', '--scheduled'], { env: { LIZZY_SYNC_NOW: '2026-12-03T12:01:00Z' } });
    expect(due.code).toBe(2);
    expect(due.stderr).toContain('No Lizzy API key');
    const lines = logLines();
    expect(lines.map((l) => [l.event, l.status])).toEqual([
      ['run.skip', 'skipped'],
      ['run.finished', 'failed'],
    ]);
    expect(lines[1]).toMatchObject({ level: 'error', exitCode: 2, error: 'ConfigError' });
    const db = new Database(path.join(t.dir, 'data', 'lizzy-sync.db'));
    expect(db.prepare(`SELECT status, error FROM sync_runs WHERE job = 'inventory'`).all()).toEqual([{ status: 'failed', error: expect.stringContaining('No Lizzy API key') }]);
    db.close();
    await mock.close();
    t.cleanup();
  });

  it('a logging.file that cannot be a file is a config error before the run (exit 2)', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const config = writeConfig(t.dir, { baseUrl: mock.url, extra: `logging:\n  file: ${t.dir}\n` });
    const r = await runCli(['--config', config, 'orders', 'push'], { env: cliEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`logging.file: ${t.dir} is a folder`);
    expect((await (await fetch(`${mock.url}/__mock/requests`)).json()) as unknown[]).toEqual([]);
    await mock.close();
    t.cleanup();
  });
});
