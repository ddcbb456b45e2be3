/**
 * Every assumed Lizzy wire name and shape lives here (see shared/lizzy-api-contract.md).
 * The client and the mock both speak through this module, so a correction to the
 * contract is a change to this file alone.
 */

import { formatCents } from '../util/money.js';

export const PATHS = {
  inventoryFeed: '/inventoryfeed',
  inventoryItem: '/inventoryitem',
  submitOrder: '/submitorder',
  orderStatus: '/orderstatus',
} as const;

/** Statuses that mean "accepted" for submitorder. */
export const ACCEPTED_STATUSES = new Set([200, 201, 204]);

// ---- requests ----------------------------------------------------------------------------

export function authorizationHeader(apiKey: string): string {
  return `Basic ${Buffer.from(apiKey, 'utf8').toString('base64')}`;
}

/** The value of the single `payload` parameter. */
export function encodePayload(payload: unknown): string {
  return JSON.stringify(payload);
}

export function inventoryFeedPayload(modifiedSince: string) {
  return { modifiedsince: modifiedSince };
}

export function inventoryItemPayload(vendorName: string, partNumber: string) {
  return { vendorname: vendorName, partnumber: partNumber };
}

export function orderStatusPayload(webstoreId: string, orderNumbers: string[]) {
  return { webstoreid: webstoreId, ordernumbers: orderNumbers };
}

export function submitOrderPayload(webstoreId: string, orders: WireOrder[]) {
  return { webstoreid: webstoreId, orders };
}

// ---- inventory items ---------------------------------------------------------------------

/** Canonical field → the keys Lizzy may use for it (matched case-insensitively). */
export const ITEM_FIELD_ALIASES = {
  vendorName: ['vendorname', 'vendor'],
  itemNumber: ['itemnumber', 'partnumber'],
  description: ['description'],
  listPrice: ['listprice', 'list', 'msrp'],
  quantity: ['quantity', 'qtyavail', 'qtyonhand', 'stock'],
  lastModified: ['lastmodified'],
} as const;

export type ItemField = keyof typeof ITEM_FIELD_ALIASES;

const KEY_TO_FIELD = new Map<string, ItemField>();
for (const [field, keys] of Object.entries(ITEM_FIELD_ALIASES) as [ItemField, readonly string[]][]) {
  for (const k of keys) KEY_TO_FIELD.set(k, field);
}

/** A feed item with its fields found, values still as Lizzy sent them. */
export type RawItem = Partial<Record<ItemField, unknown>>;

/**
 * Pick the known fields out of one parsed feed object, whatever the key case or alias. A
 * field given under two keys with different values ("Quantity": 7, "QtyAvail": 9) is passed
 * to `conflict` with both keys: which one Lizzy meant is a guess.
 */
export function pickItemFields(obj: Record<string, unknown>, conflict?: (field: ItemField, keys: [string, unknown][]) => void): RawItem {
  const out: RawItem = {};
  let from: Partial<Record<ItemField, string>> | undefined;
  for (const key in obj) {
    const field = KEY_TO_FIELD.get(key.toLowerCase());
    if (!field) continue;
    if (out[field] !== undefined && conflict && from?.[field] !== undefined && obj[key] !== out[field] && String(obj[key]) !== String(out[field])) {
      conflict(field, [
        [from[field]!, out[field]],
        [key, obj[key]],
      ]);
    }
    // The canonical key wins over an alias when both are present.
    if (out[field] === undefined || ITEM_FIELD_ALIASES[field][0] === key.toLowerCase()) {
      out[field] = obj[key];
      (from ??= {})[field] = key;
    }
  }
  return out;
}

/** The canonical PascalCase item, as the mock serves it. */
export interface WireItem {
  VendorName: string;
  ItemNumber: string;
  Description?: string;
  ListPrice?: number | string;
  Quantity?: number | string;
  LastModified?: string;
}

// ---- orders ------------------------------------------------------------------------------

export interface WireAddress {
  Name: string;
  Email: string;
  Phone: string;
  Address1: string;
  Address2: string;
  City: string;
  State: string;
  Zip: string;
  Country: string;
}

export interface WireOrderItem {
  ProductId: string;
  Manufacturer: string;
  Description: string;
  Price: string;
  Quantity: number;
}

export interface WireOrder {
  OrderNumber: string;
  OrderDate: string;
  OrderTime: string;
  ShipTo: WireAddress;
  BillTo: WireAddress;
  Tax: string;
  Shipping: string;
  Total: string;
  Items: WireOrderItem[];
}

/** Address fields that identify a person: hidden in dry-run output unless asked for. */
export const PERSONAL_ADDRESS_FIELDS: readonly (keyof WireAddress)[] = ['Name', 'Email', 'Phone', 'Address1', 'Address2'];

/** An order as the sync hands it to the wire: money in integer cents, date and time already in the schedule's zone. */
export interface OrderForWire {
  orderNumber: string;
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS */
  time: string;
  shipTo: AddressForWire;
  billTo: AddressForWire;
  taxCents: number;
  shippingCents: number;
  totalCents: number;
  items: Array<{ productId: string; manufacturer: string; description: string; priceCents: number; quantity: number }>;
}

export interface AddressForWire {
  name: string;
  email: string;
  phone: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

/** Money travels as a decimal string with exactly two places ("0.10", "1299.00"): no float on the way. */
export function wireMoney(cents: number): string {
  return formatCents(cents);
}

function wireAddress(a: AddressForWire): WireAddress {
  return {
    Name: a.name,
    Email: a.email,
    Phone: a.phone,
    Address1: a.address1,
    Address2: a.address2,
    City: a.city,
    State: a.state,
    Zip: a.zip,
    Country: a.country,
  };
}

/** One order of a submitorder payload. */
export function buildWireOrder(o: OrderForWire): WireOrder {
  return {
    OrderNumber: o.orderNumber,
    OrderDate: o.date,
    OrderTime: o.time,
    ShipTo: wireAddress(o.shipTo),
    BillTo: wireAddress(o.billTo),
    Tax: wireMoney(o.taxCents),
    Shipping: wireMoney(o.shippingCents),
    Total: wireMoney(o.totalCents),
    Items: o.items.map((it) => ({
      ProductId: it.productId,
      Manufacturer: it.manufacturer,
      Description: it.description,
      Price: wireMoney(it.priceCents),
      Quantity: it.quantity,
    })),
  };
}

/** A row of submitorder's optional response body. */
export interface WireSubmitResult {
  OrderNumber: string;
  InvoiceNumber?: string;
}

/** A row of orderstatus's response. */
export interface WireOrderStatus {
  OrderNumber: string;
  Status?: string;
  InvoiceNumber?: string;
}

/**
 * Assumed: orderstatus lists only the orders Lizzy has. A row whose Status says the order is
 * not there ("NotFound", "Unknown", "Missing", "None", "Does not exist") is read as absent all
 * the same, so that such an answer leads to a resend rather than an order marked sent that
 * Lizzy never received.
 */
export const ORDER_ABSENT_STATUS = /^\s*(not[\s_-]*found|unknown|missing|none|no[\s_-]*such[\s\w]*|does[\s_-]*not[\s_-]*exist|not[\s_-]*received|absent)\s*$/i;

/** Does this orderstatus row say Lizzy has the order? */
export function orderStatusMeansReceived(row: WireOrderStatus): boolean {
  return row.OrderNumber !== '' && !(row.Status !== undefined && ORDER_ABSENT_STATUS.test(row.Status));
}

/** Read a key of a response object case-insensitively. */
export function field(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return (obj as Record<string, unknown>)[k];
  return undefined;
}
