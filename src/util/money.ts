/** Money is integer cents inside; these read and write it without floating-point sums. */

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;
/** "12.95": digits, a point, two digits. */
const PLAIN = /^\d{1,12}\.\d\d$/;

/**
 * A number with at most two decimals (12.95, 3, -0.5) as its cents; undefined for anything
 * else (12.995, 12.9500000001, 1e21), which the string reading handles. value * 100 of such
 * a number is a whole number give or take a few units in its last binary place (2^-48 of it
 * allows 16); any digit past the second decimal that a double can hold puts it further away.
 */
function wholeCents(value: number): number | undefined {
  if (!(Math.abs(value) < 1e9)) return undefined;
  const x = value * 100;
  const c = Math.round(x);
  return Math.abs(x - c) <= Math.abs(x) * 2 ** -48 ? c + 0 : undefined;
}
/** Digits grouped by thousands: 1,299 or 1,299.00 (with an optional sign). */
export const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/**
 * Read an amount ("12.95", 12.95, "$1,299.00", " 3 ") as integer cents, rounding half up
 * past the second decimal. Returns undefined when it is not an amount.
 */
export function parseCents(value: unknown): number | undefined {
  // Fast paths for the common shapes (a feed or catalog has a price per row); both give what
  // the general reading below gives.
  if (typeof value === 'number') {
    const c = wholeCents(value);
    if (c !== undefined) return c;
  } else if (typeof value === 'string' && PLAIN.test(value)) {
    return Number(value.slice(0, -3)) * 100 + Number(value.slice(-2));
  }
  let s: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    s = String(value);
    if (/e/i.test(s)) {
      const c = Math.round(value * 100);
      return Number.isSafeInteger(c) ? c : undefined;
    }
  } else if (typeof value === 'string') {
    s = value.trim().replace(/^\$/, '').replace(/^([+-])\$/, '$1').trim();
    // A comma only as a thousands separator (1,299.00); "12,95" is not read as 1295.
    if (s.includes(',')) {
      if (!THOUSANDS.test(s)) return undefined;
      s = s.replace(/,/g, '');
    }
  } else {
    return undefined;
  }
  const m = DECIMAL.exec(s);
  if (!m) return undefined;
  const whole = Number(m[2]);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = whole * 100 + Number(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1;
  if (!Number.isSafeInteger(cents)) return undefined;
  return m[1] === '-' ? -cents : cents;
}

/** Does this amount carry fractions of a cent ("12.995"; "12.9500" does not)? */
export function hasFractionOfCent(value: unknown): boolean {
  if (typeof value === 'number' ? wholeCents(value) !== undefined : typeof value === 'string' && PLAIN.test(value)) return false;
  const s = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(10) : '') : typeof value === 'string' ? value.trim() : '';
  const m = /\.\d{2}(\d+)$/.exec(s.replace(/,/g, ''));
  return !!m && /[1-9]/.test(m[1]!);
}

/** 1295 → "12.95" */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  const frac = a % 100;
  return `${sign}${Math.floor(a / 100)}.${frac < 10 ? '0' : ''}${frac}`;
}

/** 1295 → 12.95 as a number, for reports where spreadsheets should see a number. */
export function centsToNumber(cents: number): number {
  return Number(formatCents(cents));
}
