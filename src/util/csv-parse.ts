/**
 * A small streaming RFC 4180 CSV reader: quoted fields with "" escapes, embedded commas and
 * line breaks, CRLF or LF, a leading byte-order mark. Yields each record with the line it
 * starts on, so errors can name it. Kept in-house: it is short, and the catalog import's
 * speed depends on it.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export async function* readCsv(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvBatches(chunks)) yield* records;
}

/**
 * The records of each chunk as one array: a reader of a million rows awaits once per chunk,
 * not once per row (a promise per row was a fifth of reading a big catalog).
 */
export async function* readCsvBatches(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<CsvRecord[]> {
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  /** The current field has begun (a character or an opening quote): a quote now is literal. */
  let started = false;
  let quoteJustClosed = false;
  let line = 1;
  let recordLine = 1;
  let first = true;
  let pendingCR = false;
  let any = false;

  for await (const raw of chunks) {
    let s = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (first) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    const out: CsvRecord[] = [];
    let i = 0;
    const n = s.length;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (pendingCR) {
        pendingCR = false;
        if (c === 0x0a) {
          i++;
          continue;
        }
      }
      // Fast path: a whole line without quotes or a lone CR is its fields split at commas
      // (most catalog rows). Anything else goes through the character loop below.
      if (!inQuotes && !started && field === '' && fields.length === 0) {
        const nl = s.indexOf('\n', i);
        if (nl !== -1) {
          const end = nl > i && s.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
          const text = s.slice(i, end);
          if (text.indexOf('"') === -1 && text.indexOf('\r') === -1) {
            out.push({ line: recordLine, fields: text.split(',') });
            line++;
            recordLine = line;
            i = nl + 1;
            continue;
          }
        }
      }
      if (inQuotes) {
        // fast path: jump to the next quote
        const q = s.indexOf('"', i);
        if (q === -1) {
          const chunk = s.slice(i);
          field += chunk;
          line += countNewlines(chunk);
          i = n;
          continue;
        }
        const chunk = s.slice(i, q);
        field += chunk;
        line += countNewlines(chunk);
        i = q + 1;
        inQuotes = false;
        quoteJustClosed = true;
        continue;
      }
      if (c === 0x22 /* " */) {
        if (quoteJustClosed) {
          field += '"';
          inQuotes = true;
          quoteJustClosed = false;
        } else if (!started) {
          inQuotes = true;
        } else {
          // A quote inside an unquoted field is a character (12" wheel spacer), as Excel
          // reads it: it must not swallow the rows after it.
          field += '"';
        }
        started = true;
        any = true;
        i++;
        continue;
      }
      quoteJustClosed = false;
      if (c === 0x2c /* , */) {
        fields.push(field);
        field = '';
        started = false;
        any = true;
        i++;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        fields.push(field);
        out.push({ line: recordLine, fields });
        fields = [];
        field = '';
        started = false;
        any = false;
        line++;
        recordLine = line;
        if (c === 0x0d) pendingCR = true;
        i++;
        continue;
      }
      // plain run up to the next special character
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d === 0x2c || d === 0x0a || d === 0x0d || d === 0x22) break;
        j++;
      }
      field += s.slice(i, j);
      started = true;
      any = true;
      i = j;
    }
    if (out.length > 0) yield out;
  }
  if (inQuotes) throw new CsvSyntaxError(`a quoted field opened on line ${recordLine} never closes`, recordLine);
  if (any || field !== '' || fields.length > 0) {
    fields.push(field);
    yield [{ line: recordLine, fields }];
  }
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
