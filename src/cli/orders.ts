import path from 'node:path';
import { requireApiKey } from '../config/load.js';
import { EXIT, UsageError } from '../errors.js';
import type { OrderImportSummary } from '../orders/import.js';
import type { OrderPushResult, OrderPushSummary } from '../orders/push.js';
import type { OrderReportStatus } from '../orders/report.js';
import { describeInstant } from '../orders/select.js';
import { cliClock, loadCliConfig } from './context.js';
import { openRunLog } from './run-log.js';
import { cliLogger, colors, err, fmtDuration, fmtCount, fmtInt, out, printJson, reportError, type GlobalOptions } from './output.js';

export async function ordersImportCommand(file: string, flags: GlobalOptions): Promise<number> {
  const config = loadCliConfig(flags);
  const clock = cliClock();
  const log = await cliLogger(flags);
  const { openStore } = await import('../store/open.js');
  const { importOrdersFile } = await import('../orders/import.js');
  const store = await openStore(config);
  try {
    log.progress(`Importing ${file}`);
    const s = await importOrdersFile(store, path.resolve(file), clock);
    log.stop();
    const code = s.bad.length > 0 ? EXIT.NEEDS_ATTENTION : EXIT.OK;
    if (flags.json) printJson({ ok: true, exitCode: code, ...s });
    else printImportSummary(s, flags);
    return code;
  } finally {
    log.stop();
    await store.close();
  }
}

export function printImportSummary(s: OrderImportSummary, flags: GlobalOptions): void {
  const c = colors(flags);
  const parts = [`${fmtInt(s.added)} new`, `${fmtInt(s.updated)} updated`, `${fmtInt(s.unchanged)} unchanged`];
  if (s.markedSent) parts.push(`${fmtInt(s.markedSent)} marked as already sent`);
  if (s.keptSent.length) parts.push(`${fmtInt(s.keptSent.length)} already sent and left as sent`);
  if (s.keptSending.length) parts.push(`${fmtInt(s.keptSending.length)} being sent and left alone`);
  if (s.bad.length) parts.push(c.yellow(`${fmtCount(s.bad.length, 'bad order')} skipped`));
  out(`Orders import of ${s.file}: ${fmtCount(s.orders, 'order')}: ${parts.join(', ')}.`);
  const name = path.basename(s.file);
  if (s.keptSent.length) {
    err(c.yellow(`warning: these orders changed in the file but were already sent to Lizzy, so the mirror keeps what was sent; change them in Lizzy by hand if needed: ${s.keptSent.join(', ')}`));
  }
  if (s.keptSending.length) {
    err(c.yellow(`warning: these orders changed in the file but are being sent (outcome unknown); import again after the next push: ${s.keptSending.join(', ')}`));
  }
  for (const w of s.warnings.slice(0, 20)) err(c.yellow(`warning: ${name}: order ${w.position}${w.orderNumber ? ` (${w.orderNumber})` : ''}: ${w.message}`));
  if (s.warnings.length > 20) err(`  ... and ${s.warnings.length - 20} more warnings (use --json for the full list)`);
  for (const b of s.bad.slice(0, 50)) err(`skipped: ${name}: order ${b.position}${b.orderNumber ? ` (${b.orderNumber})` : ''}: ${b.message}`);
  if (s.bad.length > 50) err(`  ... and ${s.bad.length - 50} more (use --json for the full list)`);
}

export interface PushFlags extends GlobalOptions {
  dryRun?: boolean;
  showPersonal?: boolean;
  since?: string;
  scheduled?: boolean;
}

export async function ordersPushCommand(flags: PushFlags): Promise<number> {
  if (flags.showPersonal && !flags.dryRun) {
    // It only unmasks the payloads a dry run prints; with a real push it would look like a choice that did something.
    throw new UsageError('--show-personal only goes with --dry-run (it shows the personal details a dry run masks); a real push prints no payloads.');
  }
  const config = loadCliConfig(flags);
  const clock = cliClock();
  const runLog = openRunLog(config, 'orders', { dryRun: flags.dryRun, now: clock });
  const log = await cliLogger(flags);
  const { openStore } = await import('../store/open.js');
  const { runOrderPush } = await import('../orders/push.js');
  const { clientFor } = await import('../inventory/pull.js');
  const store = await openStore(config);
  const deadline = AbortSignal.timeout(config.runTimeoutMinutes * 60_000);
  try {
    if (flags.scheduled) {
      const { gate, lastFinishedRun } = await import('../schedule/gate.js');
      const at = clock();
      const g = gate(config, 'orders', at, await lastFinishedRun(store, 'orders', at));
      if (!g.due) {
        log.stop();
        runLog.finished({ status: 'skipped', message: g.reason, fields: { exitCode: EXIT.OK } });
        if (flags.json) printJson({ ok: true, exitCode: EXIT.OK, job: 'orders', status: 'skipped', skippedReason: g.reason });
        else out(`Order push skipped: ${g.reason}.`);
        return EXIT.OK;
      }
    }
    let result: OrderPushResult;
    try {
      // After the schedule's gate, inside the logged run: a run not due needs no key, and a
      // missing key is a logged failure (new-user walkthrough). A dry run calls nothing.
      const apiKey = flags.dryRun ? undefined : requireApiKey(config);
      result = await runOrderPush(config, store, apiKey ? clientFor(config, apiKey, deadline) : undefined, {
        clock,
        log,
        dryRun: flags.dryRun,
        showPersonal: flags.showPersonal,
        since: flags.since,
        signal: deadline,
      });
    } catch (e) {
      runLog.failed(e);
      throw e;
    }
    log.stop();
    const code = exitFor(result);
    const sc = result.summary.counts;
    runLog.finished({
      status: result.summary.status,
      message: `sent ${sc.sent}, failed ${sc.failed}, needs attention ${sc.needs_attention}, expired ${sc.expired}; ${result.summary.requests} requests${result.error ? `; ${result.error.message}` : ''}${
        result.summary.reportPath ? `; report ${result.summary.reportPath}` : ''
      }`,
      fields: { exitCode: code, runId: result.summary.runId, counts: sc, requests: result.summary.requests, reportPath: result.summary.reportPath },
    });
    if (flags.json) {
      printJson({ ok: !result.error, exitCode: code, ...result.summary });
      if (result.error) reportError(result.error, { ...flags, json: false });
    } else {
      printPushSummary(result.summary, flags);
      if (result.error) reportError(result.error, flags);
    }
    return code;
  } finally {
    log.stop();
    await store.close();
  }
}

function exitFor(r: OrderPushResult): number {
  if (r.error) return r.error.exitCode;
  return r.summary.status === 'needs_attention' ? EXIT.NEEDS_ATTENTION : EXIT.OK;
}

const LABELS: Array<[OrderReportStatus, string]> = [
  ['sent', 'sent'],
  ['confirmed', 'confirmed (Lizzy already had them)'],
  ['failed', 'failed (tried again next run)'],
  ['needs_attention', 'needs attention'],
  ['unknown', 'outcome unknown (checked next run)'],
  ['pending', 'not tried (run stopped)'],
  ['in_flight', 'in flight, or too recent to check with Lizzy'],
  ['expired', 'expired (never sent, older than the window)'],
  ['already_sent', 'skipped as already sent'],
  ['would_send', 'would be sent'],
  ['would_check', 'would be checked with Lizzy first'],
];
/** Always shown, even at 0 (the others only when they happen). */
const ALWAYS: OrderReportStatus[] = ['sent', 'failed', 'needs_attention', 'expired', 'already_sent'];

export function printPushSummary(s: OrderPushSummary, flags: PushFlags): void {
  const c = colors(flags);
  if (s.dryRun) out(c.cyan('DRY RUN: nothing was sent to Lizzy and nothing was written to the database.'));
  const verdict =
    s.status === 'failed'
      ? c.red('stopped (see the error below)')
      : s.status === 'needs_attention'
        ? c.yellow(s.reportError ? 'needs attention (the report could not be written)' : 'needs attention (see the report)')
        : c.green('success');
  out(`Order push ${s.dryRun ? 'planned' : 'finished'} in ${fmtDuration(s.durationMs)}: ${verdict}`);
  const w = s.window;
  const lookback = `the last ${w.lookbackDays} days in ${w.timeZone}`;
  if (w.start !== w.defaultStart) {
    out(`  Window: orders placed since ${describeInstant(w.start, w.timeZone)} (--since ${w.since}; without it, ${lookback})`);
  } else {
    // --since only ever widens the window: a later date holds nothing back.
    const ignored = w.since !== undefined ? ` (--since ${w.since} is inside that window, so it changes nothing: --since only sends older orders too)` : '';
    out(`  Window: orders placed since ${describeInstant(w.start, w.timeZone)}, ${lookback}${ignored}`);
  }
  const shown = LABELS.filter(([k]) => (s.dryRun ? k !== 'sent' && k !== 'failed' : k !== 'would_send' && k !== 'would_check')).filter(
    ([k]) => ALWAYS.includes(k) || s.counts[k] > 0,
  );
  const width = Math.max(...shown.map(([, l]) => l.length));
  for (const [k, label] of shown) out(`  ${label.padEnd(width)}  ${fmtInt(s.counts[k]).padStart(6)}`);
  if (!s.dryRun) {
    const sizes = s.batches.filter((b) => !b.single).map((b) => b.orders.length);
    out(`  Requests to Lizzy: ${fmtInt(s.requests)}${sizes.length ? ` (batches of ${sizes.join(', ')}${s.batches.some((b) => b.single) ? ', plus one-by-one retries' : ''})` : ''}`);
  }
  const list = (status: OrderReportStatus, title: string, withError: boolean) => {
    const rows = s.orders.filter((o) => o.status === status);
    if (rows.length === 0) return;
    out(`  ${title}:`);
    for (const o of rows.slice(0, 20)) out(`    ${o.orderNumber}  attempts ${o.attempts}${withError && o.error ? `  ${o.error}` : ''}`);
    if (rows.length > 20) out(`    ... and ${rows.length - 20} more (see the report)`);
  };
  list('needs_attention', 'Needs attention (still not sent after orders.maxAttempts attempts; tried again every run)', true);
  list('failed', 'Failed in this run', true);
  list('unknown', 'Outcome unknown', false);
  if (s.dryRun) {
    for (const b of s.batches) {
      out('');
      out(`  Batch ${b.batch} (${b.orders.length} orders): POST /submitorder payload=`);
      out(
        JSON.stringify(b.payload, null, 2)
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
      );
    }
    if (s.batches.length > 0 && !flags.showPersonal) out(`  (names, e-mails, phones and street addresses are masked; --show-personal shows them)`);
  }
  if (s.reportPath) out(`  Report: ${s.reportPath}`);
  else if (s.reportError) out(`  Report: NOT WRITTEN (${s.reportError})`);
}
