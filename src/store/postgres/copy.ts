/**
 * Bulk loading through COPY FROM STDIN (pg-copy-streams): a million rows in about a third
 * of the time of INSERT ... SELECT FROM unnest(arrays) (see bench/RESULTS.md). Rows are
 * written in COPY's text format: tab-separated, \N for NULL, and backslash, tab, newline
 * and carriage return escaped, so any text arrives exactly as it was.
 */
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyCell = string | number | boolean | null | undefined;

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyCell(v: CopyCell): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (m) => ESCAPES[m]!) : v;
}

/**
 * COPY `rows` into `table (columns)` on the client (inside the caller's transaction, if
 * any). On any failure (the server refusing a row, the connection dropping, `cells`
 * throwing) the COPY is aborted so the connection leaves COPY mode, and the error is thrown.
 */
export async function copyRows<T>(c: PoolClient, table: string, columns: readonly string[], rows: Iterable<T>, cells: (row: T) => CopyCell[]): Promise<void> {
  const stream = c.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let failed: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (e: Error) => {
      failed ??= e;
      reject(e);
    });
  });
  // Handled below; without this a rejection while we wait for 'drain' would be unhandled.
  done.catch(() => {});
  try {
    let text = '';
    for (const row of rows) {
      if (failed) throw failed;
      const cs = cells(row);
      for (let i = 0; i < cs.length; i++) text += (i === 0 ? '' : '\t') + copyCell(cs[i]);
      text += '\n';
      if (text.length >= 1 << 16) {
        if (!stream.write(text)) await Promise.race([new Promise<void>((r) => stream.once('drain', r)), done]);
        text = '';
      }
    }
    if (failed) throw failed;
    stream.end(text);
  } catch (e) {
    // destroy() sends CopyFail, so the server ends the COPY and the connection is usable
    // (the caller's transaction is aborted and rolls back).
    if (!stream.destroyed) stream.destroy(e instanceof Error ? e : new Error(String(e)));
    await done.catch(() => {});
    throw failed ?? e;
  }
  await done;
}
