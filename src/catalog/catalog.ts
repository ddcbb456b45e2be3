import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { CATALOGS, type CatalogKind } from '../config/schema.js';
import { InputError } from '../errors.js';
import { MAX_NAME_LENGTH } from '../inventory/item.js';
import { CsvReport } from '../report/csv.js';
import type { Store } from '../store/store.js';
import type { CatalogImportResult, CatalogRow } from '../store/types.js';
import { CsvSyntaxError, readCsvBatches } from '../util/csv-parse.js';
import { didYouMean } from '../util/suggest.js';
import { formatCents, hasFractionOfCent, parseCents } from '../util/money.js';

export const CATALOG_COLUMNS = ['catalog', 'distributor', 'manufacturer', 'part_number', 'description', 'list_price', 'shelf_qty'] as const;

/** Other names a catalog column goes by in dealers' spreadsheets (lower case, without spaces, "_" or "-"). */
const COLUMN_ALIASES: Record<string, string[]> = {
  catalog: ['type', 'catalogtype', 'kind'],
  distributor: ['dist', 'distributorabbreviation', 'distributorcode', 'supplier'],
  manufacturer: ['mfr', 'mfg', 'brand', 'make', 'manufacturername'],
  part_number: ['part', 'partno', 'partnumber', 'pn', 'sku', 'item', 'itemnumber', 'itemno'],
  list_price: ['price', 'listprice', 'list', 'msrp', 'retail', 'retailprice'],
  shelf_qty: ['qty', 'quantity', 'shelfqty', 'stock', 'onhand', 'qtyonhand', 'qtyavail', 'available'],
};

const NOT_UTF8 =
  'the row is not UTF-8 text (Excel\'s plain "CSV" saves accents such as é as Windows-1252): save the file as "CSV UTF-8" and import it again';

/** Refuse, before any work, a path that is not a readable file or a file in UTF-16. */
function checkCsvFile(file: string): void {
  let fd: number | undefined;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`${file} is a folder, not a CSV file.`, { hint: 'Name the catalog CSV file itself.' });
    // A pipe (/dev/stdin, <(...)) cannot be read twice: its first bytes are the import's.
    if (!st.isFile()) return;
    fd = openSync(file, 'r');
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    if (n === 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
      throw new InputError(`${file} is UTF-16 text ("Unicode Text"); lizzy-sync reads UTF-8.`, { hint: 'Save it from Excel as "CSV UTF-8 (Comma delimited)".' });
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`Cannot read ${file}: ${(err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface RowProblem {
  line: number;
  message: string;
}

export interface CatalogImportSummary extends CatalogImportResult {
  file: string;
  rows: number;
  bad: RowProblem[];
  duplicatesInFile: number;
  /** Header columns lizzy-sync does not read (a misspelt "descripton" would drop every description). */
  ignoredColumns: Array<{ column: string; suggestion?: string }>;
}

/**
 * Validate one CSV record against the header's column positions. A bad row gets every
 * problem it has, joined with "; ", so one correction pass fixes it.
 */
export function readCatalogRow(fields: string[], col: Record<string, number>): CatalogRow | string {
  if (fields.some((f) => f.includes('\u0000'))) return 'the row contains a NUL character';
  if (fields.some((f) => f.includes('\uFFFD'))) return NOT_UTF8;
  let problems: string[] | undefined;
  const problem = (m: string) => (problems ??= []).push(m);
  const get = (name: string) => (col[name] === undefined ? '' : (fields[col[name]!] ?? '').trim());
  const catalog = get('catalog').toLowerCase();
  const distributor = get('distributor') || null;
  const manufacturer = get('manufacturer') || null;
  if (!CATALOGS.includes(catalog as CatalogKind)) problem(`catalog ${JSON.stringify(get('catalog'))} is not one of ${CATALOGS.join(', ')}`);
  else if (catalog === 'aftermarket' && !distributor) problem('an aftermarket product needs a distributor abbreviation');
  else if (catalog !== 'aftermarket' && !manufacturer) problem(`an ${catalog} product needs a manufacturer`);
  const partNumber = get('part_number');
  if (!partNumber) problem('part_number is empty');
  for (const [name, v] of [
    ['part_number', partNumber],
    ['distributor', distributor],
    ['manufacturer', manufacturer],
  ] as const) {
    if (v && v.length > MAX_NAME_LENGTH) problem(`${name} is ${v.length.toLocaleString('en-US')} characters long; at most ${MAX_NAME_LENGTH}`);
  }
  const priceText = get('list_price');
  let listPriceCents: number | null = null;
  if (priceText !== '') {
    const c = parseCents(priceText);
    if (c === undefined || c < 0) problem(`list_price ${JSON.stringify(priceText)} is not an amount such as 12.95`);
    else if (hasFractionOfCent(priceText)) problem(`list_price ${priceText} has fractions of a cent; give it to the cent (12.95)`);
    else if (c > 100_000_000_00) problem(`list_price ${priceText} is too large`);
    else listPriceCents = c;
  }
  // "1,204" as Excel writes a formatted number: read as the feed reads it (a comma only as a
  // thousands separator); "1,2" stays refused (found by a new-user walkthrough).
  const rawQty = get('shelf_qty');
  const qtyText = /^\d{1,3}(,\d{3})+$/.test(rawQty) ? rawQty.replace(/,/g, '') : rawQty;
  let shelfQty: number | null = null;
  if (qtyText !== '') {
    if (!/^\d+$/.test(qtyText)) problem(`shelf_qty ${JSON.stringify(qtyText)} is not a whole number of 0 or more`);
    else if (Number(qtyText) > 2_000_000_000) problem(`shelf_qty ${qtyText} is too large`);
    else shelfQty = Number(qtyText);
  }
  if (problems) return problems.join('; ');
  const description = col.description === undefined ? null : (fields[col.description] ?? '');
  return {
    catalog: catalog as CatalogKind,
    distributor,
    manufacturer,
    partNumber,
    description: description === '' ? null : description,
    listPriceCents,
    shelfQty,
  };
}

/** Load or update products from a catalog CSV, in one transaction. Bad rows are reported, good rows kept. */
export async function importCatalogFile(store: Store, file: string): Promise<CatalogImportSummary> {
  checkCsvFile(file);
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (err) {
    throw new InputError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const bad: RowProblem[] = [];
  const ignoredColumns: CatalogImportSummary['ignoredColumns'] = [];
  let rows = 0;
  async function* batches(): AsyncGenerator<CatalogRow[]> {
    let col: Record<string, number> | undefined;
    let width = 0;
    let batch: CatalogRow[] = [];
    try {
      // A chunk of records at a time (readCsvBatches): one await per chunk, not per row.
      for await (const recs of readCsvBatches(stream)) for (const rec of recs) {
        // Blank lines, and rows of only commas that a spreadsheet leaves after the data
        // (",,,,,,": found by a new-user walkthrough, where each was a bad row).
        if (rec.fields.every((f) => f.trim() === '')) continue;
        if (!col) {
          col = {};
          for (const [i, h] of rec.fields.entries()) {
            const name = h.trim().toLowerCase();
            // Which of two columns of one name holds the data is a guess: refuse it (break-it pass: the last one was used silently).
            if (col[name] !== undefined && (CATALOG_COLUMNS as readonly string[]).includes(name)) {
              throw new InputError(`${file}:${rec.line}: the header has ${name} twice (columns ${col[name]! + 1} and ${i + 1}).`, {
                hint: `Keep one of them. The first line must be: ${CATALOG_COLUMNS.join(',')}`,
              });
            }
            col[name] = i;
          }
          width = rec.fields.length;
          while (width > 0 && rec.fields[width - 1]!.trim() === '') width--;
          for (const h of rec.fields.slice(0, width)) {
            const name = h.trim().toLowerCase();
            if (!(CATALOG_COLUMNS as readonly string[]).includes(name)) ignoredColumns.push({ column: h.trim(), suggestion: didYouMean(name, CATALOG_COLUMNS) });
          }
          const missing = CATALOG_COLUMNS.filter((c) => c !== 'description' && col![c] === undefined);
          if (missing.length > 0) {
            // A spreadsheet set to another list separator (European Excel saves ";").
            const sep = rec.fields.length === 1 ? [';', '\t', '|'].find((c) => rec.fields[0]!.includes(c)) : undefined;
            if (sep) {
              const name = sep === '\t' ? 'tabs' : sep === ';' ? 'semicolons' : `"${sep}"`;
              throw new InputError(`${file}:${rec.line}: the columns are separated by ${name}, not commas.`, {
                hint: `Save it as "CSV UTF-8 (Comma delimited)" (plain "CSV (Comma delimited)" is not UTF-8), or change the list separator to a comma. The first line must be: ${CATALOG_COLUMNS.join(',')}`,
              });
            }
            // A column the user named another way ("price", "qty") is named back with the one it stands for.
            const unread = ignoredColumns.map((c) => c.column);
            const guesses = missing.flatMap((m) => {
              const hit = unread.find((u) => COLUMN_ALIASES[m]?.includes(u.toLowerCase().replace(/[\s_-]/g, '')) || didYouMean(u.toLowerCase(), [m]) === m);
              return hit ? [`"${hit}" to ${m}`] : [];
            });
            throw new InputError(`${file}:${rec.line}: the header lacks ${missing.join(', ')}${guesses.length ? ` (rename ${guesses.join(', ')})` : ''}.`, {
              hint: `The first line must be: ${CATALOG_COLUMNS.join(',')}`,
            });
          }
          continue;
        }
        rows++;
        // A field more than the header (beyond empty trailing ones) is a comma inside a value
        // that is not in quotes: every value after it would be read from the wrong column.
        let used = rec.fields.length;
        while (used > width && rec.fields[used - 1]!.trim() === '') used--;
        if (used > width) {
          bad.push({ line: rec.line, message: `the row has ${used} fields, the header ${width}: a comma inside a value must be in quotes ("Grips 1, 2")` });
          continue;
        }
        // Fewer fields than the header is most often a line break inside a value that is not in
        // quotes: the row's first half would import with a cut-off description.
        if (rec.fields.length < width) {
          bad.push({
            line: rec.line,
            message: `the row has ${rec.fields.length} field${rec.fields.length === 1 ? '' : 's'}, the header ${width}: a line break inside a value must be in quotes, and an empty value still needs its comma (,,)`,
          });
          continue;
        }
        const r = readCatalogRow(rec.fields, col);
        if (typeof r === 'string') {
          bad.push({ line: rec.line, message: r });
          continue;
        }
        batch.push(r);
        if (batch.length >= 5000) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      if (err instanceof CsvSyntaxError) throw new InputError(`${file}:${err.line}: ${err.message}`);
      if (typeof (err as NodeJS.ErrnoException).code === 'string' && !(err instanceof InputError)) {
        throw new InputError(`Cannot read ${file}: ${(err as Error).message}`);
      }
      throw err;
    }
    if (!col) throw new InputError(`${file} is empty.`, { hint: `The first line must be: ${CATALOG_COLUMNS.join(',')}` });
    if (batch.length) yield batch;
  }
  const result = await store.importCatalog(batches());
  return { file, rows, bad, duplicatesInFile: result.duplicates, ignoredColumns, ...result };
}

/**
 * Write every product in the catalog CSV's columns (no formula neutralising: it is data to
 * re-import). Text holding the API key is written as *** like everywhere else; `redacted`
 * says so, since such a row no longer re-imports as it was.
 */
export async function exportCatalogFile(store: Store, file: string, flag?: string): Promise<{ products: number; redacted: boolean }> {
  const csv = new CsvReport(file, CATALOG_COLUMNS, { neutralise: false, flag });
  let n = 0;
  try {
    for await (const p of store.exportCatalog()) {
      await csv.write({
        catalog: p.catalog,
        distributor: p.distributor ?? '',
        manufacturer: p.manufacturer ?? '',
        part_number: p.partNumber,
        description: p.description ?? '',
        list_price: p.listPriceCents === null ? '' : formatCents(p.listPriceCents),
        shelf_qty: p.shelfQty,
      });
      n++;
    }
  } catch (err) {
    await csv.abandon();
    throw err;
  }
  await csv.close();
  return { products: n, redacted: csv.redacted };
}
