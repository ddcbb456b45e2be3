import { describe, expect, it } from 'vitest';
import { parseConfig, requireApiKey, requireWebstoreId } from '../src/config/load.js';
import { ConfigError } from '../src/errors.js';

const FILE = '/etc/lizzy/lizzy-sync.yaml';
const base = `lizzy:
  apiKey: abc-123
  webstoreId: 12345
`;

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parseConfig(text, FILE, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

// From a walkthrough: config check listed the SQLite default path while PostgreSQL was in use.
describe('config check settings', () => {
  it('show only the store in use', async () => {
    const { configSettings } = await import('../src/status/config-check.js');
    const keys = (text: string) => configSettings(parseConfig(text, FILE, {})).map((s) => s.key);
    const pg = keys(`${base}database:\n  postgres: postgres://lizzy:secret@db/webstore\n`);
    expect(pg).toContain('database.postgres');
    expect(pg).toContain('database.schema');
    expect(pg).not.toContain('database.sqlite');
    const lite = keys(base);
    expect(lite).toContain('database.sqlite');
    expect(lite).not.toContain('database.schema');
  });
});

describe('config loader', () => {
  it('applies defaults and resolves paths against the config folder', () => {
    const c = parseConfig(base, FILE, {});
    expect(c.lizzy.baseUrl).toBe('https://api.nizex.com');
    expect(c.lizzy.webstoreId).toBe('12345');
    expect(c.database.sqlite).toBe('/etc/lizzy/data/lizzy-sync.db');
    expect(c.reports.dir).toBe('/etc/lizzy/reports');
    expect(c.inventory).toEqual({ clearPreviousQuantities: false, disabledDays: [], lookbackDays: 31 });
    expect(c.orders).toEqual({ lookbackDays: 7, batchSize: 5, maxAttempts: 5 });
    expect(c.schedule.timezone).toBe('America/Los_Angeles');
    expect(c.sources['lizzy.baseUrl']).toBe('default');
    expect(c.sources['lizzy.apiKey']).toBe('file');
  });

  it('reads the documented example shape', () => {
    const c = parseConfig(
      `lizzy:
  baseUrl: https://api.nizex.com
  apiKey: \${LIZZY_API_KEY}
  webstoreId: 12345
database:
  sqlite: ./data/lizzy-sync.db
reports:
  dir: ./reports
inventory:
  clearPreviousQuantities: true
  disabledDays: [saturday, sunday]
  lookbackDays: 31
vendors:
  - vendor: PARTS UNLIMITED
    catalog: aftermarket
    distributor: PU
    usePricing: false
  - vendor: HONDA
    catalog: oem
    manufacturer: HONDA
    usePricing: true
`,
      FILE,
      { LIZZY_API_KEY: 'k-1' },
    );
    expect(c.lizzy.apiKey).toBe('k-1');
    expect(c.sources['lizzy.apiKey']).toBe('env');
    expect(c.inventory.disabledDays).toEqual(['saturday', 'sunday']);
    expect(c.vendors).toHaveLength(2);
    expect(c.vendors[0]).toMatchObject({ vendor: 'PARTS UNLIMITED', catalog: 'aftermarket', distributor: 'PU', usePricing: false, line: 14 });
    expect(c.vendors[1]).toMatchObject({ vendor: 'HONDA', catalog: 'oem', manufacturer: 'HONDA', usePricing: true, line: 18 });
  });

  it('lets LIZZY_API_KEY override the file', () => {
    expect(parseConfig(base, FILE, { LIZZY_API_KEY: 'from-env' }).lizzy.apiKey).toBe('from-env');
    // Found by a break-it pass: a variable set to spaces hid the file's key ("No Lizzy API key").
    expect(parseConfig(base, FILE, { LIZZY_API_KEY: '   ' }).lizzy.apiKey).toBe(parseConfig(base, FILE, {}).lizzy.apiKey);
    expect(parseConfig(base, FILE, { LIZZY_API_KEY: ' padded ' }).lizzy.apiKey).toBe('padded');
  });

  it('defers an unset ${VAR} for the API key, so commands that do not call Lizzy still run', () => {
    const c = parseConfig('lizzy:\n  apiKey: ${LIZZY_API_KEY}\n', FILE, {});
    expect(c.lizzy.apiKey).toBeUndefined();
  });

  it('names file, line and key for an unset ${VAR} elsewhere', () => {
    const e = errorOf(`${base}reports:\n  dir: \${REPORT_DIR}\n`);
    expect(e.message).toContain('lizzy-sync.yaml:5:8: reports.dir: environment variable REPORT_DIR is not set');
  });

  it('suggests the right key for a typo', () => {
    const e = errorOf(`${base}inventory:\n  clearPreviousQuantites: true\n`);
    expect(e.message).toContain(':5:3: inventory.clearPreviousQuantites: unknown key "clearPreviousQuantites"; did you mean "clearPreviousQuantities"?');
  });

  it('rejects a misspelled weekday with a suggestion', () => {
    const e = errorOf(`${base}inventory:\n  disabledDays: [saturday, sundy]\n`);
    expect(e.message).toContain(':5:28: inventory.disabledDays[1]: "sundy" is not one of sunday, monday');
    expect(e.message).toContain('did you mean "sunday"?');
  });

  it('an abbreviated or capitalised weekday gets a did-you-mean too', () => {
    const e = errorOf(`${base}inventory:\n  disabledDays: [Sun, SATURDAY]\n`);
    expect(e.message).toContain('"Sun" is not one of sunday, monday');
    expect(e.message).toContain('did you mean "sunday"?');
    expect(e.message).toContain('did you mean "saturday"?');
  });

  it('rejects a distributor on an OEM row and a missing manufacturer', () => {
    const e = errorOf(`${base}vendors:\n  - vendor: HONDA\n    catalog: oem\n    distributor: PU\n`);
    expect(e.message).toContain('vendors[0].distributor: an oem row names a manufacturer, not a distributor');
    expect(e.message).toContain('vendors[0].manufacturer: an oem row needs "manufacturer:"');
    expect(e.message).toMatch(/lizzy-sync\.yaml:5: /);
  });

  // From a new-user walkthrough: these were checked after the walk and named no line.
  it('a bad time zone, cron, base URL and both stores name their line and column', () => {
    const e = errorOf(
      'lizzy:\n  baseUrl: 127.0.0.1:4011\nschedule:\n  timezone: America/Los_Angles\n  inventory: "0 25 * * *"\ndatabase:\n  sqlite: ./x.db\n  postgres: postgres://u@h/d\n',
    );
    expect(e.message).toMatch(/:5:14: schedule\.inventory: "0 25 \* \* \*" is not a valid cron expression/);
    expect(e.message).toMatch(/:4:13: schedule\.timezone: "America\/Los_Angles" is not a time zone name/);
    expect(e.message).toMatch(/:8:13: database: name either "sqlite" or "postgres", not both/);
    expect(e.message).toMatch(/:2:12: lizzy\.baseUrl: "127\.0\.0\.1:4011" is not a URL; did you mean "http:\/\/127\.0\.0\.1:4011"\?/);
  });

  // From a break-it pass: each of these was accepted and did something else than meant.
  it('shell-style "~", "$VAR" without braces, an empty path, a misspelt zone and a bad sslmode are refused with what to write', () => {
    const e = errorOf(
      'lizzy:\n  baseUrl: http://127.0.0.1:9\n  apiKey: $LIZZY_API_KEY\ndatabase:\n  sqlite: "~/x.db"\nreports:\n  dir: $HOME/reports\nschedule:\n  timezone: America/Los_Angles\n',
    );
    expect(e.message).toContain('lizzy.apiKey: starts with "$" and would be used as the key itself: to read a variable, write its name in braces');
    expect(e.message).toContain('database.sqlite: "~/x.db": "~" is not expanded here; write the full path');
    expect(e.message).toContain('reports.dir: "$HOME/reports": an environment variable is written ${HOME} (with braces)');
    expect(e.message).toContain('schedule.timezone: "America/Los_Angles" is not a time zone name; did you mean "America/Los_Angeles"?');
    expect(errorOf('lizzy:\n  baseUrl: http://127.0.0.1:9\ndatabase:\n  sqlite: ""\n').message).toContain('database.sqlite: must not be empty');
    expect(errorOf('lizzy:\n  baseUrl: http://127.0.0.1:9\ndatabase:\n  postgres: postgres://u@h/d?sslmode=bogus\n').message).toContain(
      'sslmode=bogus is not one of disable, allow, prefer, require, verify-ca, verify-full, no-verify',
    );
    // Found by a break-it pass: exit 3 "database unusable: Invalid URL" instead of a config error.
    // ... and one that parses but splits wrongly: "2024/Spring" read as host "postgres", port 2024 (new-user walkthrough).
    for (const url of ['postgres://u:PgS3cret/x@127.0.0.1:5439/db', 'postgres://u@127.0.0.1:notaport/db', 'postgres://postgres:2024/PgS3cret@127.0.0.1:5432/db']) {
      const m = errorOf(`lizzy:\n  baseUrl: http://127.0.0.1:9\ndatabase:\n  postgres: ${url}\n`).message;
      expect(m).toContain('database.postgres: is not a valid URL: check the port, and percent-encode');
      expect(m).not.toContain('PgS3cret');
    }
    expect(parseConfig('database:\n  postgres: postgres://u:PgS3cret%2Fx@127.0.0.1:5439/db\n', FILE, {}).database.postgres).toContain('%2F');
  });

  it('${VAR} and ${VAR:-default} work on true/false and number keys; an unset one is one problem', () => {
    const text = 'lizzy:\n  baseUrl: http://127.0.0.1:9\ninventory:\n  clearPreviousQuantities: ${CLEAR:-true}\n  lookbackDays: ${LB}\n';
    const c = parseConfig(text, FILE, { LB: '30' });
    expect(c.inventory.clearPreviousQuantities).toBe(true);
    expect(c.inventory.lookbackDays).toBe(30);
    expect(parseConfig(text, FILE, { LB: '30', CLEAR: 'false' }).inventory.clearPreviousQuantities).toBe(false);
    const e = errorOf(text, {});
    // One problem is printed on one line, without a count.
    expect(e.message).toMatch(/^Invalid config: \S+:5:17: inventory\.lookbackDays: environment variable LB is not set \(the value is "\$\{LB\}"\)$/);
  });

  it('a brand under the wrong key is suggested back under the right one, with the value given', () => {
    const e = errorOf(`${base}vendors:\n  - vendor: TUCKER\n    catalog: aftermarket\n    manufacturer: TR\n`);
    expect(e.message).toContain('use "distributor: TR" instead');
    const o = errorOf(`${base}vendors:\n  - vendor: HONDA\n    catalog: oem\n    distributor: HONDA\n`);
    expect(o.message).toContain('use "manufacturer: HONDA" instead');
  });

  it('rejects a number where an identifier belongs and suggests quotes, keeping the source digits', () => {
    const e = errorOf(`${base}vendors:\n  - vendor: 0123\n    catalog: aftermarket\n    distributor: PU\n`);
    expect(e.message).toContain('vendors[0].vendor: expected text but YAML read 0123 as a number; identifiers must be strings: write "0123" in quotes');
  });

  it('rejects a %YAML 1.1 directive', () => {
    const e = errorOf(`%YAML 1.1\n---\n${base}`);
    expect(e.message).toContain('%YAML 1.1 is not accepted');
  });

  it('reads NO and 0123 as YAML 1.2 does (a string and a decimal), never as 1.1 would', () => {
    const c = parseConfig(`${base}vendors:\n  - vendor: NO\n    catalog: oem\n    manufacturer: "0123"\n`, FILE, {});
    expect(c.vendors[0]!.vendor).toBe('NO');
    expect(c.vendors[0]!.manufacturer).toBe('0123');
  });

  it('reports wrong types, missing keys and YAML syntax with line numbers', () => {
    expect(errorOf(`${base}inventory:\n  lookbackDays: soon\n`).message).toContain(':5:17: inventory.lookbackDays: expected a whole number, found "soon"');
    expect(errorOf(`${base}inventory:\n  clearPreviousQuantities: yes\n`).message).toContain('expected true or false, found "yes"');
    expect(errorOf('vendors:\n  - vendor: HONDA\n').message).toContain('vendors[0].catalog: missing required key "catalog"');
    expect(errorOf('lizzy:\n  apiKey: [a\n').message).toMatch(/lizzy-sync\.yaml:\d+:\d+: YAML syntax/);
    expect(errorOf(`${base}vendors:\n  - vendor: HONDA\n    catalog: oem\n    manufacturer: HONDA\n    usePricing: 1\n`).message).toContain(
      'vendors[0].usePricing: expected true or false, found "1"',
    );
  });

  // Found by a new-user walkthrough: importing the catalog before Lizzy support had sent the
  // key and the Webstore ID failed on a missing lizzy: section.
  it('a config without a lizzy: section is valid; the Lizzy settings take their defaults', () => {
    const c = parseConfig('reports:\n  dir: x\n', FILE, {});
    expect(c.lizzy).toMatchObject({ baseUrl: 'https://api.nizex.com', timeoutSeconds: 120, retries: 3 });
    expect(c.lizzy.apiKey).toBeUndefined();
    expect(() => requireApiKey(c)).toThrow(/No Lizzy API key: set lizzy.apiKey in .* or the environment variable LIZZY_API_KEY/);
    expect(() => requireWebstoreId(c)).toThrow(/No Webstore ID: set lizzy.webstoreId/);
  });

  // Found by a new-user walkthrough: cmd's set LIZZY_API_KEY="..." keeps the quotes, and Lizzy said only 401.
  it('a key in quotes is refused with how to set it, without showing it', () => {
    const c = parseConfig('lizzy:\n  webstoreId: 1\n', FILE, { LIZZY_API_KEY: '"7d3f9c2a-51e4"' });
    expect(() => requireApiKey(c)).toThrow('The Lizzy API key in LIZZY_API_KEY starts and ends with a quote character');
    // Smart quotes pasted from a mail, and quotes inside the YAML value (new-user walkthrough).
    expect(() => requireApiKey(parseConfig('lizzy:\n  webstoreId: 1\n', FILE, { LIZZY_API_KEY: '“7d3f9c2a-51e4”' }))).toThrow('starts and ends with a quote character');
    expect(() => requireApiKey(parseConfig(`lizzy:\n  apiKey: '"7d3f9c2a-51e4"'\n  webstoreId: 1\n`, FILE, {}))).toThrow(`The Lizzy API key in ${FILE} starts and ends with a quote character`);
    try {
      requireApiKey(c);
    } catch (e) {
      expect((e as Error).message).not.toContain('7d3f9c2a');
    }
    expect(requireApiKey(parseConfig('lizzy:\n  webstoreId: 1\n', FILE, { LIZZY_API_KEY: '7d3f9c2a-51e4' }))).toBe('7d3f9c2a-51e4');
  });

  it('reports a catalog kind not in the list', () => {
    expect(errorOf(`${base}vendors:\n  - vendor: HONDA\n    catalog: OEM\n    manufacturer: HONDA\n`).message).toContain(
      'vendors[0].catalog: "OEM" is not one of aftermarket, oem, private; did you mean "oem"?',
    );
  });

  it('reports every problem at once', () => {
    const e = errorOf(`${base}inventory:\n  lookbackDays: 0\n  disabledDays: funday\n`);
    expect(e.message).toContain('2 problems');
  });

  it('rejects a malformed schedule', () => {
    expect(errorOf(`${base}schedule:\n  inventory: "0 25 * * *"\n`).message).toContain('schedule.inventory: "0 25 * * *" is not a valid cron expression');
  });

  it('requires the webstore ID to be digits', () => {
    expect(errorOf('lizzy:\n  webstoreId: abc\n').message).toContain('lizzy.webstoreId: expected digits only');
    expect(parseConfig('lizzy:\n  webstoreId: "00123"\n', FILE, {}).lizzy.webstoreId).toBe('00123');
  });
});

describe('YAML anchors and aliases', () => {
  // Found by a break-it pass: "manufacturer: *v" was refused as "expected a single value,
  // found a list or section", and a row given as "- *h" as "expected a section of keys".
  it('an alias stands for its anchored value or row', () => {
    const c = parseConfig(
      `lizzy:
  apiKey: abc-123
  webstoreId: 12345
vendors:
  - &row
    vendor: &h HONDA
    catalog: oem
    manufacturer: *h
  - *row
  - vendor: HONDA POWER
    catalog: oem
    manufacturer: *h
`,
      FILE,
      {},
    );
    expect(c.vendors.map((v) => [v.vendor, v.catalog, v.manufacturer])).toEqual([
      ['HONDA', 'oem', 'HONDA'],
      ['HONDA', 'oem', 'HONDA'],
      ['HONDA POWER', 'oem', 'HONDA'],
    ]);
  });
});

describe('where a ${VAR:-default} value came from', () => {
  // Found by a new-user walkthrough: config check said "env" for a value that fell back to
  // the default written in the file.
  it('is "env" only when the variable gave it', () => {
    const text = 'lizzy:\n  apiKey: abc-123\n  webstoreId: 12345\ninventory:\n  clearPreviousQuantities: ${CLEAR:-false}\n';
    const unset = parseConfig(text, FILE, {});
    expect(unset.inventory.clearPreviousQuantities).toBe(false);
    expect(unset.sources['inventory.clearPreviousQuantities']).toBe('file');
    const set = parseConfig(text, FILE, { CLEAR: 'true' });
    expect(set.inventory.clearPreviousQuantities).toBe(true);
    expect(set.sources['inventory.clearPreviousQuantities']).toBe('env');
  });
});

// Found by a new-user walkthrough: a config saved by Notepad as "Unicode" got a YAML error
// about line 1 with no word about the encoding.
describe('config file encoding', () => {
  it('a UTF-16 config (with or without its byte-order mark) is named as such; a UTF-8 BOM is fine', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../src/config/load.js');
    const dir = mkdtempSync(join(tmpdir(), 'lizzy-cfg-'));
    const text = 'lizzy:\n  apiKey: k\n  webstoreId: 1\n';
    const le = join(dir, 'le.yaml');
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(() => loadConfig(le, {})).toThrow(`${le} is saved as UTF-16 ("Unicode" in Notepad), not UTF-8.`);
    const bare = join(dir, 'bare.yaml');
    writeFileSync(bare, Buffer.from(text, 'utf16le'));
    expect(() => loadConfig(bare, {})).toThrow('is saved as UTF-16');
    const ansi = join(dir, 'ansi.yaml');
    writeFileSync(ansi, Buffer.from('lizzy:\n  apiKey: k\n  webstoreId: 1\nvendors:\n  - vendor: RIVERSIDE MOT\xd6\n', 'latin1'));
    expect(() => loadConfig(ansi, {})).toThrow(`${ansi}:5: the file is not UTF-8 text (saved as "ANSI" or Windows-1252?)`);
    const bom8 = join(dir, 'bom8.yaml');
    writeFileSync(bom8, `\ufeff${text}`);
    expect(loadConfig(bom8, {}).lizzy.webstoreId).toBe('1');
    rmSync(dir, { recursive: true, force: true });
  });
});
