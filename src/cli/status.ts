import { EXIT } from '../errors.js';
import { formatInZone } from '../schedule/zone.js';
import type { JobStatus, RunView, StatusReport } from '../status/status.js';
import { cliClock, loadCliConfig } from './context.js';
import { colors, fmtDuration, fmtInt, out, printJson, type GlobalOptions } from './output.js';

export async function statusCommand(flags: GlobalOptions): Promise<number> {
  const config = loadCliConfig(flags);
  const now = cliClock()();
  const { openStore } = await import('../store/open.js');
  const { collectStatus } = await import('../status/collect.js');
  const store = await openStore(config);
  try {
    const report = await collectStatus(config, store, now);
    const code = report.healthy ? EXIT.OK : EXIT.NEEDS_ATTENTION;
    if (flags.json) printJson({ ok: true, exitCode: code, ...report });
    else printStatus(report, flags);
    return code;
  } finally {
    await store.close();
  }
}

function ago(ms: number): string {
  if (ms < 0) return 'in the future';
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 48 * 3_600_000) return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min ago`;
  return `${Math.floor(ms / 86_400_000)} days ago`;
}

function countsText(counts: Record<string, unknown>): string {
  return Object.entries(counts)
    // A dry run's statuses (would send, would check) are always 0 in a real run's record: not shown then.
    .filter(([k, v]) => typeof v === 'number' && k !== 'durationMs' && !(k.startsWith('would_') && v === 0))
    .map(([k, v]) => `${k.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`)} ${fmtInt(v as number)}`)
    .join(', ');
}

function runLines(label: string, r: RunView | null, tz: string): string[] {
  if (!r) return [`  ${label.padEnd(13)} none recorded`];
  const when = formatInZone(new Date(r.startedAt), tz);
  const took = r.durationMs !== null ? `, took ${fmtDuration(r.durationMs)}` : '';
  const lines = [`  ${label.padEnd(13)} ${when} (${ago(r.ageMs)})${took}: ${r.status}`];
  const counts = countsText(r.counts);
  if (counts) lines.push(`  ${''.padEnd(13)} ${counts}`);
  // A skipped run keeps its reason where a failed one keeps its error.
  if (r.error) lines.push(`  ${''.padEnd(13)} ${r.status === 'skipped' ? 'reason' : 'error'}: ${r.error}`);
  if (r.reportPath) lines.push(`  ${''.padEnd(13)} report: ${r.reportPath}`);
  return lines;
}

function jobLines(title: string, j: JobStatus, report: StatusReport, flags: GlobalOptions): string[] {
  const c = colors(flags);
  const lines = [`${title}: ${j.healthy ? c.green('healthy') : c.red('UNHEALTHY')}`];
  lines.push(...runLines('last run', j.lastRun, report.timeZone));
  if (j.lastRunInterrupted) lines.push(`  ${''.padEnd(13)} ${c.yellow('it did not finish: the process crashed or was killed (no live lock holder)')}`);
  if (j.lastSuccess && j.lastSuccess.id === j.lastRun?.id) lines.push(`  ${'last success'.padEnd(13)} the same run`);
  else lines.push(...runLines('last success', j.lastSuccess, report.timeZone));
  if (j.futureRun) {
    lines.push(
      `  ${'note'.padEnd(13)} ${c.yellow(
        `a run is recorded at ${formatInZone(new Date(j.futureRun.startedAt), report.timeZone)}, in the future (${j.futureRun.status}): a clock was ahead when it was recorded; it is not counted`,
      )}`,
    );
  }
  if (j.lock) {
    const held = `held by pid ${j.lock.pid} on ${j.lock.host} since ${formatInZone(new Date(j.lock.acquiredAt), report.timeZone)}, last heartbeat ${formatInZone(new Date(j.lock.heartbeatAt), report.timeZone)}`;
    lines.push(`  ${'lock'.padEnd(13)} ${held}${j.lock.stale ? c.yellow(' (stale: the next run takes it over)') : ''}`);
  } else {
    lines.push(`  ${'lock'.padEnd(13)} free`);
  }
  if (j.scheduleError) lines.push(`  ${'next runs'.padEnd(13)} ${c.yellow(j.scheduleError)}`);
  else {
    const same = report.timeZone === report.localTimeZone;
    j.nextRuns.forEach((n, i) => lines.push(`  ${(i === 0 ? 'next runs' : '').padEnd(13)} ${n.zoned}${same ? '' : `  (local: ${n.local})`}`));
    if (j.nextRuns.length === 0) lines.push(`  ${'next runs'.padEnd(13)} none`);
  }
  for (const p of j.problems) lines.push(`  ${c.red('problem:')} ${p}`);
  for (const w of j.warnings) lines.push(`  ${c.yellow('warning:')} ${w}`);
  return lines;
}

export function printStatus(report: StatusReport, flags: GlobalOptions): void {
  const c = colors(flags);
  out(`lizzy-sync status at ${report.nowZoned}${report.localTimeZone !== report.timeZone ? ` (local: ${formatInZone(new Date(report.now), report.localTimeZone)})` : ''}: ${report.healthy ? `${c.green('healthy')}${report.warnings.length ? c.yellow(`, with ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}`) : ''}` : c.red('UNHEALTHY')}`);
  out('');
  for (const l of jobLines('Inventory pull', report.inventory, report, flags)) out(l);
  out('');
  const o = report.orders.orders;
  const ordLines = jobLines('Order push', report.orders, report, flags);
  if (o) {
    ordLines.splice(
      1,
      0,
      `  ${'orders'.padEnd(13)} ${fmtInt(o.pending)} pending, ${fmtInt(o.sending)} sending (outcome unknown), ${fmtInt(o.needsAttention)} need attention, ${fmtInt(o.expired)} expired (placed more than ${o.lookbackDays} days ago, never sent)`,
    );
  }
  for (const l of ordLines) out(l);
}
