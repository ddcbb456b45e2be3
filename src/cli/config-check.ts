import { EXIT } from '../errors.js';
import type { ConfigCheckResult } from '../status/config-check.js';
import { cliClock, loadCliConfig } from './context.js';
import { colors, out, printJson, type GlobalOptions } from './output.js';

export async function configCheckCommand(flags: GlobalOptions & { offline?: boolean }): Promise<number> {
  const config = loadCliConfig(flags);
  const { openStore } = await import('../store/open.js');
  const { runConfigCheck } = await import('../status/config-check.js');
  const result = await runConfigCheck(config, { offline: !!flags.offline, now: cliClock()(), openStore });
  const code = result.passed ? EXIT.OK : EXIT.NEEDS_ATTENTION;
  const vendors = config.vendors.map((m) => ({
    line: m.line,
    vendor: m.vendor,
    catalog: m.catalog,
    brand: (m.catalog === 'aftermarket' ? m.distributor : m.manufacturer) ?? '',
    usePricing: m.usePricing,
    ...(m.partNumbers ? { partNumbers: m.partNumbers } : {}),
  }));
  if (flags.json) printJson({ ok: true, exitCode: code, ...result, vendors });
  else printConfigCheck(result, vendors, flags);
  return code;
}

export function printConfigCheck(r: ConfigCheckResult, vendors: Array<{ line: number; vendor: string; catalog: string; brand: string; usePricing: boolean; partNumbers?: object }>, flags: GlobalOptions): void {
  const c = colors(flags);
  out(`Config ${r.file}`);
  out('');
  out('Settings (source: file, env = environment variable, default):');
  const width = Math.max(...r.settings.map((s) => s.key.length));
  for (const s of r.settings) {
    const value = s.value === null ? '(not set)' : Array.isArray(s.value) ? `[${s.value.join(', ')}]` : String(s.value);
    out(`  ${s.key.padEnd(width)}  ${value.padEnd(34)}  ${s.source}`);
  }
  out(`  ${'vendors'.padEnd(width)}  ${vendors.length} rows${vendors.length ? ':' : ''}`);
  for (const v of vendors) {
    const rules = v.partNumbers ? `, partNumbers ${JSON.stringify(v.partNumbers)}` : '';
    out(`    line ${String(v.line).padStart(3)}  ${JSON.stringify(v.vendor)} → ${v.catalog} ${v.brand}${v.usePricing ? ', usePricing' : ''}${rules}`);
  }
  out('');
  out('Checks:');
  const mark = { ok: c.green('ok  '), warn: c.yellow('warn'), fail: c.red('FAIL'), skipped: 'skip' } as const;
  const nameWidth = Math.max(...r.checks.map((x) => x.name.length));
  for (const ch of r.checks) {
    out(`  ${mark[ch.status]}  ${ch.name.padEnd(nameWidth)}  ${ch.message}`);
    if (ch.hint && ch.status !== 'ok') out(`  ${''.padEnd(4)}  ${''.padEnd(nameWidth)}  ${ch.hint}`);
  }
  out('');
  out(r.passed ? c.green('All checks passed.') : c.red(`${r.checks.filter((x) => x.status === 'fail').length} check(s) failed.`));
}
