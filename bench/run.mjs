#!/usr/bin/env node
/**
 * npm run bench: the performance figures of issue 7, on this machine, beside their limits.
 * Not part of npm test. Needs the sqlite3 shell and GNU time (/usr/bin/time) for peak RSS.
 *   S1  inventory pull, 1M-product catalog, 100k-item feed, clearing on   vs sqlite3 doing the same work
 *   S2  the same with a 1M-item feed
 *   catalog import of the 1M-product CSV                                  vs sqlite3 .import
 *   order push of 2,000 orders, mock answering after 20 ms                vs requests x 20 ms
 *   lizzy-sync --version                                                   vs node -e 0
 * Only what is named runs when arguments are given: node bench/run.mjs s1 s2 import push startup
 * With LIZZY_BENCH_PG_URL set (a database the bench may create schemas in), catalog import,
 * S1 and S2 also run against PostgreSQL, beside psql doing the same work (\copy, one
 * UPDATE to zero, one UPDATE ... FROM, in one transaction) on a copy of the same table.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { DATA, generate, MAPPED } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'lizzy-sync.js');
const work = path.join(DATA, 'work');
const KEY = 'bench-0000-1111-2222-333333333333';
const only = new Set(process.argv.slice(2));
const want = (x) => only.size === 0 || only.has(x);

for (const tool of ['sqlite3', '/usr/bin/time']) {
  if (spawnSync(tool, ['--version']).error) {
    console.error(`bench needs ${tool} (Debian: apt-get install sqlite3 time)`);
    process.exit(2);
  }
}

/** Run a command under GNU time: wall seconds and peak RSS (MB). */
function timed(cmd, args, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  const m = /TIME ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`no timing for ${cmd} ${args.join(' ')}: ${r.stderr.slice(-500)}`);
  return { seconds: Number(m[1]), rssMb: Number(m[2]) / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(r, what) {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r;
}

function sqlite(db, script) {
  return timed('sqlite3', [db], { input: script });
}

async function startMock(dataDir, extra = []) {
  const p = spawn(process.execPath, [bin, 'mock-lizzy', '--port', '0', '--data', dataDir, '--api-key', KEY, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: p.stdout }).once('line', (l) => {
      const m = /listening on (\S+)/.exec(l);
      m ? resolve(m[1]) : reject(new Error(l));
    });
    p.once('exit', (c) => reject(new Error(`mock exited ${c}`)));
  });
  return { url, stop: () => p.kill('SIGTERM') };
}

/** db: a SQLite file, or { postgres: URL, schema } for the PostgreSQL runs. */
function config(dir, baseUrl, db) {
  const file = path.join(dir, 'lizzy-sync.yaml');
  writeFileSync(
    file,
    `lizzy:
  baseUrl: ${baseUrl}
  webstoreId: 12345
  timeoutSeconds: 600
database:
${typeof db === 'string' ? `  sqlite: ${db}` : `  postgres: ${db.postgres}\n  schema: ${db.schema}`}
reports:
  dir: ${path.join(dir, 'reports')}
inventory:
  clearPreviousQuantities: true
runTimeoutMinutes: 60
vendors:
${MAPPED.map((b) => `  - vendor: ${b.vendor}\n    catalog: ${b.catalog}\n    ${b.catalog === 'aftermarket' ? 'distributor' : 'manufacturer'}: ${b.brand}\n    usePricing: true`).join('\n')}
`,
  );
  return file;
}

const results = [];
function row(name, ours, limit, limitLabel, target) {
  const ratio = ours.seconds / limit;
  results.push({ name, seconds: ours.seconds, rssMb: ours.rssMb, limit, limitLabel, ratio, target });
  console.log(
    `${name.padEnd(28)} ${ours.seconds.toFixed(2).padStart(7)} s  ${ours.rssMb === undefined ? '      ' : `${ours.rssMb.toFixed(0).padStart(5)} MB`}   ${limitLabel.padEnd(26)} ${limit.toFixed(2).padStart(7)} s   ratio ${ratio.toFixed(2)} (target ${target})`,
  );
}

await generate();
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const env = { ...process.env, LIZZY_API_KEY: KEY, NO_COLOR: '1' };
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, sqlite3 ${execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]}`);

// ---- catalog import -----------------------------------------------------------------------
const base = path.join(work, 'base.db');
const cfgDir = path.join(work, 'cfg');
mkdirSync(cfgDir, { recursive: true });
{
  const imp = timed(process.execPath, [bin, '--config', config(cfgDir, 'http://127.0.0.1:9', base), 'catalog', 'import', path.join(DATA, 'catalog-1m.csv')], { env });
  if (imp.status !== 0) throw new Error(`catalog import failed: ${imp.stderr}`);
  const limitDb = path.join(work, 'import-limit.db');
  const lim = sqlite(limitDb, `.import --csv ${path.join(DATA, 'catalog-1m.csv')} catalog_in\n`);
  if (want('import')) {
    row('catalog import 1M', imp, lim.seconds, 'sqlite3 .import', '<= 1.5');
    // Reference: the sqlite3 shell doing the import's database work: .import, then one INSERT
    // in key order into an empty products table with lizzy-sync's schema and unique key. What
    // the limit leaves out (the key, the typed columns) costs the shell itself this much.
    const refDb = path.join(work, 'import-ref.db');
    const schema = execFileSync('sqlite3', [base, '.schema'], { encoding: 'utf8' })
      .split(/;\n/)
      .filter((stmt) => !/sqlite_sequence/.test(stmt))
      .join(';\n');
    must(sqlite(refDb, `PRAGMA journal_mode = WAL;\n${schema}`), 'reference schema');
    const ref = must(
      sqlite(
        refDb,
        `.mode csv
BEGIN;
CREATE TEMP TABLE cat_in (catalog TEXT, distributor TEXT, manufacturer TEXT, part_number TEXT, description TEXT, list_price TEXT, shelf_qty TEXT);
.import --skip 1 ${path.join(DATA, 'catalog-1m.csv')} cat_in
INSERT INTO products (catalog, distributor, manufacturer, match_brand, part_number, description, list_price_cents, shelf_qty, updated_at)
  SELECT catalog, nullif(distributor, ''), nullif(manufacturer, ''), CASE WHEN catalog = 'aftermarket' THEN distributor ELSE manufacturer END AS brand,
    part_number, nullif(description, ''), CAST(round(list_price * 100) AS INTEGER), coalesce(CAST(nullif(shelf_qty, '') AS INTEGER), 0), '${new Date().toISOString()}'
  FROM cat_in ORDER BY catalog, brand, part_number, rowid
  ON CONFLICT DO UPDATE SET description = excluded.description, list_price_cents = excluded.list_price_cents, shelf_qty = excluded.shelf_qty;
COMMIT;
`,
      ),
      'sqlite3 reference import',
    );
    row('  sqlite3, the same work', ref, lim.seconds, 'sqlite3 .import', 'reference');
    row('  catalog import 1M', imp, ref.seconds, 'sqlite3, the same work', 'reference');
  }
}

// ---- inventory pull S1 / S2 ----------------------------------------------------------------
for (const [label, feed] of [
  ['s1', 'feed-100k'],
  ['s2', 'feed-1m'],
]) {
  if (!want(label)) continue;
  const dir = path.join(work, label);
  mkdirSync(dir, { recursive: true });
  symlinkSync(path.join(DATA, `${feed}.json`), path.join(dir, 'lizzy-feed.json'));
  const db = path.join(dir, 'pull.db');
  copyFileSync(base, db);
  const mock = await startMock(dir);
  let ours;
  try {
    ours = timed(process.execPath, [bin, '--config', config(dir, mock.url, db), '--json', 'inventory', 'pull'], { env });
  } finally {
    mock.stop();
  }
  if (ours.status !== 0 && ours.status !== 1) throw new Error(`pull failed (${ours.status}): ${ours.stderr.slice(-2000)}`);
  // The limit, and as a reference the same statements also writing updated_at and the re-index
  // mark on every row they change, which the issue requires of the pull and the limit leaves out.
  const limitRun = (file, mark) => {
    copyFileSync(base, file);
    const set = mark ? `, updated_at = '${mark}', reindex_queued_at = '${mark}'` : '';
    return sqlite(
      file,
      `.mode csv
CREATE TEMP TABLE map (vendor TEXT, catalog TEXT, brand TEXT);
.import --skip 1 ${path.join(DATA, 'vendors.csv')} map
BEGIN;
CREATE TEMP TABLE feed (vendor TEXT, item TEXT, qty INTEGER, price INTEGER);
.import --skip 1 ${path.join(DATA, `${feed}.csv`)} feed
UPDATE products SET shelf_qty = 0${set} WHERE shelf_qty <> 0;
UPDATE products SET shelf_qty = f.qty, list_price_cents = f.price${set}
  FROM feed f JOIN map m ON m.vendor = f.vendor
  WHERE products.catalog = m.catalog AND products.match_brand = m.brand AND products.part_number = f.item;
COMMIT;
`,
    );
  };
  const lim = limitRun(path.join(dir, 'limit.db'));
  row(`${label.toUpperCase()} pull (${feed})`, ours, lim.seconds, 'sqlite3 import+UPDATE FROM', '<= 1.5');
  const ref = limitRun(path.join(dir, 'reference.db'), new Date().toISOString());
  row('  sqlite3, with the mark', ref, lim.seconds, 'sqlite3 import+UPDATE FROM', 'reference');
  row(`  ${label.toUpperCase()} pull`, ours, ref.seconds, 'sqlite3, with the mark', 'reference');
}

// ---- PostgreSQL (LIZZY_BENCH_PG_URL) -------------------------------------------------------
const PG = process.env.LIZZY_BENCH_PG_URL;
if (PG && (want('import') || want('s1') || want('s2'))) {
  if (spawnSync('psql', ['--version']).error) {
    console.error('the PostgreSQL bench needs psql (Debian: apt-get install postgresql-client)');
    process.exit(2);
  }
  const psql = (script) => timed('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', PG], { input: script });
  const dir = path.join(work, 'pg');
  mkdirSync(dir, { recursive: true });
  const importInto = (schema) => {
    must(psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE;`), 'drop schema');
    return must(
      timed(process.execPath, [bin, '--config', config(path.join(dir, schema), 'http://127.0.0.1:9', { postgres: PG, schema }), 'catalog', 'import', path.join(DATA, 'catalog-1m.csv')], { env }),
      'catalog import (PostgreSQL)',
    );
  };
  for (const s of ['bench_import', 'bench_s1', 'bench_s2']) mkdirSync(path.join(dir, s), { recursive: true });
  if (want('import')) {
    const imp = importInto('bench_import');
    const lim = must(
      psql(`DROP SCHEMA IF EXISTS bench_import_lim CASCADE; CREATE SCHEMA bench_import_lim;
CREATE TABLE bench_import_lim.catalog_in (catalog text, distributor text, manufacturer text, part_number text, description text, list_price text, shelf_qty text);
\\copy bench_import_lim.catalog_in FROM '${path.join(DATA, 'catalog-1m.csv')}' CSV HEADER
`),
      'psql \\copy',
    );
    row('PG catalog import 1M', imp, lim.seconds, 'psql \\copy', '<= 1.5');
    // Reference: psql doing the import's database work, into an empty copy of products.
    must(psql(`DROP SCHEMA IF EXISTS bench_import_ref CASCADE; CREATE SCHEMA bench_import_ref;
CREATE TABLE bench_import_ref.products (LIKE bench_import.products INCLUDING ALL);`), 'reference table');
    const ref = must(
      psql(`BEGIN;
CREATE TEMP TABLE cat_in (catalog text, distributor text, manufacturer text, part_number text, description text, list_price text, shelf_qty text);
\\copy cat_in FROM '${path.join(DATA, 'catalog-1m.csv')}' CSV HEADER
INSERT INTO bench_import_ref.products (catalog, distributor, manufacturer, match_brand, part_number, description, list_price_cents, shelf_qty, updated_at)
  SELECT catalog, nullif(distributor, ''), nullif(manufacturer, ''), CASE WHEN catalog = 'aftermarket' THEN distributor ELSE manufacturer END AS brand,
    part_number, nullif(description, ''), round(list_price::numeric * 100)::bigint, coalesce(nullif(shelf_qty, '')::integer, 0), now()
  FROM cat_in ORDER BY 1, 4, 5
  ON CONFLICT (catalog, match_brand, part_number) DO UPDATE SET description = excluded.description, list_price_cents = excluded.list_price_cents, shelf_qty = excluded.shelf_qty;
COMMIT;
`),
      'psql reference import',
    );
    row('  psql, the same work', ref, lim.seconds, 'psql \\copy', 'reference');
    row('  PG catalog import 1M', imp, ref.seconds, 'psql, the same work', 'reference');
    must(psql('DROP SCHEMA bench_import_ref CASCADE; DROP SCHEMA bench_import CASCADE; DROP SCHEMA bench_import_lim CASCADE;'), 'clean up');
  }
  for (const [label, feed] of [
    ['s1', 'feed-100k'],
    ['s2', 'feed-1m'],
  ]) {
    if (!want(label)) continue;
    const schema = `bench_${label}`;
    const sdir = path.join(dir, schema);
    importInto(schema);
    // The limit works on a copy of the same table, taken before the pull changes it: the same
    // columns, constraints and indexes (an UPDATE that moves a row writes an entry in every
    // index, so a copy without the primary key zeroes quantities 20 % faster than the table
    // itself). Both are vacuumed, as autovacuum would have done after the import by 04:00.
    must(
      psql(`DROP SCHEMA IF EXISTS ${schema}_lim CASCADE; CREATE SCHEMA ${schema}_lim;
CREATE TABLE ${schema}_lim.products (LIKE ${schema}.products INCLUDING ALL);
INSERT INTO ${schema}_lim.products SELECT * FROM ${schema}.products;
DROP SCHEMA IF EXISTS ${schema}_ref CASCADE; CREATE SCHEMA ${schema}_ref;
CREATE TABLE ${schema}_ref.products (LIKE ${schema}.products INCLUDING ALL);
INSERT INTO ${schema}_ref.products SELECT * FROM ${schema}.products;
VACUUM ANALYZE ${schema}.products;
VACUUM ANALYZE ${schema}_lim.products;
VACUUM ANALYZE ${schema}_ref.products;`),
      'copy for the limit',
    );
    rmSync(path.join(sdir, 'lizzy-feed.json'), { force: true });
    symlinkSync(path.join(DATA, `${feed}.json`), path.join(sdir, 'lizzy-feed.json'));
    const mock = await startMock(sdir);
    let ours;
    try {
      ours = timed(process.execPath, [bin, '--config', config(sdir, mock.url, { postgres: PG, schema }), '--json', 'inventory', 'pull'], { env });
    } finally {
      mock.stop();
    }
    if (ours.status !== 0 && ours.status !== 1) throw new Error(`pull failed (${ours.status}): ${ours.stderr.slice(-2000)}`);
    const limitRun = (table, mark) => {
      const set = mark ? `, updated_at = '${mark}', reindex_queued_at = '${mark}'` : '';
      return must(
        psql(`BEGIN;
CREATE TEMP TABLE map (vendor text, catalog text, brand text);
\\copy map FROM '${path.join(DATA, 'vendors.csv')}' CSV HEADER
CREATE TEMP TABLE feed (vendor text, item text, qty integer, price bigint);
\\copy feed FROM '${path.join(DATA, `${feed}.csv`)}' CSV HEADER
UPDATE ${table} SET shelf_qty = 0${set} WHERE shelf_qty <> 0;
UPDATE ${table} p SET shelf_qty = f.qty, list_price_cents = f.price${set}
  FROM feed f JOIN map m ON m.vendor = f.vendor
  WHERE p.catalog = m.catalog AND p.match_brand = m.brand AND p.part_number = f.item;
COMMIT;
`),
        'psql limit',
      );
    };
    const lim = limitRun(`${schema}_lim.products`);
    const ref = limitRun(`${schema}_ref.products`, new Date().toISOString());
    row(`PG ${label.toUpperCase()} pull (${feed})`, ours, lim.seconds, 'psql \\copy+UPDATE FROM', '<= 1.5');
    row('  psql, with the mark', ref, lim.seconds, 'psql \\copy+UPDATE FROM', 'reference');
    row(`  PG ${label.toUpperCase()} pull`, ours, ref.seconds, 'psql, with the mark', 'reference');
    must(psql(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_lim CASCADE; DROP SCHEMA ${schema}_ref CASCADE;`), 'clean up');
  }
}

// ---- order push ----------------------------------------------------------------------------
if (want('push')) {
  const dir = path.join(work, 'push');
  mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'push.db');
  writeFileSync(path.join(dir, 'lizzy-feed.json'), '[]'); // the push reads no feed; this keeps the mock from warning
  const mock = await startMock(dir, ['--delay-ms', '20']);
  try {
    const cfg = config(dir, mock.url, db);
    const gen = await import(path.join(root, 'scripts', 'gen-fixtures.mjs'));
    const now = new Date();
    writeFileSync(path.join(dir, 'orders.json'), JSON.stringify(gen.makeOrders(now, 2000, { staleShare: 0, maxAgeHours: 72, firstOrderNumber: 500001 })));
    const imp = spawnSync(process.execPath, [bin, '--config', cfg, 'orders', 'import', path.join(dir, 'orders.json')], { env, encoding: 'utf8' });
    if (imp.status !== 0) throw new Error(`orders import failed: ${imp.stderr}`);
    const ours = timed(process.execPath, [bin, '--config', cfg, '--json', 'orders', 'push'], { env });
    const json = JSON.parse(ours.stdout);
    const floor = (json.requests * 20) / 1000;
    row(`order push 2,000 (${json.requests} req)`, ours, floor, 'requests x 20 ms', '<= 1.15');
    // The same requests from a bare node:http loop: what the mock and loopback take beyond 20 ms.
    const raw = JSON.parse(execFileSync(process.execPath, [path.join(root, 'bench', 'raw-push.mjs'), mock.url, KEY, path.join(dir, 'orders.json')], { encoding: 'utf8' }));
    row(`  bare node:http, same (${raw.requests} req)`, { seconds: raw.seconds }, floor, 'requests x 20 ms', 'reference');
  } finally {
    mock.stop();
  }
}

// ---- start-up ------------------------------------------------------------------------------
if (want('startup')) {
  const median = (f) => {
    const xs = Array.from({ length: 15 }, f).sort((a, b) => a - b);
    return xs[7];
  };
  const t = (args) => () => {
    const s = process.hrtime.bigint();
    spawnSync(process.execPath, args);
    return Number(process.hrtime.bigint() - s) / 1e9;
  };
  const ours = median(t([bin, '--version']));
  const node = median(t(['-e', '0']));
  row('lizzy-sync --version', { seconds: ours }, node, 'node -e 0', '<= 2');
}

writeFileSync(path.join(DATA, 'results.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
