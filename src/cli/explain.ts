import { requireApiKey } from '../config/load.js';
import { EXIT, UsageError } from '../errors.js';
import type { Explanation } from '../mappings/explain.js';
import { cliClock, loadCliConfig } from './context.js';
import { colors, fmtInt, out, printJson, type GlobalOptions } from './output.js';

export interface ExplainFlags extends GlobalOptions {
  vendor: string;
  item: string;
  feed?: string;
}

export async function explainCommand(flags: ExplainFlags): Promise<number> {
  if (flags.vendor === '' || flags.item === '') throw new UsageError('explain needs --vendor NAME and --item NUMBER, exactly as Lizzy writes them (quote names with spaces).');
  const config = loadCliConfig(flags);
  const now = cliClock()();
  const { openStore } = await import('../store/open.js');
  const { runExplain } = await import('../mappings/explain-run.js');
  const { clientFor } = await import('../inventory/pull.js');
  const source = flags.feed
    ? ({ kind: 'file', file: flags.feed } as const)
    : ({ kind: 'live', client: clientFor(config, requireApiKey(config), AbortSignal.timeout(config.lizzy.timeoutSeconds * 1000 * (config.lizzy.retries + 1))) } as const);
  const store = await openStore(config);
  try {
    const x = await runExplain(config, store, { vendor: flags.vendor, itemNumber: flags.item }, source, now);
    const code = x.applies ? EXIT.OK : EXIT.NEEDS_ATTENTION;
    if (flags.json) printJson({ ok: true, exitCode: code, ...x });
    else printExplanation(x, flags);
    return code;
  } finally {
    await store.close();
  }
}

export function printExplanation(x: Explanation, flags: GlobalOptions): void {
  const c = colors(flags);
  out(`Part ${JSON.stringify(x.itemNumber)} of vendor ${JSON.stringify(x.vendor)}`);
  out('');
  const from = x.lizzy.source === 'live' ? 'Lizzy (/inventoryitem)' : `the saved feed ${x.lizzy.file}`;
  if (!x.lizzy.found) out(`1. What Lizzy says, from ${from}: nothing; it has no such part under this vendor name.`);
  else {
    out(`1. What Lizzy says, from ${from}:`);
    if (x.lizzy.description !== undefined) out(`     description    ${x.lizzy.description}`);
    out(`     quantity       ${x.lizzy.quantity !== undefined ? fmtInt(x.lizzy.quantity) : c.yellow(x.lizzy.invalid ?? 'unusable')}`);
    out(`     list price     ${x.lizzy.listPrice ?? `none (${x.lizzy.priceProblem ?? 'not sent'})`}`);
    if (x.lizzy.lastModified) out(`     last modified  ${x.lizzy.lastModified}${x.inNextFeed === false ? c.yellow(' (older than the next pull asks for)') : ''}`);
    for (const n of x.lizzy.notes) out(`     note           ${n}`);
  }
  out('');
  if (x.rows.length === 0) {
    out(`2. Mapping rows for ${JSON.stringify(x.vendor)}: none${x.vendorSuggestion ? ` (a row names ${JSON.stringify(x.vendorSuggestion)}: names must match exactly)` : ''}.`);
  } else {
    out(`2. Mapping rows for ${JSON.stringify(x.vendor)} and the catalog product each one finds:`);
    for (const r of x.rows) {
      const rule = r.partNumbers ? `, partNumbers: ${r.partNumbers}, compared as ${JSON.stringify(r.comparedAs)}` : ', exact part number';
      out(`   ${x.configFile}:${r.line}  ${r.catalog} ${r.brand}${rule}${r.usePricing ? ', usePricing' : ''}`);
      if (r.product) {
        out(`     product        ${r.brand} ${r.product.partNumber}${r.product.description ? ` (${r.product.description})` : ''}: shelf quantity ${fmtInt(r.product.shelfQty)}, list price ${r.product.listPrice ?? 'none'}`);
      } else if (r.ambiguous) {
        out(`     product        ${c.yellow(`ambiguous: ${r.ambiguous.map((p) => JSON.stringify(p)).join(', ')}`)}`);
      } else {
        out(`     product        ${c.yellow('none')} (${fmtInt(r.brandProducts)} ${r.catalog} products of ${r.brand} in the catalog)`);
        for (const m of r.closest ?? []) out(`     closest        ${JSON.stringify(m.partNumber)}${m.hint ? `: ${m.hint}` : ` (${m.distance} character${m.distance === 1 ? '' : 's'} different)`}`);
      }
      const o = r.outcome;
      const qty = o.oldQty !== undefined && o.newQty !== undefined ? `: quantity ${o.oldQty} → ${o.newQty}` : '';
      const price = o.newPrice !== undefined && o.newPrice !== o.oldPrice ? `, list price ${o.oldPrice ?? 'none'} → ${o.newPrice}` : '';
      out(`     next pull      ${o.status}${qty}${price}`);
    }
  }
  out('');
  out('3. Why:');
  for (const v of x.verdict) out(`   ${v}`);
}
