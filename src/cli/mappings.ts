import { EXIT } from '../errors.js';
import type { ValidationResult } from '../mappings/validate.js';
import { cliClock, loadCliConfig } from './context.js';
import { cliLogger, colors, fmtInt, out, printJson, type GlobalOptions } from './output.js';

export interface ValidateFlags extends GlobalOptions {
  feed?: string;
  report?: string;
}

export async function mappingsValidateCommand(flags: ValidateFlags): Promise<number> {
  const config = loadCliConfig(flags);
  const clock = cliClock();
  const log = await cliLogger(flags);
  const { readFeedFile, fetchLiveFeed } = await import('../mappings/feed-source.js');
  const { runMappingsValidate } = await import('../mappings/validate-run.js');
  const { writeValidationReport } = await import('../mappings/report.js');
  const { openStore } = await import('../store/open.js');
  // A bad --feed file is a usage problem: find out before opening anything.
  const saved = flags.feed ? readFeedFile(flags.feed) : undefined;
  const store = await openStore(config);
  try {
    const feed = saved ?? (await fetchLiveFeed(config, clock, log));
    log.progress('Checking the mappings');
    const result = await runMappingsValidate(config, store, feed);
    const reportPath = flags.report ? await writeValidationReport(flags.report, result) : undefined;
    log.stop();
    const code = result.clean ? EXIT.OK : EXIT.NEEDS_ATTENTION;
    if (flags.json) printJson({ ok: true, exitCode: code, ...result, ...(reportPath ? { reportPath } : {}) });
    else printValidation(result, flags, reportPath);
    return code;
  } finally {
    log.stop();
    await store.close();
  }
}

function table(rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (align[i] === 'r' ? cell.padStart(widths[i]!) : i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function printValidation(r: ValidationResult, flags: GlobalOptions, reportPath?: string): void {
  const c = colors(flags);
  const feed = r.feed
    ? r.feed.kind === 'live'
      ? `Lizzy's live feed: ${fmtInt(r.feed.items)} items changed since ${r.feed.modifiedSince}, ${fmtInt(r.feed.vendors)} vendor name${r.feed.vendors === 1 ? '' : 's'}`
      : `the saved feed ${r.feed.file}: ${fmtInt(r.feed.items)} items, ${fmtInt(r.feed.vendors)} vendor name${r.feed.vendors === 1 ? '' : 's'}`
    : 'no feed';
  out(`Vendor mappings in ${r.configFile}: ${r.mappingRows} row${r.mappingRows === 1 ? '' : 's'}, checked against the catalog (${fmtInt(r.catalogProducts)} products) and ${feed}.`);

  const errors = r.problems.filter((p) => p.severity === 'error');
  const warnings = r.problems.filter((p) => p.severity === 'warning');
  for (const [title, list, paint] of [
    ['Errors', errors, c.red],
    ['Warnings', warnings, c.yellow],
  ] as const) {
    if (list.length === 0) continue;
    out('');
    out(paint(`${title} (${list.length}):`));
    for (const p of list) {
      out(`  ${paint(p.severity === 'error' ? 'error  ' : 'warning')} ${p.message}`);
      if (p.fix) out(`          fix: ${p.fix}`);
    }
  }

  if (r.rows.length > 0) {
    out('');
    out(r.feed ? 'Mapping rows: how many of the vendor\'s feed items find a catalog product' : 'Mapping rows:');
    const head = r.feed
      ? ['line', 'vendor', 'catalog', 'brand', 'products', 'feed items', 'matched', 'not found', 'unmatched, e.g.']
      : ['line', 'vendor', 'catalog', 'brand', 'products'];
    const body = r.rows.map((s) => {
      const base = [String(s.line), JSON.stringify(s.vendor), s.catalog, s.brand + (s.partNumbers ? ` (${s.partNumbers})` : ''), fmtInt(s.catalogProducts)];
      if (!r.feed) return base;
      if (s.duplicateOf !== undefined) return [...base, '', '', '', `repeats line ${s.duplicateOf}; ignored`];
      const extra = [s.unmatchedExamples.slice(0, 3).join(', '), s.ambiguous ? `${s.ambiguous} ambiguous` : ''].filter(Boolean).join('; ');
      return [...base, fmtInt(s.feedItems), fmtInt(s.matched), fmtInt(s.notFound), extra];
    });
    for (const line of table([head, ...body], ['r', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'l'])) out(`  ${line}`);
  }

  if (r.unmappedVendors.length > 0) {
    out('');
    out('Vendors in the feed that no row maps (most items first; exact spelling in quotes):');
    const body = r.unmappedVendors.map((v) => [JSON.stringify(v.vendor), fmtInt(v.items), v.suggestion ? `near miss of ${JSON.stringify(v.suggestion)}` : '']);
    for (const line of table(body, ['l', 'r', 'l'])) out(`  ${line}`);
  }
  if (r.missingVendors.length > 0) {
    out('');
    out(`Mapped vendors that never appear in the feed: ${r.missingVendors.map((v) => `${JSON.stringify(v.vendor)} (line ${v.lines.join(', ')})`).join(', ')}`);
  }
  if (r.yamlSnippet) {
    out('');
    out('To map them, paste under "vendors:" (fill in any CHANGE-ME, then run mappings validate again):');
    out('');
    out(r.yamlSnippet);
  }
  out('');
  const verdict = r.clean
    ? c.green(`No problems${r.warnings ? ` (${r.warnings} warning${r.warnings === 1 ? '' : 's'})` : ''}.`)
    : c.red(`${r.errors} problem${r.errors === 1 ? '' : 's'}${r.warnings ? `, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}` : ''}.`);
  out(verdict);
  if (reportPath) out(`Report: ${reportPath}`);
}
