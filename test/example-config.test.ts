import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { configSpec } from '../src/config/schema.js';
import { ROOT } from './helpers.js';
import { readFileSync } from 'node:fs';

describe('config.example.yaml', () => {
  it('loads, and documents every key the schema knows', () => {
    const c = loadConfig(path.join(ROOT, 'config.example.yaml'), { LIZZY_API_KEY: 'k' });
    expect(c.vendors.length).toBeGreaterThan(0);
    const text = readFileSync(path.join(ROOT, 'config.example.yaml'), 'utf8');
    const walk = (spec: typeof configSpec, prefix: string): string[] =>
      spec.kind === 'object'
        ? Object.entries(spec.fields).flatMap(([k, f]) => [k, ...walk(f.spec as typeof configSpec, `${prefix}${k}.`)])
        : spec.kind === 'array'
          ? walk(spec.of as typeof configSpec, prefix)
          : [];
    // A key may be shown commented out when it has no default (for example logging.file).
    for (const key of walk(configSpec, '')) expect(text, key).toMatch(new RegExp(`^\\s*(# )?(- )?${key}:`, 'm'));
  });
});
