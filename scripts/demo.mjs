#!/usr/bin/env node
/**
 * npm run demo: the main job end to end on the bundled mock Lizzy and sample data.
 * Starts the mock on a free 127.0.0.1 port, imports the sample catalog into a fresh
 * database under .demo/, runs `lizzy-sync inventory pull`, imports sample orders and runs
 * `lizzy-sync orders push` twice, prints the summaries and report paths, and stops the mock. Uses the built CLI exactly as a user would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'lizzy-sync.js');
const work = path.join(root, '.demo');
const apiKey = 'demo-5f0c1e2a-9b7d-4c3e-8a61-000000000000';

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('lizzy-sync is not built yet: run `npm ci` (or `npm run build`) first.');
  process.exit(2);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const env = { ...process.env, LIZZY_API_KEY: apiKey };

// 1. The mock Lizzy, serving fixtures/lizzy-feed.json.
const mock = spawn(process.execPath, [bin, 'mock-lizzy', '--port', '0', '--data', path.join(root, 'fixtures'), '--webstore-id', '12345'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  const rl = createInterface({ input: mock.stdout });
  rl.once('line', (line) => {
    const m = /listening on (http:\/\/\S+)/.exec(line);
    m ? resolve(m[1]) : reject(new Error(`unexpected mock output: ${line}`));
  });
  mock.once('exit', (code) => reject(new Error(`the mock Lizzy exited (${code})`)));
});

let exitCode = 0;
try {
  // 2. A config for this run: the sample config, pointed at the mock's port.
  const config = path.join(work, 'lizzy-sync.yaml');
  const sample = readFileSync(path.join(root, 'fixtures', 'lizzy-sync.yaml'), 'utf8');
  writeFileSync(
    config,
    sample
      .replace(/baseUrl: .*/, `baseUrl: ${url}`)
      .replace(/sqlite: .*/, 'sqlite: ./lizzy-sync.db')
      .replace(/dir: .*/, 'dir: ./reports'),
  );

  const step = (title, args) => {
    console.log(`\n$ lizzy-sync ${args.join(' ')}`);
    const r = spawnSync(process.execPath, [bin, '--config', config, ...args], { env, stdio: 'inherit' });
    return r.status ?? 70;
  };

  console.log(`Mock Lizzy on ${url}; working folder ${path.relative(root, work)}/`);
  const imp = step('catalog', ['catalog', 'import', path.join(root, 'fixtures', 'catalog.csv')]);
  if (imp !== 0) throw new Error(`catalog import exited ${imp}`);
  // Exit 1 is expected here: the sample feed holds malformed items on purpose.
  const pull = step('pull', ['inventory', 'pull']);
  if (pull !== 0 && pull !== 1) throw new Error(`inventory pull exited ${pull}`);
  if (existsSync(path.join(root, 'fixtures', 'orders.json'))) {
    const help = spawnSync(process.execPath, [bin, '--help'], { env, encoding: 'utf8' });
    if (/^\s+orders\b/m.test(help.stdout)) {
      // 30 sample orders placed relative to now: 8 older than 7 days (reported as expired, not
      // sent), 10 already sent by the webstore's earlier sync (sentAt), 12 to push: 3 requests (5, 5, 2).
      const demoOrders = path.join(work, 'orders.json');
      const gen = await import(path.join(root, 'scripts', 'gen-fixtures.mjs'));
      const orders = gen.makeOrders(new Date(), 30, { firstOrderNumber: 200001 });
      orders.forEach((o, i) => {
        if (i >= 8 && i < 18) o.sentAt = new Date(Date.parse(o.placedAt) + 3600_000).toISOString();
      });
      writeFileSync(demoOrders, JSON.stringify(orders, null, 2));
      const oi = step('orders', ['orders', 'import', demoOrders]);
      if (oi !== 0 && oi !== 1) throw new Error(`orders import exited ${oi}`);
      const op = step('push', ['orders', 'push']);
      if (op !== 0 && op !== 1) throw new Error(`orders push exited ${op}`);
      // A second run finds nothing left to send: every order goes to Lizzy once.
      const again = step('push', ['orders', 'push']);
      if (again !== 0 && again !== 1) throw new Error(`orders push (again) exited ${again}`);
    }
  }
  console.log(`\nDemo finished. Open the report(s) in ${path.join(work, 'reports')}`);
} catch (err) {
  console.error(`\nDemo failed: ${err.message}`);
  exitCode = 1;
} finally {
  mock.kill('SIGTERM');
}
process.exitCode = exitCode;
