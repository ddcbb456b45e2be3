import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { StoreError } from '../errors.js';
import { redact } from '../util/redact.js';

/**
 * A cell that a spreadsheet would run as a formula gets a leading apostrophe. Only text is
 * touched: numbers stay numbers, so a -3 quantity is still a number.
 */
export function neutralise(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const red = redact(value);
  return /^[=+\-@\t\r]/.test(red) ? `'${red}` : red;
}

export type Cell = string | number | null | undefined;

/**
 * Streams rows into a CSV file: UTF-8 with a byte-order mark (Excel then shows accented
 * names right), CRLF line ends, formula-looking text neutralised. Written to a temporary
 * name and renamed when complete, so a half-written report never sits under the real name.
 */
export class CsvReport {
  private readonly stringifier;
  private readonly done: Promise<void>;
  private readonly tmp: string;

  constructor(
    readonly file: string,
    columns: readonly string[],
    opts: { neutralise?: boolean; open?: (file: string) => Writable } = {},
  ) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch (err) {
      throw new StoreError(`Cannot create the reports folder ${path.dirname(file)}: ${(err as Error).message}`, {
        hint: 'Set reports.dir to a writable folder.',
      });
    }
    this.tmp = `${file}.partial`;
    const out = (opts.open ?? ((f: string) => createWriteStream(f)))(this.tmp);
    this.stringifier = stringify({
      header: true,
      columns: columns.map((c) => ({ key: c })),
      bom: true,
      record_delimiter: 'windows',
      cast: { string: opts.neutralise === false ? (v) => v : (v) => String(neutralise(v)) },
    });
    this.stringifier.pipe(out);
    this.done = finished(out);
    this.done.catch(() => undefined);
  }

  /**
   * Write one row; waits when the file is slower than the producer. A file that fails (disk
   * full, no permission) ends the wait with an error instead of waiting for ever.
   */
  async write(row: Record<string, Cell>): Promise<void> {
    if (this.stringifier.write(row)) return;
    try {
      await Promise.race([new Promise<void>((r) => this.stringifier.once('drain', r)), this.done]);
    } catch (err) {
      throw new StoreError(`Cannot write the report ${this.file}: ${(err as Error).message}`, { hint: 'Check reports.dir and free disk space.' });
    }
  }

  /** Stop writing and remove the partial file. */
  async abandon(): Promise<void> {
    this.stringifier.end();
    await Promise.race([this.done.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    rmSync(this.tmp, { force: true });
  }

  async close(): Promise<string> {
    this.stringifier.end();
    try {
      await this.done;
      renameSync(this.tmp, this.file);
    } catch (err) {
      rmSync(this.tmp, { force: true });
      throw new StoreError(`Cannot write the report ${this.file}: ${(err as Error).message}`, { hint: 'Check reports.dir and free disk space.' });
    }
    return this.file;
  }
}

/** A report name that sorts by time, is valid on Windows, and does not overwrite another. */
export function reportPath(dir: string, job: string, at: Date, suffix = ''): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d{3})Z$/, '-$1Z');
  // A second report in the same millisecond gets a counter before the suffix, so a dry
  // run's name still ends in -DRY-RUN.csv.
  let candidate = path.join(dir, `${job}-${stamp}${suffix}.csv`);
  for (let n = 2; existsSync(candidate); n++) candidate = path.join(dir, `${job}-${stamp}-${n}${suffix}.csv`);
  return candidate;
}
