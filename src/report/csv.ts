import { closeSync, createWriteStream, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { ConfigError, StoreError } from '../errors.js';
import { checkOutputFile } from '../util/output-file.js';
import { redact } from '../util/redact.js';
import { makeDir } from '../util/make-dir.js';

/**
 * A cell that a spreadsheet would run as a formula gets a leading apostrophe. Only text is
 * touched: numbers stay numbers, so a -3 quantity is still a number.
 */
export function neutralise(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const red = redact(value);
  return FORMULA.test(red) ? `'${red}` : red;
}

export type Cell = string | number | null | undefined;

/** Text kept before it is written: one write per batch of rows. */
const BATCH_CHARS = 64 * 1024;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

/**
 * One CSV cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line
 * break, quotes doubled; numbers as JavaScript prints them; null and undefined empty.
 * (The same text csv-stringify writes for these cells, which the tests check, at a third of
 * its cost: a pull writes a row per feed item and one per cleared product.)
 *
 * With `neutraliseText`, formula-looking text gets its apostrophe. Text that quoting
 * changes is redacted here, before quotes are doubled; the rest is redacted by the batch it
 * is written in (CsvReport), where it stands verbatim: one search per 64 KB instead of one
 * per cell. Every file is redacted, data exports included: the API key never leaves the tool.
 */
export function csvCell(value: Cell, neutraliseText = true): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (!NEEDS_QUOTES.test(value)) return neutraliseText && FORMULA.test(value) ? `'${value}` : value;
  const text = neutraliseText ? (neutralise(value) as string) : redact(value);
  return `"${text.replaceAll('"', '""')}"`;
}

/** One CSV line (CRLF included) of cells in column order. */
function rowText(cells: readonly Cell[], neutraliseText: boolean): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i], neutraliseText);
  }
  return `${line}\r\n`;
}

/** The header line, after the byte-order mark. */
const headerText = (columns: readonly string[]) => `\uFEFF${columns.map((c) => csvCell(c, false)).join(',')}\r\n`;

function reportWriteError(file: string, err: unknown, flag?: string): StoreError {
  return flag
    ? new StoreError(`Cannot write ${file} (${flag}): ${(err as Error).message}`, { hint: `Check that ${flag} names a writable file and that the disk has space.` })
    : new StoreError(`Cannot write the report ${file}: ${(err as Error).message}`, { hint: 'Check reports.dir and free disk space.' });
}

/**
 * Can a report be written in this folder? A small file is written, synced and removed: a
 * read-only mount, missing permission or a full disk is found before a run does what its
 * report must record (orders sent to Lizzy cannot be taken back).
 */
export function checkReportsWritable(dir: string): void {
  const probe = path.join(dir, `.lizzy-sync-write-check-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = openSync(probe, 'w');
    writeSync(fd, Buffer.alloc(4096, 0x20));
    fsyncSync(fd);
  } catch (err) {
    throw new StoreError(`Cannot write in the reports folder ${dir}: ${(err as Error).message}`, {
      hint: 'Check reports.dir: it must be writable by this user and its disk must have space. Nothing was sent.',
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(probe, { force: true });
  }
}

export function makeReportsFolder(file: string): void {
  try {
    makeDir(path.dirname(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A path through a file is the configuration's mistake (exit 2), not the disk's.
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new ConfigError(`reports.dir: ${path.dirname(file)} is not a folder (a file has that name or is on its path)`, {
        hint: 'Set reports.dir to a folder (it is created if missing), or move the file away.',
      });
    }
    throw new StoreError(`Cannot create the reports folder ${path.dirname(file)}: ${(err as Error).message}`, {
      hint: 'Set reports.dir to a writable folder.',
    });
  }
}

/**
 * Writes rows into a CSV file: UTF-8 with a byte-order mark (Excel then shows accented
 * names right), CRLF line ends, formula-looking text neutralised. Rows are gathered into
 * text and written in batches of about 64 KB, so memory is bounded by the batch. Written to
 * a temporary name and renamed when complete, so a half-written report never sits under the
 * real name.
 */
export class CsvReport {
  private readonly out: Writable;
  private readonly done: Promise<void>;
  private readonly tmp: string;
  private readonly columns: readonly string[];
  private readonly neutraliseText: boolean;
  /** Some text held the API key and was written as ***. */
  redacted = false;
  private pending: string;
  private readonly flag?: string;

  private cannotWrite(err: unknown): StoreError {
    return reportWriteError(this.file, err, this.flag);
  }

  constructor(
    readonly file: string,
    columns: readonly string[],
    opts: {
      neutralise?: boolean;
      open?: (file: string) => Writable;
      /** A file the user named with this flag (--out, --report): its folder must exist, and errors name the flag, not reports.dir. */
      flag?: string;
    } = {},
  ) {
    this.flag = opts.flag;
    if (opts.flag) {
      checkOutputFile(opts.flag, file);
    } else {
      makeReportsFolder(file);
    }
    this.tmp = `${file}.partial`;
    this.out = (opts.open ?? ((f: string) => createWriteStream(f)))(this.tmp);
    this.done = finished(this.out);
    this.done.catch(() => undefined);
    this.columns = columns;
    this.neutraliseText = opts.neutralise !== false;
    this.pending = headerText(columns);
  }

  /**
   * Write one row; waits when the file is slower than the producer. A file that fails (disk
   * full, no permission) ends the wait with an error instead of waiting for ever.
   */
  async write(row: Record<string, Cell>): Promise<void> {
    if (this.add(this.columns.map((c) => row[c]))) await this.flush();
  }

  /**
   * Add one row given as its cells in column order, without waiting: for writers of many
   * rows. Returns true when a batch is full; the caller then awaits flush().
   */
  add(cells: readonly Cell[]): boolean {
    this.pending += rowText(cells, this.neutraliseText);
    return this.pending.length >= BATCH_CHARS;
  }

  /** Write the rows added so far. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // Whole rows only: a secret inside a cell is never split between two batches.
    const text = redact(this.pending);
    if (text !== this.pending) this.redacted = true;
    this.pending = '';
    try {
      if (this.out.errored) throw this.out.errored;
      if (this.out.write(text)) return;
      await Promise.race([new Promise<void>((r) => this.out.once('drain', r)), this.done]);
    } catch (err) {
      throw this.cannotWrite(err);
    }
  }

  /** Stop writing and remove the partial file. */
  async abandon(): Promise<void> {
    this.pending = '';
    this.out.end();
    await Promise.race([this.done.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    rmSync(this.tmp, { force: true });
  }

  /**
   * Finish the file and give it its name; with `publish: false` it stays at `<name>.partial`
   * (complete) until the caller renames it (an inventory report until its apply commits).
   */
  async close(opts: { publish?: boolean } = {}): Promise<string> {
    try {
      await this.flush();
      this.out.end();
      await this.done;
      if (opts.publish !== false) renameSync(this.tmp, this.file);
    } catch (err) {
      this.out.destroy();
      rmSync(this.tmp, { force: true });
      throw err instanceof StoreError ? err : this.cannotWrite(err);
    }
    return this.file;
  }
}

/**
 * A CsvReport in the reports folder written with synchronous calls, for rows produced inside
 * a database statement (the cleared list is written by the UPDATE that clears): same text,
 * same batches, same redaction, same temporary name until publish().
 */
export class CsvFileSync {
  private readonly tmp: string;
  private fd: number | undefined;
  private pending: string;
  private closed = false;

  constructor(
    readonly file: string,
    columns: readonly string[],
  ) {
    makeReportsFolder(file);
    this.tmp = `${file}.partial`;
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (err) {
      throw reportWriteError(file, err);
    }
    this.pending = headerText(columns);
  }

  add(cells: readonly Cell[]): void {
    this.pending += rowText(cells, true);
    if (this.pending.length >= BATCH_CHARS) this.flush();
  }

  private flush(): void {
    const text = redact(this.pending);
    this.pending = '';
    try {
      writeSync(this.fd!, text);
    } catch (err) {
      throw reportWriteError(this.file, err);
    }
  }

  /**
   * Write what is left and close the file, still under its temporary name: a write error
   * surfaces here, while the caller can still roll back what the file describes.
   */
  finish(): void {
    if (this.fd === undefined) return;
    try {
      this.flush();
      closeSync(this.fd);
      this.fd = undefined;
    } catch (err) {
      this.abandon();
      throw err instanceof StoreError ? err : reportWriteError(this.file, err);
    }
  }

  /**
   * Put the finished file under its real name; call it once what the file describes has
   * happened (a process killed before this leaves only the temporary name).
   */
  publish(): string {
    this.finish();
    try {
      renameSync(this.tmp, this.file);
    } catch (err) {
      throw reportWriteError(this.file, err);
    }
    this.closed = true;
    return this.file;
  }

  /** Remove the file, under either name (the run that wrote it did not complete). */
  abandon(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already unusable
      }
      this.fd = undefined;
    }
    rmSync(this.tmp, { force: true });
    if (this.closed) rmSync(this.file, { force: true });
  }
}

/** The run's start as report names write it: 20261203-120000-123Z. */
export const reportStamp = (at: Date): string => at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d{3})Z$/, '-$1Z');

/** A report name that sorts by time, is valid on Windows, and does not overwrite another. */
export function reportPath(dir: string, job: string, at: Date, suffix = ''): string {
  const stamp = reportStamp(at);
  // A second report in the same millisecond gets a counter before the suffix, so a dry
  // run's name still ends in -DRY-RUN.csv.
  let candidate = path.join(dir, `${job}-${stamp}${suffix}.csv`);
  for (let n = 2; existsSync(candidate); n++) candidate = path.join(dir, `${job}-${stamp}-${n}${suffix}.csv`);
  return candidate;
}
