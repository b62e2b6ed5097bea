/**
 * CSV for the built-in store: products one row per variant, orders one row per line (rows with
 * the same number form one order). Prices in CSV are decimals in the store's currency ("129.95"),
 * as spreadsheets and other platforms export them; they become minor units here, once.
 */
import type { FieldError } from '../../../../shared/errors.ts';
import type { ShopFulfillmentStatus, ShopPaymentStatus } from '../../../../db/schema.ts';
import { toMinorUnits } from '../../money.ts';
import type { OrderInput, ProductInput } from './builtin.service.ts';

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
      if (c === '\r' && src[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

/** Rows as records keyed by the (lower-cased, trimmed) header. */
function records(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [head, ...body] = parseCsv(text);
  const header = (head ?? []).map((h) => h.trim().toLowerCase());
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? '').trim()]))) };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function requireColumns(header: string[], needed: string[]): FieldError[] {
  return needed.filter((c) => !header.includes(c)).map((c) => ({ field: `csv.${c}`, message: 'column is missing from the header' }));
}

/** Products CSV: handle,title,sku,variant_title,price[,category,tags,description,inventory,option_*]. */
export function productsFromCsv(text: string, currency: string): Parsed<ProductInput[]> {
  const { header, rows } = records(text);
  const errors = requireColumns(header, ['handle', 'title', 'sku', 'variant_title', 'price']);
  if (errors.length) return { ok: false, errors };
  const products = new Map<string, ProductInput>();
  rows.forEach((r, i) => {
    const at = (col: string) => `rows[${i + 2}].${col}`;
    const handle = r.handle ?? '';
    if (!handle) errors.push({ field: at('handle'), message: 'is empty' });
    if (!r.sku) errors.push({ field: at('sku'), message: 'is empty' });
    let price = 0;
    try {
      price = toMinorUnits(r.price ?? '', currency);
      if (price < 0) errors.push({ field: at('price'), message: 'cannot be negative' });
    } catch {
      errors.push({ field: at('price'), message: `"${r.price}" is not a price` });
    }
    const inventory = r.inventory ? Number(r.inventory) : null;
    if (inventory !== null && !Number.isInteger(inventory)) errors.push({ field: at('inventory'), message: 'must be a whole number' });
    const options = Object.fromEntries(Object.entries(r).filter(([k, v]) => k.startsWith('option_') && v).map(([k, v]) => [k.slice(7), v]));
    const product = products.get(handle) ?? {
      handle, title: r.title ?? handle, description: r.description || null, category: r.category || null,
      tags: (r.tags ?? '').split(/[,;|]/).map((t) => t.trim()).filter(Boolean), variants: [],
    };
    product.variants.push({ sku: r.sku ?? '', title: r.variant_title || 'Default', options, price, inventory });
    products.set(handle, product);
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: [...products.values()] };
}

const PAYMENT_STATUSES: readonly ShopPaymentStatus[] = ['pending', 'authorized', 'captured', 'voided', 'failed'];
const PARCEL_STATUSES: readonly ShopFulfillmentStatus[] = ['pending', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender'];

/**
 * Orders CSV, one row per line: number,email,sku,quantity[,placed_at,name,phone,currency,title,
 * unit_price,shipping,shipping_method,payment_method,payment_detail,payment_status,carrier,
 * tracking_number,shipped_at,delivered_at,parcel_status,address_name,address_line1,
 * address_postal_code,address_city,address_country]. Order fields are read from the first row.
 */
export function ordersFromCsv(text: string, currency: string): Parsed<OrderInput[]> {
  const { header, rows } = records(text);
  const errors = requireColumns(header, ['number', 'email', 'sku', 'quantity']);
  if (errors.length) return { ok: false, errors };
  const orders = new Map<string, OrderInput>();
  rows.forEach((r, i) => {
    const at = (col: string) => `rows[${i + 2}].${col}`;
    const cur = (r.currency || currency).toUpperCase();
    const money = (col: string): number | undefined => {
      const v = r[col];
      if (!v) return undefined;
      try {
        return toMinorUnits(v, cur);
      } catch {
        errors.push({ field: at(col), message: `"${v}" is not an amount` });
        return undefined;
      }
    };
    const date = (col: string): Date | undefined => {
      const v = r[col];
      if (!v) return undefined;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) errors.push({ field: at(col), message: `"${v}" is not a date` });
      return d;
    };
    const number = r.number ?? '';
    if (!number) errors.push({ field: at('number'), message: 'is empty' });
    if (!r.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r.email)) errors.push({ field: at('email'), message: 'is not an email address' });
    const quantity = Number(r.quantity);
    if (!Number.isInteger(quantity) || quantity < 1) errors.push({ field: at('quantity'), message: 'must be a whole number of at least 1' });
    const unitPrice = money('unit_price');
    const line = { sku: r.sku || undefined, title: r.title || undefined, quantity, unitPrice };
    const existing = orders.get(number);
    if (existing) {
      existing.lines.push(line);
      return;
    }
    const paymentStatus = PAYMENT_STATUSES.find((s) => s === (r.payment_status || 'captured')) ?? 'captured';
    if (r.payment_status && !PAYMENT_STATUSES.some((s) => s === r.payment_status)) errors.push({ field: at('payment_status'), message: `must be one of ${PAYMENT_STATUSES.join(', ')}` });
    const parcelStatus = PARCEL_STATUSES.find((s) => s === r.parcel_status);
    if (r.parcel_status && !parcelStatus) errors.push({ field: at('parcel_status'), message: `must be one of ${PARCEL_STATUSES.join(', ')}` });
    const shippedAt = date('shipped_at');
    const deliveredAt = date('delivered_at');
    const address = r.address_line1
      ? { name: r.address_name || r.name || '', line1: r.address_line1, postal_code: r.address_postal_code ?? '', city: r.address_city ?? '', country: (r.address_country || 'NL').toUpperCase() }
      : null;
    orders.set(number, {
      number,
      placedAt: date('placed_at'),
      customer: { email: r.email ?? '', name: r.name || null, phone: r.phone || null },
      currency: cur,
      lines: [line],
      shipping: { method: r.shipping_method || null, amount: money('shipping') ?? 0, address },
      payment: r.payment_method ? { method: r.payment_method, methodDetail: r.payment_detail || null, status: paymentStatus } : undefined,
      fulfillments: r.tracking_number || shippedAt
        ? [{ carrier: r.carrier || null, trackingNumber: r.tracking_number || null, shippedAt: shippedAt ?? null, deliveredAt: deliveredAt ?? null, status: parcelStatus }]
        : undefined,
    });
  });
  return errors.length ? { ok: false, errors: errors.slice(0, 50) } : { ok: true, value: [...orders.values()] };
}
