/** "The closest catalog part numbers" for a part number that matched nothing. Pure. */
import { levenshtein } from '../util/suggest.js';
import { rulesThatEquate } from './normalise.js';

export interface CloseMatch {
  partNumber: string;
  /** Edit distance from the item number. */
  distance: number;
  /** How they differ, when it is a known pattern. */
  hint?: string;
}

const stripZeros = (s: string) => s.replace(/^0+(?=.)/, '');

/** Describe how a catalog part number differs from the item number, if it is a known pattern. */
export function differenceHint(itemNumber: string, partNumber: string): string | undefined {
  const rules = rulesThatEquate(itemNumber, partNumber);
  if (rules) {
    const what = rules.ignoreCase && rules.ignoreSeparators ? 'case and separators' : rules.ignoreCase ? 'case' : 'separators (dashes, spaces, dots)';
    return `differs only in ${what}: partNumbers: { ${[rules.ignoreCase ? 'ignoreCase: true' : '', rules.ignoreSeparators ? 'ignoreSeparators: true' : ''].filter(Boolean).join(', ')} } on the mapping row would match it`;
  }
  if (stripZeros(itemNumber) === stripZeros(partNumber)) {
    return 'differs only in leading zeros: Lizzy may hold it as a number; correct the part number in Lizzy, since part numbers are compared as text';
  }
  for (const [a, b] of [
    [itemNumber, partNumber],
    [partNumber, itemNumber],
  ] as const) {
    if (a.length > b.length && a.endsWith(b) && /[^A-Za-z0-9]$/.test(a.slice(0, a.length - b.length))) {
      const prefix = a.slice(0, a.length - b.length);
      return `differs by the prefix ${JSON.stringify(prefix)}: partNumbers: { stripPrefix: ${JSON.stringify(prefix)} } on the mapping row would match it`;
    }
  }
  return undefined;
}

/**
 * Up to `limit` catalog part numbers near `itemNumber`: known patterns (case, separators,
 * leading zeros, prefix) first, then by edit distance; nothing farther than about half the
 * number's length.
 */
export function closestPartNumbers(itemNumber: string, candidates: Iterable<string>, limit = 3): CloseMatch[] {
  const maxDistance = Math.max(2, Math.floor(itemNumber.length / 2));
  const scored: CloseMatch[] = [];
  for (const c of candidates) {
    if (c === itemNumber) continue;
    if (Math.abs(c.length - itemNumber.length) > maxDistance + 4) continue; // cheap length filter first
    const hint = differenceHint(itemNumber, c);
    const distance = levenshtein(itemNumber, c);
    if (!hint && distance > maxDistance) continue;
    scored.push(hint ? { partNumber: c, distance, hint } : { partNumber: c, distance });
  }
  scored.sort((a, b) => (a.hint ? 0 : 1) - (b.hint ? 0 : 1) || a.distance - b.distance || (a.partNumber < b.partNumber ? -1 : 1));
  return scored.slice(0, limit);
}
