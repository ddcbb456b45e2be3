import { describe, expect, it } from 'vitest';
import { readFeedItem } from '../src/inventory/item.js';
import { formatCents, hasFractionOfCent, parseCents } from '../src/util/money.js';

describe('money', () => {
  it('reads amounts as integer cents without floating-point error', () => {
    expect(parseCents('12.95')).toBe(1295);
    expect(parseCents(12.95)).toBe(1295);
    expect(parseCents('$1,299.00')).toBe(129900);
    expect(parseCents(' 3 ')).toBe(300);
    expect(parseCents(0.1)).toBe(10);
    expect(parseCents('19.999')).toBe(2000);
    expect(parseCents('19.994')).toBe(1999);
    expect(parseCents('-5.10')).toBe(-510);
    expect(parseCents('abc')).toBeUndefined();
    expect(parseCents('12.9.5')).toBeUndefined();
    expect(parseCents(null)).toBeUndefined();
    expect(parseCents(Number.NaN)).toBeUndefined();
  });
  it('reads a comma only as a thousands separator, and refuses amounts too large to be exact', () => {
    expect(parseCents('12,95')).toBeUndefined();
    expect(parseCents('1,5')).toBeUndefined();
    expect(parseCents('1,299.00')).toBe(129900);
    expect(parseCents('12,345,678')).toBe(1234567800);
    expect(parseCents(1e300)).toBeUndefined();
    expect(parseCents('1' + '0'.repeat(30))).toBeUndefined();
  });

  // parseCents and hasFractionOfCent have fast paths for 12.95 and "12.95" (a price per feed
  // item and per catalog row); they must agree with the exact reading everywhere.
  it('the fast paths agree with the exact reading: every cent to $2,000, half-cents, signs, big and odd numbers', () => {
    const wrong: string[] = [];
    for (let i = 0; i <= 200_000; i++) {
      const text = formatCents(i);
      if (parseCents(i / 100) !== i) wrong.push(`${i / 100}`);
      if (parseCents(text) !== i) wrong.push(JSON.stringify(text));
      if (parseCents(-i / 100) !== (i === 0 ? 0 : -i)) wrong.push(`${-i / 100}`);
      if (hasFractionOfCent(i / 100) || hasFractionOfCent(text)) wrong.push(`fraction ${text}`);
      // Three decimals: never the fast path, rounded half up.
      const three = Number(`${text}5`);
      if (parseCents(three) !== i + 1 || parseCents(`${text}5`) !== i + 1 || !hasFractionOfCent(three)) wrong.push(`${text}5`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(Object.is(parseCents(-0), 0)).toBe(true);
    expect(parseCents(1.005)).toBe(101);
    expect(parseCents('1.005')).toBe(101);
    expect(parseCents(1.004)).toBe(100);
    expect(parseCents(2.675)).toBe(268);
    expect(parseCents(12.9500000001)).toBe(1295);
    expect(parseCents(123456789.12)).toBe(12345678912);
    expect(parseCents(1234567890.12)).toBe(123456789012);
    expect(parseCents('123456789012.34')).toBe(12345678901234);
    expect(parseCents(' 12.95')).toBe(1295);
    expect(parseCents('$12.95')).toBe(1295);
    expect(parseCents('12.95 ')).toBe(1295);
    expect(hasFractionOfCent(1.005)).toBe(true);
    expect(hasFractionOfCent('12.995')).toBe(true);
    expect(hasFractionOfCent('12.950')).toBe(false);
    expect(hasFractionOfCent(12.9500000001)).toBe(true);
  });

  it('writes cents', () => {
    expect(formatCents(1295)).toBe('12.95');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(129900)).toBe('1299.00');
  });
});

describe('tolerant feed reader', () => {
  // Bug: 1e400 (Infinity once parsed) was reported as "quantity null is not a number".
  it('a number too large to read is named as such, not as null', () => {
    const it = readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","ListPrice":1e400,"Quantity":1e400}'), 1);
    expect(it.invalid).toBe('quantity is a number too large to read');
    expect(it.priceProblem).toBe('list price is a number too large to read');
  });
  // Found by a break-it pass: a quantity out of range was "not a number", and a quantity
  // under two keys was one of them, silently.
  it('names an out-of-range quantity as such, and refuses two different quantities in one item', () => {
    expect(readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","Quantity":3000000000}'), 1).invalid).toBe('quantity 3000000000 is out of range (beyond ±2,000,000,000)');
    expect(readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","Quantity":99999999999999999999}'), 1).invalid).toBe(
      'quantity 100000000000000000000 is out of range (beyond ±2,000,000,000)',
    );
    expect(readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","Quantity":"abc"}'), 1).invalid).toBe('quantity "abc" is not a number');
    const two = readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","Quantity":7,"quantity":9}'), 1);
    expect(two.invalid).toBe('quantity given twice with different values (Quantity 7, quantity 9)');
    expect(readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","Quantity":7,"QtyAvail":9}'), 1).invalid).toBe(
      'quantity given twice with different values (Quantity 7, QtyAvail 9)',
    );
    // The same value twice (a number and its string) is no conflict.
    expect(readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","Quantity":7,"Stock":"7"}'), 1)).toMatchObject({ quantity: 7, notes: [] });
    const price = readFeedItem(JSON.parse('{"VendorName":"HONDA","ItemNumber":"X-1","Quantity":1,"MSRP":"10.00","ListPrice":"12.00"}'), 1);
    expect(price.priceCents).toBe(1200);
    expect(price.notes).toEqual(['list price given twice with different values (MSRP "10.00", ListPrice "12.00"): "12.00" used']);
  });

  // Bug: a price with fractions of a cent was rounded without a word in the report.
  it('rounds a price with fractions of a cent, and says so in the item\'s notes', () => {
    const it = readFeedItem({ VendorName: 'HONDA', ItemNumber: 'X-1', ListPrice: '12.995', Quantity: 1 }, 1);
    expect(it.priceCents).toBe(1300);
    expect(it.notes).toEqual(['list price "12.995" has fractions of a cent: rounded to 13.00']);
    expect(readFeedItem({ VendorName: 'HONDA', ItemNumber: 'X-1', ListPrice: '12.9500', Quantity: 1 }, 1).notes).toEqual([]);
    expect(readFeedItem({ VendorName: 'HONDA', ItemNumber: 'X-1', ListPrice: 19.99, Quantity: 1 }, 1).notes).toEqual([]);
  });

  it('reads the canonical PascalCase item', () => {
    const it = readFeedItem({ VendorName: 'PARTS UNLIMITED', ItemNumber: '0101-1234', ListPrice: 12.95, Quantity: 3 }, 1);
    expect(it).toMatchObject({ vendor: 'PARTS UNLIMITED', itemNumber: '0101-1234', priceCents: 1295, quantity: 3, notes: [] });
    expect(it.invalid).toBeUndefined();
  });

  it('matches keys case-insensitively and accepts the aliases', () => {
    expect(readFeedItem({ vendor: 'HONDA', partnumber: '17210-KYJ-901', MSRP: '22.95', QtyOnHand: '4' }, 1)).toMatchObject({
      vendor: 'HONDA',
      itemNumber: '17210-KYJ-901',
      priceCents: 2295,
      quantity: 4,
    });
    expect(readFeedItem({ VENDORNAME: 'A', ITEMNUMBER: 'B', LIST: 1, STOCK: 2 }, 1)).toMatchObject({ quantity: 2, priceCents: 100 });
    expect(readFeedItem({ Vendor: 'A', ItemNumber: 'B', QtyAvail: 7 }, 1).quantity).toBe(7);
  });

  it('keeps part numbers exactly as sent', () => {
    expect(readFeedItem({ VendorName: 'WPS', ItemNumber: '00123', Quantity: 1 }, 1).itemNumber).toBe('00123');
    expect(readFeedItem({ VendorName: 'X', ItemNumber: ' 5TA-14451-00-00', Quantity: 1 }, 1).itemNumber).toBe(' 5TA-14451-00-00');
  });

  it('uses a numeric item number as its digits, with a note', () => {
    const it = readFeedItem({ VendorName: 'POLARIS', ItemNumber: 2205386, Quantity: 1 }, 1);
    expect(it.itemNumber).toBe('2205386');
    expect(it.notes[0]).toContain('arrived as a JSON number');
  });

  it('reads quantities given as strings with spaces', () => {
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: ' 3 ' }, 1).quantity).toBe(3);
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: '1,204' }, 1).quantity).toBe(1204);
  });

  it('refuses quantities with misplaced commas, and NUL characters in identifiers', () => {
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: '1,2,3' }, 1).invalid).toMatch(/not a number/);
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: '1,,2' }, 1).invalid).toMatch(/not a number/);
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B\u0000C', Quantity: 1 }, 1).invalid).toMatch(/NUL character/);
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: 1, ListPrice: 1e300 }, 1).priceProblem).toMatch(/unreadable/);
  });

  it('applies a negative quantity as 0 and rounds a fraction down, with notes', () => {
    const neg = readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: -3 }, 1);
    expect(neg.quantity).toBe(0);
    expect(neg.notes).toEqual(['negative quantity -3 applied as 0']);
    const frac = readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: '2.5' }, 1);
    expect(frac.quantity).toBe(2);
    expect(frac.notes).toEqual(['fractional quantity 2.5 rounded down']);
  });

  it('marks missing and malformed quantities invalid', () => {
    for (const q of [undefined, null, '', 'N/A', 'abc', true, {}]) {
      const it = readFeedItem({ VendorName: 'A', ItemNumber: 'B', ...(q === undefined ? {} : { Quantity: q }) }, 1);
      expect(it.invalid, JSON.stringify(q)).toMatch(/quantity/);
      expect(it.quantity).toBeUndefined();
    }
  });

  it('marks items without vendor or item number invalid', () => {
    expect(readFeedItem({ VendorName: '', ItemNumber: 'B', Quantity: 1 }, 1).invalid).toBe('no vendor name');
    expect(readFeedItem({ VendorName: 'A', Quantity: 1 }, 1).invalid).toBe('no item number');
    expect(readFeedItem(['x'], 4).invalid).toContain('not an object');
  });

  it('notes a zero, missing or unreadable price instead of using it', () => {
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: 1, ListPrice: 0 }, 1).priceProblem).toContain('not above zero');
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: 1 }, 1).priceProblem).toBe('no list price');
    expect(readFeedItem({ VendorName: 'A', ItemNumber: 'B', Quantity: 1, ListPrice: 'call' }, 1).priceProblem).toContain('unreadable');
  });
});
