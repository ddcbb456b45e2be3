/** Shared set-up for the diagnostics end-to-end tests (mappings validate, explain, status, config check). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { RunningMock } from '../src/lizzy/mock/server.js';
import { cliEnv, FIXTURES, runCli, startMock, tempDir, writeConfig, type CliResult } from './helpers.js';

// Thursday 2026-12-03 10:00 PST, the instant the fixtures are generated against.
export const NOW = '2026-12-03T18:00:00Z';

export interface Ctx {
  dir: string;
  cleanup(): void;
  mock: RunningMock;
  config: string;
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
  close(): Promise<void>;
}

export const CATALOG_HEADER = 'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty';

/** A temp dir with the mock serving `feed`, a config, and the catalog imported. */
export async function setup(
  opts: { feed?: string | unknown[]; vendorsYaml?: string; catalog?: string | string[]; clear?: boolean; extra?: string; disabledDays?: string[] } = {},
): Promise<Ctx> {
  const t = tempDir('lizzy-diag-');
  const mock = await startMock(t.dir, { feed: opts.feed });
  const config = writeConfig(t.dir, { baseUrl: mock.url, vendorsYaml: opts.vendorsYaml, clear: opts.clear, extra: opts.extra, disabledDays: opts.disabledDays });
  let catalog = path.join(FIXTURES, 'catalog.csv');
  if (Array.isArray(opts.catalog)) {
    catalog = path.join(t.dir, 'catalog.csv');
    writeFileSync(catalog, [CATALOG_HEADER, ...opts.catalog, ''].join('\n'));
  } else if (opts.catalog) catalog = opts.catalog;
  const run = (args: string[], env: Record<string, string> = {}) => runCli(['--config', config, ...args], { env: cliEnv({ LIZZY_SYNC_NOW: NOW, ...env }) });
  const imp = await run(['catalog', 'import', catalog]);
  expect(imp.code, imp.stderr).toBe(0);
  return {
    ...t,
    mock,
    config,
    run,
    close: async () => {
      await mock.close();
      t.cleanup();
    },
  };
}
