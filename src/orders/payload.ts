/**
 * From a stored order to what goes on the wire (the names and shapes are wire.ts's): the
 * order date and time in the schedule's zone, money as exact cents. Pure.
 */
import { buildWireOrder, PERSONAL_ADDRESS_FIELDS, submitOrderPayload, type WireAddress, type WireOrder } from '../lizzy/wire.js';
import { pad, zonedParts } from '../schedule/zone.js';
import type { OrderData } from '../store/orders.js';

/** The order's date (YYYY-MM-DD) and time (HH:MM:SS) as the dealer's clock showed them. */
export function orderDateTime(placedAt: string, timeZone: string): { date: string; time: string } {
  const p = zonedParts(new Date(placedAt), timeZone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` };
}

export function toWireOrder(o: OrderData, timeZone: string): WireOrder {
  const { date, time } = orderDateTime(o.placedAt, timeZone);
  return buildWireOrder({
    orderNumber: o.orderNumber,
    date,
    time,
    shipTo: o.shipTo,
    billTo: o.billTo,
    taxCents: o.taxCents,
    shippingCents: o.shippingCents,
    totalCents: o.totalCents,
    items: o.items,
  });
}

/** The submitorder payload for one batch. */
export function batchPayload(webstoreId: string, orders: OrderData[], timeZone: string) {
  return submitOrderPayload(
    webstoreId,
    orders.map((o) => toWireOrder(o, timeZone)),
  );
}

/** "Hank Chen" → "H*** C***", "hank.chen@example.com" → "h***@example.com", "916-555-0104" → "***0104". */
export function maskValue(field: keyof WireAddress, value: string): string {
  if (value === '') return '';
  switch (field) {
    case 'Name':
      return value
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => `${w[0]}***`)
        .join(' ');
    case 'Email': {
      const at = value.lastIndexOf('@');
      return at > 0 ? `${value[0]}***${value.slice(at)}` : '***';
    }
    case 'Phone': {
      const digits = value.replace(/\D/g, '');
      return digits.length > 4 ? `***${digits.slice(-4)}` : '***';
    }
    default:
      return '***';
  }
}

/** A copy of the order with the personal address fields masked (for dry-run output). */
export function maskPersonal(o: WireOrder): WireOrder {
  const mask = (a: WireAddress): WireAddress => {
    const out = { ...a };
    for (const f of PERSONAL_ADDRESS_FIELDS) out[f] = maskValue(f, a[f]);
    return out;
  };
  return { ...o, ShipTo: mask(o.ShipTo), BillTo: mask(o.BillTo) };
}
