import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskSecret } from '../src/util/redact.js';
import { cliEnv, FIXTURES, runCli, spawnCli, startMock, tempDir, writeConfig } from './helpers.js';

describe('user mistakes get a clear message, never "internal error"', () => {
  // Found by a break-it pass: --json promises one JSON object on stdout, and --version printed plain text.
  it('--json --version prints one JSON object; --version alone the plain version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const args of [['--json', '--version'], ['-V', '--json']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ ok: true, exitCode: 0, name: 'lizzy-sync', version: pkg.version });
    }
    const plain = await runCli(['--version']);
    expect(plain.stdout.trim()).toBe(pkg.version);
  });

  it('mock-lizzy on a port already in use: exit 2 with what to do', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const r = await runCli(['mock-lizzy', '--port', String(mock.port), '--api-key', 'k']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Port ${mock.port} is already in use`);
    expect(r.stderr).not.toContain('internal error');
    await mock.close();
    t.cleanup();
  });

  it('mock-lizzy with a missing --data folder: exit 2', async () => {
    const r = await runCli(['mock-lizzy', '--port', '0', '--api-key', 'k', '--data', '/nonexistent/feed-folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--data /nonexistent/feed-folder: no such folder');
  });

  // From a new-user walkthrough: a folder without the feed file served an empty feed silently.
  it('mock-lizzy with a --data folder that has no lizzy-feed.json warns that the feed is empty', async () => {
    const t = tempDir();
    const m = spawnCli(['mock-lizzy', '--port', '0', '--api-key', 'k', '--data', t.dir]);
    await m.waitFor(/Mock Lizzy listening on/);
    const line = await m.waitFor(/warning: /);
    expect(line).toContain(`${path.join(t.dir, 'lizzy-feed.json')} does not exist: the inventory feed is empty (204) until it does.`);
    m.child.kill('SIGTERM');
    expect(await m.exited).toBe(0);
    t.cleanup();
  });

  it('inventory fetch --out into a folder that does not exist: exit 2, nothing created', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const config = writeConfig(t.dir, { baseUrl: mock.url });
    const out = path.join(t.dir, 'no-such-folder', 'feed.json');
    const r = await runCli(['--config', config, 'inventory', 'fetch', '--out', out], { env: cliEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
    expect(existsSync(path.dirname(out))).toBe(false);
    expect(mock.state.requests).toHaveLength(0);
    await mock.close();
    t.cleanup();
  });

  // Found by a break-it pass: the file is written as X.partial and renamed over X, which
  // replaced a named pipe, a symbolic link (its target left as it was) or /dev/full with a
  // plain file. Only plain files are written; the rest is refused before any work.
  it('--out naming a pipe or a symbolic link: exit 2, the pipe and the link left as they are', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const config = writeConfig(t.dir, { baseUrl: mock.url });
    const fifo = path.join(t.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const target = path.join(t.dir, 'target.csv');
    writeFileSync(target, 'keep me');
    const link = path.join(t.dir, 'link.csv');
    symlinkSync(target, link);
    for (const [args, out, kind] of [
      [['catalog', 'export'], fifo, 'a named pipe'],
      [['catalog', 'export'], link, 'a symbolic link'],
      [['inventory', 'fetch'], link, 'a symbolic link'],
    ] as const) {
      const r = await runCli(['--config', config, ...args, '--out', out], { env: cliEnv() });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`--out ${out} is ${kind}, not a plain file`);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    expect(mock.state.requests).toHaveLength(0);
    await mock.close();
    t.cleanup();
  });

  // Bug: schedule, catalog export and inventory fetch printed --json objects without ok and
  // exitCode, and a command group without its subcommand printed help and exited 0.
  it('every --json result carries ok and exitCode; a missing subcommand is exit 2', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const config = writeConfig(t.dir, { baseUrl: mock.url });
    const runs = [
      ['schedule'],
      ['catalog', 'export', '--out', path.join(t.dir, 'export.csv')],
      ['inventory', 'fetch', '--out', path.join(t.dir, 'feed.json')],
    ];
    for (const args of runs) {
      const r = await runCli(['--config', config, '--json', ...args], { env: cliEnv() });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout), args.join(' ')).toMatchObject({ ok: true, exitCode: 0 });
    }
    for (const group of ['inventory', 'orders', 'catalog', 'mappings', 'config']) {
      const r = await runCli(['--config', config, '--json', group], { env: cliEnv() });
      expect(r.code, group).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { type: 'UsageError' } });
      expect(r.stderr).toContain('Usage: lizzy-sync');
    }
    expect((await runCli(['inventory', '--help'])).code).toBe(0);
    await mock.close();
    t.cleanup();
  });

  // From a walkthrough: catalog export --out and mappings validate --report created missing
  // folders silently, and their errors talked about reports.dir.
  it('catalog export --out and mappings validate --report: a missing folder is exit 2 and is not created; an unwritable file names the flag', async () => {
    const t = tempDir();
    const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
    const missing = path.join(t.dir, 'no-such-folder', 'out.csv');
    const r = await runCli(['--config', config, 'catalog', 'export', '--out', missing], { env: cliEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${missing}: the folder ${path.dirname(missing)} does not exist`);
    expect(existsSync(path.dirname(missing))).toBe(false);
    const v = await runCli(['--config', config, 'mappings', 'validate', '--feed', path.join(FIXTURES, 'lizzy-feed.json'), '--report', missing], { env: cliEnv() });
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(`--report ${missing}: the folder`);
    const ro = await runCli(['--config', config, 'catalog', 'export', '--out', '/proc/lizzy-export.csv'], { env: cliEnv() });
    expect(ro.code).toBe(3);
    expect(ro.stderr).toContain('Cannot write /proc/lizzy-export.csv (--out)');
    expect(ro.stderr).not.toContain('reports.dir');
    t.cleanup();
  });

  it('a short API key is masked completely', () => {
    expect(maskSecret('wrong-key')).toBe('********');
    expect(maskSecret('7d3f9c2a-51e4-4b8e-9a61-0c2f5e8b7a19')).toBe('7d3f********7a19');
  });

  it('--json gets one JSON object on stdout even for a flag the parser rejects', async () => {
    const r = await runCli(['--json', 'orders', 'push', '--bogus']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, exitCode: 2, error: { type: 'UsageError', message: "unknown option '--bogus'" } });
  });

  it('bad values for -n and LIZZY_SYNC_NOW are usage errors', async () => {
    const t = tempDir();
    const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
    const n = await runCli(['--config', config, 'schedule', '-n', 'abc']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('-n abc: give a whole number of runs from 1 to 100');
    const now = await runCli(['--config', config, 'status'], { env: { LIZZY_SYNC_NOW: 'garbage' } });
    expect(now.code).toBe(2);
    expect(now.stderr).toContain('LIZZY_SYNC_NOW is not an ISO 8601 instant');
    // Found by a break-it pass: these ran as 2001, March 2nd, and the machine's zone.
    for (const bad of ['1', '2026-02-30T12:00:00Z', '2026-12-05T04:10:00', '2026-12-05']) {
      const r = await runCli(['--config', config, 'status'], { env: { LIZZY_SYNC_NOW: bad } });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`LIZZY_SYNC_NOW is not an ISO 8601 instant: ${bad}`);
    }
    for (const good of ['2026-12-05T04:10:00-08:00', '2026-12-05T12:10Z', '2026-12-05T12:10:00.123Z']) {
      expect((await runCli(['--config', config, 'status'], { env: { LIZZY_SYNC_NOW: good } })).code, good).not.toBe(2);
    }
    t.cleanup();
  });

  it('inventory fetch --out naming a folder: exit 2; a redirect from Lizzy is named as such', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const config = writeConfig(t.dir, { baseUrl: mock.url });
    const dir = await runCli(['--config', config, 'inventory', 'fetch', '--out', t.dir], { env: cliEnv() });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('is a folder; name a file');
    const { mockNext } = await import('./helpers.js');
    await mockNext(mock, { path: '/inventoryfeed', status: 301, headers: { location: 'https://api.example.com/inventoryfeed' } });
    const r = await runCli(['--config', config, 'inventory', 'fetch', '--out', path.join(t.dir, 'f.json')], { env: cliEnv() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('a redirect (HTTP 301) to https://api.example.com/inventoryfeed');
    await mock.close();
    t.cleanup();
  });
});
