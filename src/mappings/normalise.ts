/**
 * Opt-in part-number normalisation for a mapping row (`partNumbers:` in the config).
 * Pure. Both sides (Lizzy's item number and the catalog's part number) go through the same
 * function, so a rule works whichever side carries the dashes, the case or the prefix.
 * The default stays exact: a row without `partNumbers` never comes here.
 */
import type { CatalogKind, PartNumberRules, VendorMapping } from '../config/schema.js';

/** What "separators" means for ignoreSeparators: whitespace, - _ . / \ and the Unicode dashes. */
export const SEPARATORS = /[\s\-_./\\\u2010-\u2015\u2212]/g;

/**
 * The normalised form of a part number under a row's rules:
 * 1. stripPrefix: a leading prefix is removed (compared ignoring case when ignoreCase);
 *    a part number that is only the prefix is kept whole;
 * 2. ignoreSeparators: separators removed;
 * 3. ignoreCase: upper-cased.
 */
export function normalisePartNumber(partNumber: string, rules: PartNumberRules): string {
  let s = partNumber;
  const prefix = rules.stripPrefix;
  if (prefix) {
    const head = s.slice(0, prefix.length);
    const same = rules.ignoreCase ? head.toUpperCase() === prefix.toUpperCase() : head === prefix;
    if (same && s.length > prefix.length) s = s.slice(prefix.length);
  }
  if (rules.ignoreSeparators) s = s.replace(SEPARATORS, '');
  if (rules.ignoreCase) s = s.toUpperCase();
  return s;
}

/** A normaliser bound to a row's rules, for store lookups. */
export function normaliserFor(rules: PartNumberRules): (partNumber: string) => string {
  return (pn) => normalisePartNumber(pn, rules);
}

/** The rules as a short phrase for notes: "ignoreCase, ignoreSeparators, stripPrefix "PU-"". */
export function describeRules(rules: PartNumberRules): string {
  const parts: string[] = [];
  if (rules.ignoreCase) parts.push('ignoreCase');
  if (rules.ignoreSeparators) parts.push('ignoreSeparators');
  if (rules.stripPrefix !== undefined) parts.push(`stripPrefix ${JSON.stringify(rules.stripPrefix)}`);
  return parts.join(', ');
}

/** The rules as YAML flow text to paste on a row: `{ ignoreCase: true, ignoreSeparators: true }`. */
export function rulesYaml(rules: PartNumberRules): string {
  const parts: string[] = [];
  if (rules.ignoreCase) parts.push('ignoreCase: true');
  if (rules.ignoreSeparators) parts.push('ignoreSeparators: true');
  if (rules.stripPrefix !== undefined) parts.push(`stripPrefix: ${JSON.stringify(rules.stripPrefix)}`);
  return `{ ${parts.join(', ')} }`;
}

/** The (catalog, brand) a row looks products up in. */
export function brandOfMapping(m: Pick<VendorMapping, 'catalog' | 'distributor' | 'manufacturer'>): string {
  return (m.catalog === 'aftermarket' ? m.distributor : m.manufacturer) ?? '';
}

/**
 * The lookup space of a normalising row: rows with the same catalog, brand and rules share
 * one index of candidate products.
 */
export function lookupSpace(catalog: CatalogKind, brand: string, rules: PartNumberRules): string {
  return `${catalog}\u0000${brand}\u0000${rules.ignoreCase ? 1 : 0}${rules.ignoreSeparators ? 1 : 0}\u0000${rules.stripPrefix ?? ''}`;
}

export function lookupSpaceOf(m: VendorMapping): string | undefined {
  return m.partNumbers ? lookupSpace(m.catalog, brandOfMapping(m), m.partNumbers) : undefined;
}

/**
 * The smallest rules under which two part numbers are equal (no prefix guessing), or
 * undefined when case and separators do not explain the difference. For "would match with
 * partNumbers: {...}" hints.
 */
export function rulesThatEquate(a: string, b: string): PartNumberRules | undefined {
  if (a === b) return { ignoreCase: false, ignoreSeparators: false };
  if (a.toUpperCase() === b.toUpperCase()) return { ignoreCase: true, ignoreSeparators: false };
  const strip = (s: string) => s.replace(SEPARATORS, '');
  if (strip(a) === strip(b)) return { ignoreCase: false, ignoreSeparators: true };
  if (strip(a).toUpperCase() === strip(b).toUpperCase()) return { ignoreCase: true, ignoreSeparators: true };
  return undefined;
}

/** The loosest rules without a prefix: what the "would match" hint tries. */
export const LOOSE_RULES: PartNumberRules = { ignoreCase: true, ignoreSeparators: true };

/** Merge rules (union of what each needs). */
export function unionRules(list: Iterable<PartNumberRules>): PartNumberRules {
  const out: PartNumberRules = { ignoreCase: false, ignoreSeparators: false };
  for (const r of list) {
    out.ignoreCase ||= r.ignoreCase;
    out.ignoreSeparators ||= r.ignoreSeparators;
  }
  return out;
}
