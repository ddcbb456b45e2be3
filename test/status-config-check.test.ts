import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskUrl, maskUrlPassword } from '../src/status/config-check.js';
import { API_KEY, runCli, tempDir, writeConfig } from './helpers.js';
import { setup, type Ctx } from './mappings-helpers.js';

describe('config check', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(async () => ctx.close());

  it('prints every setting with its source, the key masked, and passes its checks with one call to Lizzy (exit 0)', async () => {
    const before = ctx.mock.state.requests.length;
    const r = await ctx.run(['config', 'check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/lizzy\.baseUrl\s+http:\/\/127\.0\.0\.1:\d+\s+file/);
    expect(r.stdout).toMatch(/lizzy\.apiKey\s+7d3f\*{8}7a19\s+env/);
    expect(r.stdout).toMatch(/lizzy\.timeoutSeconds\s+120\s+default/);
    expect(r.stdout).toMatch(/lizzy\.retries\s+1\s+file/);
    expect(r.stdout).toContain(path.join(ctx.dir, 'data', 'lizzy-sync.db'));
    expect(r.stdout).toMatch(/schedule\.inventory\s+0 4,5 \* \* \*\s+default/);
    expect(r.stdout).toMatch(/logging\.file\s+\(not set\)\s+not set/);
    expect(r.stdout).toContain('"PARTS UNLIMITED" → aftermarket PU');
    expect(r.stdout).toMatch(/ok\s+api key\s+set \(7d3f\*{8}7a19, from the environment\)/);
    expect(r.stdout).toMatch(/ok\s+database\s+.*lizzy-sync\.db opens; 5,400 products/);
    expect(r.stdout).toMatch(/ok\s+reports folder\s+.*reports is writable/);
    expect(r.stdout).toMatch(/ok\s+inventory schedule\s+"0 4,5 \* \* \*" in America\/Los_Angeles; next 2026-12-04 04:00 PST/);
    expect(r.stdout).toMatch(/ok\s+lizzy\s+http:\/\/127\.0\.0\.1:\d+ answered and accepted the API key/);
    expect(r.stdout).toContain('All checks passed.');
    // Exactly one call, read-only.
    const calls = ctx.mock.state.requests.slice(before);
    expect(calls.map((c) => [c.method, c.path, c.status])).toEqual([['GET', '/inventoryitem', 404]]);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
  });

  it('--json: settings, checks and vendors; the key only masked', async () => {
    const r = await ctx.run(['config', 'check', '--json', '--offline']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, exitCode: 0, passed: true, file: ctx.config });
    expect(j.settings.find((s: { key: string }) => s.key === 'lizzy.apiKey')).toEqual({ key: 'lizzy.apiKey', value: '7d3f********7a19', source: 'env' });
    expect(j.settings.find((s: { key: string }) => s.key === 'inventory.clearPreviousQuantities')).toEqual({ key: 'inventory.clearPreviousQuantities', value: true, source: 'file' });
    expect(j.settings.find((s: { key: string }) => s.key === 'orders.batchSize')).toEqual({ key: 'orders.batchSize', value: 5, source: 'default' });
    expect(j.checks.find((c: { name: string }) => c.name === 'lizzy')).toEqual({ name: 'lizzy', status: 'skipped', message: '--offline: Lizzy was not called' });
    expect(j.vendors[3]).toEqual({ line: expect.any(Number), vendor: 'HONDA', catalog: 'oem', brand: 'HONDA', usePricing: true });
    expect(r.stdout).not.toContain(API_KEY);
  });

  it('--offline makes no request', async () => {
    const before = ctx.mock.state.requests.length;
    const r = await ctx.run(['config', 'check', '--offline']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skip\s+lizzy\s+--offline: Lizzy was not called/);
    expect(ctx.mock.state.requests.length).toBe(before);
  });

  it('the next inventory run it names skips disabled days, as status and schedule do', async () => {
    const c = await setup({ disabledDays: ['friday'] });
    try {
      const r = await c.run(['config', 'check', '--offline']);
      // Thursday 2026-12-03 10:00 PST: Friday's 04:00 slot does not run.
      expect(r.stdout).toMatch(/ok\s+inventory schedule\s+"0 4,5 \* \* \*" in America\/Los_Angeles; next 2026-12-05 04:00 PST/);
    } finally {
      await c.close();
    }
  });

  it('a rejected key fails the check (exit 1), still masked', async () => {
    const wrong = 'ffffffff-0000-4000-8000-123456789abc';
    const r = await ctx.run(['config', 'check'], { LIZZY_API_KEY: wrong });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+lizzy\s+Lizzy rejected the API key \(HTTP 401/);
    expect(r.stdout).toContain('ffff********9abc');
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(r.stdout).toContain('1 check(s) failed.');
  });
});

describe('config check: failures', () => {
  it('unreachable Lizzy, an unwritable reports folder and no key each fail their check', async () => {
    const t = tempDir();
    try {
      const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
      writeFileSync(path.join(t.dir, 'reports'), 'a file where the folder should be');
      const r = await runCli(['--config', config, 'config', 'check', '--json'], { env: { LIZZY_API_KEY: API_KEY } });
      expect(r.code).toBe(1);
      const j = JSON.parse(r.stdout);
      const check = (name: string) => j.checks.find((c: { name: string }) => c.name === name);
      expect(check('lizzy')).toMatchObject({ status: 'fail', message: expect.stringContaining('Cannot reach Lizzy at http://127.0.0.1:9') });
      // A check's hint, not a run's (new-user walkthrough: "Nothing was changed ... the next run tries again").
      expect(check('lizzy').hint).toBe('Check the network and lizzy.baseUrl.');
      expect(check('reports folder')).toMatchObject({ status: 'fail', message: expect.stringContaining('is not writable') });
      expect(check('database')).toMatchObject({ status: 'warn', message: expect.stringContaining('(created, empty); 0 products') });
      // The example's placeholder Webstore ID is named (new-user walkthrough: it passed as ok).
      expect(check('webstore id')).toMatchObject({ status: 'warn', message: expect.stringContaining("12345 is the example config's placeholder") });
      // A key in quotes fails here as it fails a run.
      const quoted = JSON.parse((await runCli(['--config', config, 'config', 'check', '--json', '--offline'], { env: { LIZZY_API_KEY: `"${API_KEY}"` } })).stdout);
      expect(quoted.checks.find((c: { name: string }) => c.name === 'api key')).toMatchObject({ status: 'fail', message: expect.stringContaining('starts and ends with a quote character') });

      const noKey = await runCli(['--config', config, 'config', 'check', '--json']);
      expect(noKey.code).toBe(1);
      const k = JSON.parse(noKey.stdout);
      expect(k.checks.find((c: { name: string }) => c.name === 'api key')).toMatchObject({
        status: 'fail',
        message: 'not set: lizzy.apiKey takes it from the environment variable LIZZY_API_KEY, which is not set',
      });
      expect(k.settings.find((s: { key: string }) => s.key === 'lizzy.apiKey')).toEqual({ key: 'lizzy.apiKey', value: null, source: 'not set' });
    } finally {
      t.cleanup();
    }
  });

  it('a key written in the file is reported as from the file, masked', async () => {
    const t = tempDir();
    try {
      const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
      writeFileSync(config, readFileSync(config, 'utf8').replace('${LIZZY_API_KEY}', API_KEY));
      const r = await runCli(['--config', config, 'config', 'check', '--offline']);
      expect(r.stdout).toMatch(/lizzy\.apiKey\s+7d3f\*{8}7a19\s+file/);
      expect(r.stdout).not.toContain(API_KEY);
    } finally {
      t.cleanup();
    }
  });

  it('a bad config exits 2', async () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'c.yaml');
      writeFileSync(file, 'lizzy:\n  apiKey: x\n  timeoutSecond: 5\n');
      const r = await runCli(['--config', file, 'config', 'check']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('unknown key "timeoutSecond"; did you mean "timeoutSeconds"?');
    } finally {
      t.cleanup();
    }
  });
});

describe('masking', () => {
  it('hides URL passwords and webhook paths', () => {
    expect(maskUrlPassword('postgres://sync:s3cret@db.local:5432/lizzy')).toBe('postgres://sync:***@db.local:5432/lizzy');
    expect(maskUrlPassword('./data/lizzy-sync.db')).toBe('./data/lizzy-sync.db');
    expect(maskUrl('https://hooks.example.com/services/T000/B000/XXXX')).toBe('https://hooks.example.com/***');
  });
});
