import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { CsvFileSync, CsvReport, reportPath, reportStamp, type Cell } from '../report/csv.js';
import type { ClearedSink, InterruptedRun } from '../store/types.js';
import { formatCents } from '../util/money.js';
import type { PlanRow, VendorCount } from './plan.js';

export const INVENTORY_REPORT_COLUMNS = ['vendor', 'item_number', 'status', 'catalog', 'match_key', 'old_qty', 'new_qty', 'old_price', 'new_price', 'note'] as const;

const price = (c: number | null | undefined) => (c === null || c === undefined ? null : formatCents(c));

/**
 * The run's CSV report, written row by row as the plan is made (memory does not grow with
 * the feed), and its unrecognized vendors as a second, short one.
 */
export class InventoryReportWriter {
  readonly path: string;
  private readonly csv: CsvReport;

  constructor(
    dir: string,
    at: Date,
    private readonly dryRun: boolean,
  ) {
    this.path = reportPath(dir, 'inventory', at, dryRun ? '-DRY-RUN' : '');
    this.csv = new CsvReport(this.path, INVENTORY_REPORT_COLUMNS);
  }

  async rows(rows: Iterable<PlanRow>): Promise<void> {
    const flag = this.dryRun ? 'DRY RUN: not applied' : '';
    for (const r of rows) {
      const note = r.notes.length === 0 ? flag : [flag, ...r.notes].filter(Boolean).join('; ');
      const full = this.csv.add([
        r.vendor,
        r.itemNumber,
        r.status,
        r.catalog ?? '',
        r.matchKey ?? '',
        r.oldQty,
        r.newQty,
        price(r.oldPriceCents),
        price(r.newPriceCents),
        note,
      ]);
      if (full) await this.csv.flush();
    }
  }

  /**
   * Close the report; write the unrecognized-vendors summary when there are any. A real run's
   * report stays `<path>.partial` until publishReport() after the commit: a run killed
   * between here and the commit must not leave a report of "updated 1 → 7" under a name that
   * looks applied (found by a break-it pass). The next run settles what it left.
   */
  async finish(unrecognizedVendors: VendorCount[], opts: { publish: boolean }): Promise<{ path: string; vendorsPath?: string }> {
    await this.csv.close({ publish: opts.publish });
    let vendorsPath: string | undefined;
    if (unrecognizedVendors.length > 0) {
      const v = new CsvReport(this.path.replace(/(-DRY-RUN)?\.csv$/, '-unrecognized-vendors$1.csv'), ['vendor', 'items', 'suggestion']);
      for (const u of unrecognizedVendors) {
        await v.write({ vendor: u.vendor, items: u.items, suggestion: u.suggestion ? `mapped as "${u.suggestion}": the config must use the feed's spelling` : '' });
      }
      vendorsPath = await v.close({ publish: opts.publish });
    }
    return { path: this.path, vendorsPath };
  }

  /** Give up on the report (the run failed before it was complete). */
  async abandon(): Promise<void> {
    await this.csv.abandon();
  }
}

/** Give a report finished with `publish: false` its name (after the apply committed), or another name (not applied). */
export function publishReport(reportFile: string, as: string = reportFile): void {
  renameSync(`${reportFile}.partial`, as);
}

/** The cleared list's name for a run's report. */
export const clearedListPath = (reportFile: string): string => reportFile.replace(/(-DRY-RUN)?\.csv$/, '-cleared$1.csv');

/** The .partial files in the reports folder (none when it cannot be read). */
function partialFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.startsWith('inventory-') && n.endsWith('.partial'));
  } catch {
    return [];
  }
}

/**
 * Files left under temporary names by inventory runs that were killed: the whole cleared
 * list of a run whose apply committed takes its real name; anything else such a run left
 * (a list of a clearing that never committed, a half-written report) is removed. Which
 * runs committed is the database's record (Store.markInterrupted), not a guess from files.
 */
export function settleInterruptedReports(dir: string, runs: InterruptedRun[]): string[] {
  const notes: string[] = [];
  const names = partialFiles(dir);
  for (const run of runs) {
    const prefix = `inventory-${reportStamp(new Date(run.startedAt))}`;
    // A run whose apply committed: its report and cleared list are complete.
    const keep = run.reportPath ? new Map([
      [`${path.basename(run.reportPath)}.partial`, 'report'],
      [`${path.basename(run.reportPath).replace(/\.csv$/, '-unrecognized-vendors.csv')}.partial`, 'unrecognized-vendors report'],
      [`${path.basename(clearedListPath(run.reportPath))}.partial`, 'cleared list'],
    ]) : new Map<string, string>();
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const file = path.join(dir, name);
      try {
        const what = keep.get(name);
        if (what) {
          renameSync(file, file.slice(0, -'.partial'.length));
          notes.push(`The ${what} of interrupted run #${run.id} is complete (its changes were committed): ${file.slice(0, -'.partial'.length)}`);
        } else {
          rmSync(file, { force: true });
          notes.push(`Removed ${file}, left by interrupted run #${run.id}${run.reportPath ? '' : ', whose changes were never committed'}`);
        }
      } catch {
        // left as it is; nothing depends on it
      }
    }
  }
  return notes;
}

/**
 * Dry runs keep no run record, so a killed one's .partial files are settled by age: one not
 * written to for an hour belongs to no running dry run (found by a break-it pass: they stayed
 * for good). Real runs' files are settled from the run record (settleInterruptedReports).
 */
export function removeAbandonedDryRunFiles(dir: string, now: Date, maxAgeMs = 60 * 60_000): string[] {
  const notes: string[] = [];
  for (const name of partialFiles(dir)) {
    if (!name.includes('DRY-RUN')) continue;
    const file = path.join(dir, name);
    try {
      if (now.getTime() - statSync(file).mtimeMs < maxAgeMs) continue;
      rmSync(file, { force: true });
      notes.push(`Removed ${file}, left by a dry run that was killed`);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return notes;
}

/**
 * The products a pull with clearing zeroes (or, in a dry run, would zero): who lost stock,
 * and how much. Rows come from the store while it clears (FeedStage.apply), so they are
 * written synchronously; done() finishes the file before the commit (a write error rolls the
 * clearing back) and publish() names it after the commit. There is a file only when there is a row.
 */
export class ClearedList implements ClearedSink {
  readonly file: string;
  path?: string;
  private csv?: CsvFileSync;
  private readonly cells: Cell[];

  constructor(reportPath: string, dryRun: boolean) {
    this.file = clearedListPath(reportPath);
    this.cells = ['', '', '', 0, 0, dryRun ? 'DRY RUN: would be cleared' : 'cleared: not in the feed'];
  }

  row(catalog: string, brand: string, partNumber: string, qty: number): void {
    this.csv ??= new CsvFileSync(this.file, ['catalog', 'brand', 'part_number', 'old_qty', 'new_qty', 'note']);
    const c = this.cells;
    c[0] = catalog;
    c[1] = brand;
    c[2] = partNumber;
    c[3] = qty;
    this.csv.add(c);
  }

  /** Called by the store inside the clearing transaction: the list is written whole, under its temporary name. */
  done(): void {
    this.csv?.finish();
  }

  /**
   * After the commit: the list takes its real name. A process killed between the commit and
   * this leaves the whole list as `…-cleared.csv.partial`; never a list of a clearing that
   * did not happen. Returns false when the rename failed (the list stays under the temporary name).
   */
  publish(): boolean {
    if (!this.csv || this.path !== undefined) return true;
    try {
      this.path = this.csv.publish();
      return true;
    } catch {
      this.path = `${this.file}.partial`;
      return false;
    }
  }

  /** The run did not complete: no list of a clearing that did not happen. */
  abandon(): void {
    this.csv?.abandon();
    this.path = undefined;
  }
}
