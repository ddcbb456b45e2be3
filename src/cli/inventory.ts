import { createWriteStream, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { requireApiKey } from '../config/load.js';
import { EXIT, InputError } from '../errors.js';
import type { InventorySummary } from '../inventory/pull.js';
import { STATUSES } from '../inventory/plan.js';
import { checkOutputFile } from '../util/output-file.js';
import { redact } from '../util/redact.js';
import { cliClock, loadCliConfig } from './context.js';
import { openRunLog } from './run-log.js';
import { cliLogger, colors, fmtDuration, fmtInt, out, printJson, type GlobalOptions } from './output.js';

export interface PullFlags extends GlobalOptions {
  dryRun?: boolean;
  force?: boolean;
  anyDay?: boolean;
  scheduled?: boolean;
}

export async function inventoryPullCommand(flags: PullFlags): Promise<number> {
  const config = loadCliConfig(flags);
  const clock = cliClock();
  const runLog = openRunLog(config, 'inventory', { dryRun: flags.dryRun, now: clock });
  const log = await cliLogger(flags);
  const { openStore } = await import('../store/open.js');
  const { runInventoryPull, clientFor } = await import('../inventory/pull.js');
  const store = await openStore(config);
  const deadline = AbortSignal.timeout(config.runTimeoutMinutes * 60_000);
  try {
    let summary: InventorySummary;
    try {
      summary = await runInventoryPull(config, store, () => clientFor(config, requireApiKey(config), deadline), {
        clock,
        log,
        dryRun: flags.dryRun,
        force: flags.force,
        anyDay: flags.anyDay,
        scheduled: flags.scheduled,
        signal: deadline,
      });
    } catch (e) {
      runLog.failed(e);
      throw e;
    }
    const c = summary.counts;
    runLog.finished({
      status: summary.status,
      message:
        summary.status === 'skipped'
          ? (summary.skippedReason ?? 'skipped')
          : `feed ${summary.feedItems}, updated ${c.updated}, unchanged ${c.unchanged}, not found ${c.not_found}, unrecognized vendor ${c.unrecognized_vendor}, invalid ${c.invalid}, cleared ${summary.cleared}; report ${summary.reportPath}`,
      fields: { exitCode: exitFor(summary), runId: summary.runId, counts: summary.counts, cleared: summary.cleared, reportPath: summary.reportPath },
    });
    log.stop();
    if (flags.json) printJson({ ok: true, exitCode: exitFor(summary), ...summary });
    else printPullSummary(summary, flags);
    return exitFor(summary);
  } finally {
    log.stop();
    await store.close();
  }
}

function exitFor(s: InventorySummary): number {
  // A dry run that a real run's guard would stop is something to look at (exit 1).
  return s.status === 'needs_attention' || s.guard ? EXIT.NEEDS_ATTENTION : EXIT.OK;
}

const LABELS: Record<(typeof STATUSES)[number], string> = {
  updated: 'updated',
  unchanged: 'unchanged',
  not_found: 'not found in catalog',
  unrecognized_vendor: 'unrecognized vendor',
  invalid: 'invalid',
};

export function printPullSummary(s: InventorySummary, flags: GlobalOptions): void {
  const c = colors(flags);
  if (s.status === 'skipped') {
    out(`Inventory pull skipped: ${s.skippedReason}.`);
    return;
  }
  const head = s.dryRun ? c.cyan('DRY RUN: nothing was written to the database.') : '';
  if (head) out(head);
  const verdict = s.guard
    ? c.red(`a real run would be REFUSED and change nothing: ${s.guard.replace(/\s*Nothing was changed\.?/, '')}`)
    : s.status === 'needs_attention'
      ? c.yellow(`needs attention (${s.counts.invalid} invalid items, see the report)`)
      : c.green('success');
  out(`Inventory pull ${s.dryRun ? 'planned' : 'finished'} in ${fmtDuration(s.durationMs)}: ${verdict}`);
  out(`  Lizzy feed: ${fmtInt(s.feedItems)} items changed since ${s.modifiedSince}${s.duplicates ? ` (${fmtInt(s.duplicates)} duplicates: the later one kept)` : ''}`);
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  for (const st of STATUSES) out(`  ${LABELS[st].padEnd(width)}  ${fmtInt(s.counts[st]).padStart(8)}`);
  out(
    `  Products matched: ${fmtInt(s.matchedProducts)}${
      s.dryRun
        ? `, would be cleared to 0: ${fmtInt(s.cleared)}`
        : `, changed: ${fmtInt(s.productsUpdated)}, cleared to 0: ${fmtInt(s.cleared)}, queued for re-index: ${fmtInt(s.reindexQueued)}`
    }`,
  );
  if (s.unrecognizedVendors.length > 0) {
    const top = s.unrecognizedVendors.slice(0, 8).map((v) => `${JSON.stringify(v.vendor)} (${fmtInt(v.items)}${v.suggestion ? `; mapped as ${JSON.stringify(v.suggestion)}: the config must use the feed's spelling` : ''})`);
    const more = s.unrecognizedVendors.length > 8 ? `, and ${s.unrecognizedVendors.length - 8} more` : '';
    out(`  Unrecognized vendors: ${top.join(', ')}${more}`);
  }
  if (s.reportPath) out(`  Report: ${s.reportPath}`);
  if (s.vendorsReportPath) out(`  Unrecognized vendors: ${s.vendorsReportPath}`);
  if (s.clearedReportPath) out(`  ${s.dryRun ? 'Would be cleared' : 'Cleared'}: ${s.clearedReportPath}`);
}

export async function inventoryFetchCommand(flags: GlobalOptions & { out: string }): Promise<number> {
  const config = loadCliConfig(flags);
  const apiKey = requireApiKey(config);
  const clock = cliClock();
  const log = await cliLogger(flags);
  const { clientFor, modifiedSinceFor } = await import('../inventory/pull.js');
  const since = modifiedSinceFor(config, clock());
  const client = clientFor(config, apiKey, AbortSignal.timeout(config.runTimeoutMinutes * 60_000));
  const file = path.resolve(flags.out);
  checkOutputFile('--out', flags.out);
  // Collect first: a failed fetch must not leave a half-written feed file behind.
  let elements: string[] = [];
  let redacted = false;
  // The saved feed is a file like any other: the API key never goes into it (text values
  // are redacted before they are encoded, then the encoded item as a whole).
  const hideKey = (_k: string, val: unknown) => (typeof val === 'string' ? redact(val) : val);
  const res = await client.fetchInventoryFeed(since, {
    begin: () => {
      elements = [];
      redacted = false;
    },
    element: (v) => {
      const plain = JSON.stringify(v);
      const text = redact(JSON.stringify(v, hideKey));
      if (text !== plain) redacted = true;
      elements.push(text);
    },
  });
  // Written under a temporary name and renamed when complete: never a truncated feed file.
  const tmp = `${file}.partial`;
  const ws = createWriteStream(tmp);
  ws.write('[\n');
  elements.forEach((e, i) => ws.write(`${e}${i < elements.length - 1 ? ',' : ''}\n`));
  ws.end(']\n');
  try {
    await finished(ws);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`Cannot write ${file}: ${(e as Error).message}`);
  }
  log.stop();
  if (redacted) log.warn('Some feed text contains the Lizzy API key; it is saved as *** (the key never leaves lizzy-sync).');
  if (flags.json) printJson({ ok: true, exitCode: EXIT.OK, file, items: res.items, modifiedSince: since, redacted });
  else out(`Saved ${fmtInt(res.items)} feed items (changed since ${since}) to ${file}`);
  return EXIT.OK;
}
