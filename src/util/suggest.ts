/** Edit distance and "did you mean" suggestions. */

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** How many edits still make a typo of `word`: a distance that scales with its length. */
const typoLimit = (word: string): number => Math.max(1, Math.floor(word.length / 3));

/** The closest candidate within a distance that scales with the word's length, if any. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = levenshtein(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= typoLimit(word) ? best : undefined;
}

/** Every candidate a person could have meant by `name`: a near miss (looseName) or a typo (didYouMean's distance). */
export function similarNames(name: string, candidates: Iterable<string>): string[] {
  const loose = looseName(name);
  const lower = name.toLowerCase();
  const limit = typoLimit(name);
  return [...candidates].filter((c) => c !== name && ((loose !== '' && looseName(c) === loose) || levenshtein(lower, c.toLowerCase()) <= limit));
}

/**
 * A loose form of a name for spotting near misses: case, spacing and punctuation folded.
 * Never used to match, only to suggest.
 */
export function looseName(name: string): string {
  // Accents folded (composed and decomposed forms alike) and letters of every script kept:
  // "GÉANT" in a config typed on Windows (NFC) and in a feed sent decomposed (NFD) are one
  // near miss (found by a break-it pass: only ASCII letters were kept, so they differed).
  return name.normalize('NFKD').replace(/\p{M}+/gu, '').toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
