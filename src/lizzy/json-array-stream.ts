/**
 * Splits a streamed JSON array into the source text of its elements, so each element can
 * be handed to JSON.parse on its own: memory holds one element at a time, never the body.
 * Checks the framing (the opening "[", the commas, the closing "]") and reports where a
 * body breaks off, so a truncated feed is an error, never a shorter feed.
 */
/** One feed element larger than this is refused (a real item is a few hundred characters). */
export const MAX_ELEMENT_CHARS = 16 * 2 ** 20;

export class JsonArraySplitter {
  private state: 'start' | 'beforeValue' | 'inValue' | 'afterValue' | 'done' = 'start';
  private depth = 0;
  private inString = false;
  private escape = false;
  /** The start of an element that spans chunks: kept as parts, joined once when it ends (no re-scan, no quadratic concatenation). */
  private parts: string[] = [];
  private partsLength = 0;
  private valueStart = -1;
  private offset = 0; // characters consumed before buf
  private elements = 0;

  /** Feed a chunk; returns the complete element texts found in it. */
  push(chunk: string): string[] {
    const out: string[] = [];
    const text = chunk;
    let i = 0;
    if (this.state === 'inValue') this.valueStart = 0;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case 'start':
          if (isSpace(c) || (c === 0xfeff && this.offset + i === 0)) break;
          if (c !== 0x5b /* [ */) throw this.error(`expected a JSON array ("[") but found ${show(text, i)}`, i);
          this.state = 'beforeValue';
          break;
        case 'beforeValue':
          if (isSpace(c)) break;
          if (c === 0x5d /* ] */) {
            if (this.elements > 0) throw this.error('a "," is followed by "]"', i);
            this.state = 'done';
            break;
          }
          this.state = 'inValue';
          this.valueStart = i;
          this.depth = 0;
          this.inString = false;
          i = this.scanValue(text, i, out);
          continue;
        case 'inValue':
          i = this.scanValue(text, i, out);
          continue;
        case 'afterValue':
          if (isSpace(c)) break;
          if (c === 0x2c /* , */) {
            this.state = 'beforeValue';
            // an element must follow a comma
            this.elements = Math.max(this.elements, 1);
            break;
          }
          if (c === 0x5d) {
            this.state = 'done';
            break;
          }
          throw this.error(`expected "," or "]" after element ${this.elements} but found ${show(text, i)}`, i);
        case 'done':
          if (isSpace(c)) break;
          throw this.error(`unexpected ${show(text, i)} after the end of the array`, i);
      }
      i++;
    }
    if (this.state === 'inValue') {
      const rest = text.slice(this.valueStart);
      this.partsLength += rest.length;
      if (this.partsLength > MAX_ELEMENT_CHARS) {
        throw new RangeError(`element ${this.elements + 1} is over ${MAX_ELEMENT_CHARS / 2 ** 20} M characters long; no inventory item is that large`);
      }
      this.parts.push(rest);
    }
    this.offset += n;
    return out;
  }

  /** Call at the end of the body: throws if the array did not close. */
  end(): void {
    if (this.state === 'start') throw this.error('the body is empty', 0);
    if (this.state !== 'done') {
      throw this.error(`the body ends before the array closes (after ${this.elements} complete elements): the feed is truncated`, 0);
    }
  }

  get count(): number {
    return this.elements;
  }

  private scanValue(text: string, i: number, out: string[]): number {
    const n = text.length;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c /* \ */) this.escape = true;
        else if (c === 0x22 /* " */) {
          this.inString = false;
          if (this.depth === 0) return this.finish(text, i + 1, out);
        }
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (this.depth === 0) {
          // a scalar element ended by "]"
          return this.finish(text, i, out);
        }
        this.depth--;
        if (this.depth === 0) return this.finish(text, i + 1, out);
      } else if (this.depth === 0 && (c === 0x2c || isSpace(c))) {
        return this.finish(text, i, out);
      }
    }
    return n;
  }

  private finish(text: string, end: number, out: string[]): number {
    const piece = text.slice(this.valueStart, end);
    if (this.parts.length > 0) {
      this.parts.push(piece);
      out.push(this.parts.join(''));
      this.parts = [];
      this.partsLength = 0;
    } else out.push(piece);
    this.elements++;
    this.state = 'afterValue';
    this.valueStart = -1;
    return end;
  }

  private error(message: string, i: number): Error {
    const e = new Error(message);
    (e as Error & { position?: number }).position = this.offset + i;
    return e;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function show(text: string, i: number): string {
  const s = text.slice(i, i + 20);
  return JSON.stringify(s.length < 20 ? s : `${s}...`);
}
