/**
 * Test helpers: real temp dirs, the built CLI spawned as a user runs it (clean env,
 * NO_COLOR=1), and the real mock Lizzy on an ephemeral 127.0.0.1 port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockLizzy, type MockOptions, type RunningMock } from '../src/lizzy/mock/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'bin', 'lizzy-sync.js');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const API_KEY = '7d3f9c2a-51e4-4b8e-9a61-0c2f5e8b7a19';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawn the built CLI with a clean environment. */
export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', TZ: 'UTC' };
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export function tempDir(prefix = 'lizzy-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ConfigOverrides {
  baseUrl: string;
  /** The `database:` section (default: SQLite in ./data). */
  databaseYaml?: string;
  clear?: boolean;
  disabledDays?: string[];
  vendorsYaml?: string;
  extra?: string;
  webstoreId?: string;
}

export const DEFAULT_VENDORS = `
  - vendor: PARTS UNLIMITED
    catalog: aftermarket
    distributor: PU
    usePricing: false
  - vendor: TUCKER ROCKY
    catalog: aftermarket
    distributor: TR
    usePricing: false
  - vendor: WESTERN POWER SPORTS
    catalog: aftermarket
    distributor: WPS
    usePricing: false
  - vendor: HONDA
    catalog: oem
    manufacturer: HONDA
    usePricing: true
  - vendor: YAMAHA
    catalog: oem
    manufacturer: YAMAHA
    usePricing: true
  - vendor: KAWASAKI
    catalog: oem
    manufacturer: KAWASAKI
    usePricing: true
  - vendor: POLARIS
    catalog: oem
    manufacturer: POLARIS
    usePricing: true
  - vendor: RIVERSIDE MOTO
    catalog: private
    manufacturer: RIVERSIDE MOTO
    usePricing: true
`;

/** Write a config into dir (database and reports inside dir) and return its path. */
export function writeConfig(dir: string, o: ConfigOverrides): string {
  const file = path.join(dir, 'lizzy-sync.yaml');
  writeFileSync(
    file,
    `lizzy:
  baseUrl: ${o.baseUrl}
  apiKey: \${LIZZY_API_KEY}
  webstoreId: ${o.webstoreId ?? '12345'}
  retries: 1
${o.databaseYaml ?? 'database:\n  sqlite: ./data/lizzy-sync.db\n'}reports:
  dir: ./reports
inventory:
  clearPreviousQuantities: ${o.clear ?? true}
  disabledDays: [${(o.disabledDays ?? []).join(', ')}]
  lookbackDays: 31
${o.extra ?? ''}
vendors:${o.vendorsYaml ?? DEFAULT_VENDORS}`,
  );
  return file;
}

/** A mock Lizzy serving a feed file copied into its own data dir. */
export async function startMock(dataDir: string, opts: Partial<MockOptions> & { feed?: string | unknown[] } = {}): Promise<RunningMock> {
  const feed = opts.feed ?? path.join(FIXTURES, 'lizzy-feed.json');
  if (typeof feed === 'string') copyFileSync(feed, path.join(dataDir, 'lizzy-feed.json'));
  else writeFileSync(path.join(dataDir, 'lizzy-feed.json'), JSON.stringify(feed));
  return startMockLizzy({ apiKey: API_KEY, webstoreId: '12345', dataDir, ...opts });
}

/** Queue a behaviour on a running mock (the same HTTP control endpoint users' CI can use). */
export async function mockNext(mock: RunningMock, behaviour: Record<string, unknown> | Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`${mock.url}/__mock/next`, { method: 'POST', body: JSON.stringify(behaviour) });
  if (!res.ok) throw new Error(`mock control failed: ${res.status}`);
}

/** Parse a CSV the simple way for assertions (handles quotes; strips the BOM). */
export function readCsvFile(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

export const cliEnv = (extra: Record<string, string> = {}) => ({ LIZZY_API_KEY: API_KEY, ...extra });

export interface Spawned {
  child: import('node:child_process').ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr/stdout line matching. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** Start the built CLI in the background (for daemons, locks and signals). */
export function spawnCli(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}): Spawned {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', TZ: 'UTC' };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d) => {
    out += d;
    listeners.forEach((l) => l());
  });
  child.stderr!.on('data', (d) => {
    err += d;
    listeners.forEach((l) => l());
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = `${out}\n${err}`.split('\n').find((l) => re.test(l));
          if (line !== undefined) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${re}; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() => setTimeout(check, 0));
      });
    },
  };
}
