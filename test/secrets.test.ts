/**
 * The API key never appears in output, logs, reports or errors: the holes a QA pass found,
 * each through the built CLI (and the real mock Lizzy) or the function that closes it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { clip, envWithoutSecrets, maskConnectionUrl, registerSecret, urlPasswords } from '../src/util/redact.js';
import { API_KEY, cliEnv, mockNext, runCli, startMock, tempDir, writeConfig } from './helpers.js';

/** Any 8 characters of the key in a row is a leak. */
function expectNoFragment(text: string, key: string) {
  for (let i = 0; i + 8 <= key.length; i++) expect(text, `leaks "${key.slice(i, i + 8)}"`).not.toContain(key.slice(i, i + 8));
}

describe('no part of the API key leaks', () => {
  // Bug: error bodies were cut to 200 characters before redaction, so a key that crossed the
  // cut was no longer recognised and most of it was printed, logged and stored.
  it('Lizzy echoing the key across the 200-character cut of an error body', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const config = writeConfig(t.dir, { baseUrl: mock.url });
    await mockNext(mock, { path: '/inventoryfeed', status: 400, body: `${'E'.repeat(170)} invalid key ${API_KEY} for webstore 12345` });
    const r = await runCli(['--config', config, '--json', 'inventory', 'pull'], { env: cliEnv() });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.message).toMatch(/HTTP 400: E+ invalid key \*\*\* for webstore/);
    expectNoFragment(r.stdout + r.stderr, API_KEY);
    const db = new Database(path.join(t.dir, 'data', 'lizzy-sync.db'), { readonly: true });
    const errors = db.prepare('SELECT error FROM sync_runs').all() as Array<{ error: string }>;
    db.close();
    expect(errors.length).toBeGreaterThan(0);
    expectNoFragment(JSON.stringify(errors), API_KEY);
    await mock.close();
    t.cleanup();
  });

  it('clip() redacts before it cuts, and masks a key fragment that text cut elsewhere ends with', () => {
    const key = 'SeCrEtKey-1234567890-abcdefghij';
    registerSecret(key);
    expect(clip(`${'x'.repeat(20)}${key} tail`, 35)).toBe(`${'x'.repeat(20)}*** tail`);
    expect(clip(`${'x'.repeat(20)}${key}`, 30)).toBe(`${'x'.repeat(20)}***`);
    expect(clip(`error: ${key.slice(0, 15)}`, 200)).toBe('error: ***');
    expect(clip('short and clean', 200)).toBe('short and clean');
  });

  // Found by a break-it pass: a server echoing the key HTML-escaped, %-encoded in lower case
  // or form-encoded got it through.
  it('redacts the forms a server may echo a key in: HTML-escaped, %-encoded or form-encoded, in any case', async () => {
    const { redact } = await import('../src/util/redact.js');
    const key = 'Sec+ret/Key=ab"c\\123 xyz\'&<>';
    registerSecret(key);
    const forms = [
      key,
      key.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
      key.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#x27;'),
      encodeURIComponent(key),
      encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      encodeURIComponent(key).toLowerCase(),
      key.toUpperCase(),
      new URLSearchParams({ k: key }).toString().slice(2),
      JSON.stringify(key).slice(1, -1),
    ];
    for (const f of forms) expect(redact(`credentials [${f}] rejected`), f).toBe('credentials [***] rejected');
    // A second pass (the same break-it pass, again): Go's &#43;, OWASP's &#x2F;, Python's
    // quote() leaving / as it is, PHP's \/, .NET's \u002B, and mixed forms.
    registerSecret('Zm9vYmFy+/xY');
    for (const f of ['Zm9vYmFy&#43;/xY', 'Zm9vYmFy+&#x2F;xY', 'Zm9vYmFy%2B/xY', 'Zm9vYmFy+\\/xY', 'Zm9vYmFy\\u002B\\/xY', 'zm9vymfy%2b%2fxy', 'ZM9VYMFY+/XY']) {
      expect(redact(`x ${f} y`), f).toBe('x *** y');
    }
    // A letter whose lower case is longer (İ) elsewhere in the text does not switch case-insensitivity off.
    registerSecret('7d3f2c1a-9b7d-4c3e-8a61-1f2e3d4c7a19');
    expect(redact('Vendor İZMİR: invalid key 7D3F2C1A-9B7D-4C3E-8A61-1F2E3D4C7A19')).toBe('Vendor İZMİR: invalid key ***');
    // Ordinary text is left alone.
    expect(redact('PARTS UNLIMITED,0101-0001,updated,+/ 12.95 &amp; "quoted"')).toBe('PARTS UNLIMITED,0101-0001,updated,+/ 12.95 &amp; "quoted"');
  });

  // Bug: the key was registered for redaction only when the Lizzy client was made, so a
  // config error about lizzy.apiKey printed it.
  for (const [label, yaml] of [
    ['a key YAML reads as a number', 'apiKey: 123456789012345678'],
    ['a key YAML reads as hex-like float', 'apiKey: 123e45678'],
    ['a !!binary key', 'apiKey: !!binary U2stYWJjMTIzeHl6cXdlcnR5'],
  ] as const) {
    it(`a config error about ${label} names the key path, not the key`, async () => {
      const t = tempDir();
      const file = path.join(t.dir, 'lizzy-sync.yaml');
      writeFileSync(file, `lizzy:\n  ${yaml}\n  webstoreId: 12345\nvendors: []\n`);
      const r = await runCli(['--config', file, '--json', 'config', 'check', '--offline'], { env: { LIZZY_API_KEY: '' } });
      expect(r.code).toBe(2);
      const out = r.stdout + r.stderr;
      expect(out).toContain('lizzy.apiKey');
      const value = yaml.replace(/^apiKey: (!!binary )?/, '');
      expectNoFragment(out, value);
      t.cleanup();
    });
  }

  // Bug: catalog export skipped redaction (it writes data to re-import), so a key pasted into
  // the catalog was written out verbatim. It is redacted like every file, with a warning.
  it('catalog export: a key pasted into a part number or a description is written as ***, with a warning', async () => {
    const t = tempDir();
    const config = writeConfig(t.dir, { baseUrl: 'http://127.0.0.1:9' });
    const csv = path.join(t.dir, 'cat.csv');
    writeFileSync(
      csv,
      `catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\naftermarket,PU,Acme,K-${API_KEY},plain,1.00,1\naftermarket,PU,Acme,P-2,"pasted, ${API_KEY}, ""quoted""",1.00,2\n`,
    );
    const imp = await runCli(['--config', config, 'catalog', 'import', csv], { env: cliEnv() });
    expect(imp.code, imp.stderr).toBe(0);
    const out = path.join(t.dir, 'out.csv');
    const r = await runCli(['--config', config, 'catalog', 'export', '--out', out], { env: cliEnv() });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expectNoFragment(text + r.stdout + r.stderr, API_KEY);
    expect(text).toContain('K-***');
    expect(text).toContain('"pasted, ***, ""quoted"""');
    expect(r.stderr).toContain('some catalog text contains the Lizzy API key; it is written as ***');
    const piped = await runCli(['--config', config, 'catalog', 'export'], { env: cliEnv() });
    expectNoFragment(piped.stdout + piped.stderr, API_KEY);
    expect(piped.stdout).toContain('K-***');
    t.cleanup();
  });

  // Bug: inventory fetch --out saved Lizzy's feed verbatim, so a key in a feed value went into the file.
  it('inventory fetch --out: a key in feed values is saved as ***, with a warning', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir, {
      feed: [
        { VendorName: 'PARTS UNLIMITED', ItemNumber: API_KEY, Quantity: 1, Description: `see ${API_KEY} here` },
        { VendorName: `V ${API_KEY}`, ItemNumber: '2', Quantity: 2 },
      ],
    });
    const config = writeConfig(t.dir, { baseUrl: mock.url });
    const out = path.join(t.dir, 'fetched.json');
    const r = await runCli(['--config', config, 'inventory', 'fetch', '--out', out], { env: cliEnv({ LIZZY_SYNC_NOW: '2026-12-03T18:00:00Z' }) });
    await mock.close();
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expectNoFragment(text + r.stdout + r.stderr, API_KEY);
    expect(JSON.parse(text)).toEqual([
      { VendorName: 'PARTS UNLIMITED', ItemNumber: '***', Quantity: 1, Description: 'see *** here' },
      { VendorName: 'V ***', ItemNumber: '2', Quantity: 2 },
    ]);
    expect(r.stderr).toContain('Some feed text contains the Lizzy API key; it is saved as ***');
    t.cleanup();
  });

  it('the environment a notify.command runs in holds no secret', () => {
    registerSecret('notify-secret-0123456789');
    const env = envWithoutSecrets({ PATH: '/usr/bin', LIZZY_API_KEY: 'anything', OTHER: 'x notify-secret-0123456789 y', HOME: '/home/x' });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/x' });
  });
});

describe('no database password leaks', () => {
  // Found by a break-it pass: a password given as ?password= (which libpq and pg accept), or
  // written without %-encoding, was printed by errors, --json, --debug and config check.
  it('masks user-info and query passwords, encoded or not, hiding more rather than less', () => {
    expect(maskConnectionUrl('postgres://u:s3cret@db:5432/x')).toBe('postgres://u:***@db:5432/x');
    expect(maskConnectionUrl('postgres://u@db/x?password=SuperPass1&sslmode=require')).toBe('postgres://u@db/x?password=***&sslmode=require');
    expect(maskConnectionUrl('postgres://u@db/x?sslmode=require&sslpassword=KeyPass99')).toBe('postgres://u@db/x?sslmode=require&sslpassword=***');
    expect(maskConnectionUrl('postgres://u:Super Pass1@db/x')).toBe('postgres://u:***@db/x');
    expect(maskConnectionUrl('postgres://u:p@ss@db/x')).toBe('postgres://u:***@db/x');
    expect(maskConnectionUrl('postgres://u@db/x')).toBe('postgres://u@db/x');
    expect(urlPasswords('postgres://u:p%40ss@db/x?password=Two%20Words').sort()).toEqual(['Two Words', 'Two%20Words', 'p%40ss', 'p@ss']);
  });

  for (const url of ['postgres://postgres@127.0.0.1:1/db?password=SuperPass1', 'postgres://postgres:Super Pass1@127.0.0.1:1/db']) {
    it(`never prints the password of ${url.replace(/SuperPass1|Super Pass1/, '...')}`, async () => {
      const t = tempDir();
      const file = path.join(t.dir, 'lizzy-sync.yaml');
      writeFileSync(file, `lizzy:\n  apiKey: \${LIZZY_API_KEY}\n  webstoreId: 12345\ndatabase:\n  postgres: "${url}"\n`);
      const runs = [
        await runCli(['--config', file, 'status'], { env: cliEnv() }),
        await runCli(['--config', file, '--json', '--debug', 'status'], { env: cliEnv() }),
        await runCli(['--config', file, 'config', 'check', '--offline'], { env: cliEnv() }),
        await runCli(['--config', file, '--json', 'config', 'check', '--offline'], { env: cliEnv() }),
        await runCli(['--config', file, '--json', 'config', 'check'], { env: cliEnv() }),
      ];
      const out = runs.map((r) => r.stdout + r.stderr).join('\n');
      expect(out).toContain('127.0.0.1:1/db');
      expect(out).not.toMatch(/SuperPass1|Super Pass1|Pass1/);
      t.cleanup();
    });
  }
});

describe('a key with characters JSON escapes', () => {
  // Found by a break-it pass: messages quote values with JSON.stringify, which escapes a quote,
  // a backslash or a tab, so a key holding one no longer matched its redaction.
  for (const key of ['abc"def\\ghijkl12345', 'abcd\tefghijkl12345']) {
    it(`a config error quoting ${JSON.stringify(key)} shows *** instead`, async () => {
      const t = tempDir();
      const file = path.join(t.dir, 'lizzy-sync.yaml');
      writeFileSync(file, 'lizzy:\n  webstoreId: ${LIZZY_API_KEY}\n');
      for (const json of [false, true]) {
        const r = await runCli(['--config', file, ...(json ? ['--json'] : []), 'status'], { env: { LIZZY_API_KEY: key } });
        expect(r.code).toBe(2);
        const out = r.stdout + r.stderr;
        expect(out).toContain('lizzy.webstoreId');
        expect(out).not.toContain('ghijkl12345');
      }
      t.cleanup();
    });
  }
});
