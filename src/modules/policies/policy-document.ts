/**
 * A store's policy as data: the JSON document a manager edits and storedesk keeps as immutable
 * versions. This file is the document's shape (TypeBox, so the API validates it and the OpenAPI
 * document describes it), the checks a schema cannot express (dates that exist, duplicate ids),
 * the default for a new store, and the plain-language summary and the clause-by-clause diff
 * shown in the history. Keys are snake_case like the rest of the API; amounts are integer minor
 * units of the order's currency; day windows count calendar days in the store's time zone.
 */
import { Type, type Static } from '@sinclair/typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../../shared/errors.ts';
import { formatMoney } from '../stores/money.ts';

/** Where an order is, as the policy names it for "which action is allowed when". */
export const ORDER_STAGES = ['placed', 'paid', 'shipped', 'delivered'] as const;
export type OrderStage = (typeof ORDER_STAGES)[number];

/** Actions whose allowed stages the policy sets (add_note is always allowed). */
export const STAGED_ACTIONS = ['cancel', 'refund', 'create_return', 'exchange', 'reship', 'discount_code', 'store_credit'] as const;
export type StagedAction = (typeof STAGED_ACTIONS)[number];

/** Why something goes back, as the policy distinguishes reasons (free-text reasons are mapped to these). */
export const RETURN_REASONS = ['defective', 'damaged', 'wrong_item', 'not_as_described', 'changed_mind'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/**
 * The reason code an agent picks for an action on an order (`reason_code`), so the engine never
 * has to read the agent's words. The first five are the policy's own return reasons (warranty,
 * restocking fee waived, free return shipping); `price_drop` asks for price protection on a
 * refund; `late_delivery` and `other` are kept for the record and trigger no reason-dependent rule.
 */
export const REASON_CODES = [...RETURN_REASONS, 'late_delivery', 'price_drop', 'other'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

const Stage = Type.Union(ORDER_STAGES.map((s) => Type.Literal(s)));
const Reason = Type.Union(RETURN_REASONS.map((r) => Type.Literal(r)));
const Days = (description: string) => Type.Integer({ minimum: 0, maximum: 3650, description });
const Minor = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000, description });
const Percent = (description: string) => Type.Integer({ minimum: 0, maximum: 100, description });
const MonthDay = (description: string) => Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', description: `${description} (MM-DD)` });
const WindowFrom = Type.Union([Type.Literal('delivery'), Type.Literal('purchase')], { description: 'Count the window from the delivery date or the purchase date' });
const Stages = (action: StagedAction) => Type.Array(Stage, { uniqueItems: true, maxItems: 4, description: `Order stages in which ${action} is allowed` });
const Label = (description: string) => Type.String({ minLength: 1, maxLength: 120, description });

/** Which products a clause applies to: any of the listed SKUs, SKU prefixes, product ids, tags or categories. */
export const ProductMatchSchema = Type.Object(
  {
    skus: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500, description: 'Exact SKUs (case-insensitive)' })),
    sku_prefixes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'SKUs starting with one of these (works on every platform)' })),
    product_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500, description: 'The platform’s product ids' })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50, description: 'Product tags (where the platform has them)' })),
    categories: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, description: 'Product categories (where the platform has them)' })),
  },
  { additionalProperties: false },
);
export type ProductMatch = Static<typeof ProductMatchSchema>;

/** A per-product exception to the return rules. */
export const PolicyExceptionSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-_]{0,49}$', description: 'Stable id, cited in answers (final-sale, hygiene, home-trial)' }),
    name: Label('What customers call these products ("Clearance items", "Hygiene items")'),
    match: ProductMatchSchema,
    effect: Type.Union([Type.Literal('final_sale'), Type.Literal('no_returns'), Type.Literal('extended_window')], {
      description: 'final_sale: no returns or exchanges; no_returns: no returns or exchanges once delivered (hygiene); extended_window: a longer return window (home trial)',
    }),
    window_days: Type.Optional(Days('For extended_window: the window in days')),
    from: Type.Optional(WindowFrom),
  },
  { additionalProperties: false },
);
export type PolicyException = Static<typeof PolicyExceptionSchema>;

/** The policy document, format 1. */
export const PolicyDocumentSchema = Type.Object(
  {
    format: Type.Literal(1, { description: 'Document format version' }),
    stages: Type.Object(
      {
        cancel: Stages('cancel'),
        refund: Stages('refund'),
        create_return: Stages('create_return'),
        exchange: Stages('exchange'),
        reship: Stages('reship'),
        discount_code: Stages('discount_code'),
        store_credit: Stages('store_credit'),
      },
      { additionalProperties: false, description: 'Which order stages allow which action (placed, paid, shipped, delivered)' },
    ),
    returns: Type.Object(
      {
        enabled: Type.Boolean(),
        window_days: Days('Returns are accepted within this many days'),
        from: WindowFrom,
        seasonal: Type.Array(
          Type.Object(
            {
              name: Label('"Holiday returns"'),
              placed_from: MonthDay('First purchase day of the season'),
              placed_until: MonthDay('Last purchase day of the season'),
              return_until: MonthDay('Returns accepted until this day (the next year when it falls before placed_from)'),
            },
            { additionalProperties: false },
          ),
          { maxItems: 10, description: 'Seasonal extensions: orders placed in a period may be returned until a fixed date' },
        ),
        restocking_fee: Type.Object(
          {
            percent: Percent('Default restocking fee, percent of the item value'),
            categories: Type.Array(Type.Object({ category: Type.String({ minLength: 1, maxLength: 200 }), percent: Percent('Fee for this category') }, { additionalProperties: false }), { maxItems: 50 }),
            waived_for: Type.Array(Reason, { uniqueItems: true, description: 'No fee for these reasons' }),
          },
          { additionalProperties: false },
        ),
        return_shipping: Type.Object(
          {
            paid_by: Type.Union([Type.Literal('customer'), Type.Literal('store')], { description: 'Who pays return shipping normally' }),
            fee: Minor('What the customer pays for return shipping (deducted from the refund)'),
            free_for: Type.Array(Reason, { uniqueItems: true, description: 'Free return shipping for these reasons' }),
            free_above: Type.Union([Minor('Free return shipping for orders of at least this total'), Type.Null()]),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    exchanges: Type.Object(
      {
        enabled: Type.Boolean(),
        window_days: Days('Exchanges are accepted within this many days'),
        from: WindowFrom,
        same_product_only: Type.Boolean({ description: 'Only other variants (size, colour) of the same product' }),
        max_value: Type.Union([Type.Literal('any'), Type.Literal('equal_or_lower')], { description: 'equal_or_lower: the replacement may not cost more than the price paid' }),
      },
      { additionalProperties: false },
    ),
    refunds: Type.Object(
      {
        destination: Type.Union([Type.Literal('original_payment'), Type.Literal('store_credit'), Type.Literal('customer_choice')], { description: 'Where refunds go' }),
        require_return_after_delivery: Type.Boolean({ description: 'Delivered items are refunded once returned (defective, damaged or wrong items excepted)' }),
      },
      { additionalProperties: false },
    ),
    exceptions: Type.Array(PolicyExceptionSchema, { maxItems: 100 }),
    warranty: Type.Object(
      {
        months: Type.Integer({ minimum: 0, maximum: 240, description: 'Defective items are repaired, replaced or refunded within this many months of delivery' }),
        categories: Type.Array(Type.Object({ category: Type.String({ minLength: 1, maxLength: 200 }), months: Type.Integer({ minimum: 0, maximum: 240 }) }, { additionalProperties: false }), { maxItems: 50 }),
      },
      { additionalProperties: false },
    ),
    price_protection: Type.Object(
      { enabled: Type.Boolean(), days: Days('Within this many days of purchase, a lower price refunds the difference') },
      { additionalProperties: false },
    ),
    no_receipt: Type.Object(
      {
        enabled: Type.Boolean(),
        lookback_days: Days('A purchase of the item on the customer’s account within this many days counts as the receipt'),
      },
      { additionalProperties: false, description: 'Returns without a receipt: store credit at the lowest price paid' },
    ),
  },
  { additionalProperties: false },
);

/** A store's policy. */
export type PolicyDocument = Static<typeof PolicyDocumentSchema>;

/** The policy a store has until someone saves one: 30-day returns from delivery, cancel before shipping. */
export function defaultPolicy(): PolicyDocument {
  return {
    format: 1,
    stages: {
      cancel: ['placed', 'paid'],
      refund: ['placed', 'paid', 'shipped', 'delivered'],
      create_return: ['delivered'],
      exchange: ['delivered'],
      reship: ['shipped', 'delivered'],
      discount_code: ['placed', 'paid', 'shipped', 'delivered'],
      store_credit: ['placed', 'paid', 'shipped', 'delivered'],
    },
    returns: {
      enabled: true,
      window_days: 30,
      from: 'delivery',
      seasonal: [],
      restocking_fee: { percent: 0, categories: [], waived_for: ['defective', 'damaged', 'wrong_item'] },
      return_shipping: { paid_by: 'customer', fee: 0, free_for: ['defective', 'damaged', 'wrong_item'], free_above: null },
    },
    exchanges: { enabled: true, window_days: 30, from: 'delivery', same_product_only: false, max_value: 'any' },
    refunds: { destination: 'customer_choice', require_return_after_delivery: false },
    exceptions: [],
    warranty: { months: 24, categories: [] },
    price_protection: { enabled: false, days: 14 },
    no_receipt: { enabled: false, lookback_days: 365 },
  };
}

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateSchema = ajv.compile<PolicyDocument>(PolicyDocumentSchema);

/** Days in each month of a leap year: 02-29 is a valid month-day (a season may end on it). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validMonthDay(md: string): boolean {
  const [m, d] = md.split('-').map(Number);
  return m !== undefined && d !== undefined && m >= 1 && m <= 12 && d >= 1 && d <= (MONTH_DAYS[m - 1] ?? 0);
}

/** The JSON path of an ajv issue as a dotted field under `prefix`. */
function fieldPath(prefix: string, instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`));
  const path = `${prefix}${parts.join('')}${extra ? `.${extra}` : ''}`;
  return path.startsWith('.') ? path.slice(1) : path;
}

/**
 * Checks a document, naming the field of every mistake (`document.returns.window_days`), or
 * answers the typed document. Besides the schema: dates that exist, unique exception ids, an
 * extended window on extended_window exceptions, and a match on every exception.
 */
export function validatePolicyDocument(value: unknown, prefix = 'document'): { ok: true; document: PolicyDocument } | { ok: false; errors: FieldError[] } {
  if (!validateSchema(value)) {
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    for (const e of validateSchema.errors ?? []) {
      // A union's failed branches repeat themselves; keep the first message per field.
      const p = e.params as Record<string, unknown>;
      const field = e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string'
        ? fieldPath(prefix, e.instancePath, p.additionalProperty)
        : e.keyword === 'required' && typeof p.missingProperty === 'string'
          ? fieldPath(prefix, e.instancePath, p.missingProperty)
          : fieldPath(prefix, e.instancePath);
      if (seen.has(field)) continue;
      seen.add(field);
      const message = e.keyword === 'additionalProperties' ? 'is not a known field'
        : e.keyword === 'required' ? 'is required'
          : e.keyword === 'pattern' && String(e.schemaPath).includes('placed_') ? 'must be a date as MM-DD'
            : e.keyword === 'pattern' && String(e.schemaPath).includes('return_until') ? 'must be a date as MM-DD'
              : e.message ?? 'is not valid';
      errors.push({ field, message });
    }
    return { ok: false, errors };
  }
  const doc = value;
  const errors: FieldError[] = [];
  doc.returns.seasonal.forEach((s, i) => {
    for (const key of ['placed_from', 'placed_until', 'return_until'] as const) {
      if (!validMonthDay(s[key])) errors.push({ field: `${prefix}.returns.seasonal[${i}].${key}`, message: `${s[key]} is not a day of the year` });
    }
  });
  const ids = new Set<string>();
  doc.exceptions.forEach((x, i) => {
    if (ids.has(x.id)) errors.push({ field: `${prefix}.exceptions[${i}].id`, message: `${x.id} is used by another exception` });
    ids.add(x.id);
    const m = x.match;
    const count = (m.skus?.length ?? 0) + (m.sku_prefixes?.length ?? 0) + (m.product_ids?.length ?? 0) + (m.tags?.length ?? 0) + (m.categories?.length ?? 0);
    if (count === 0) errors.push({ field: `${prefix}.exceptions[${i}].match`, message: 'must name at least one SKU, SKU prefix, product id, tag or category' });
    if (x.effect === 'extended_window' && x.window_days === undefined) errors.push({ field: `${prefix}.exceptions[${i}].window_days`, message: 'is required for an extended window' });
  });
  const cats = new Set<string>();
  doc.warranty.categories.forEach((c, i) => {
    const key = c.category.toLowerCase();
    if (cats.has(key)) errors.push({ field: `${prefix}.warranty.categories[${i}].category`, message: `${c.category} is listed twice` });
    cats.add(key);
  });
  return errors.length ? { ok: false, errors } : { ok: true, document: doc };
}

// ---------------------------------------------------------------------------------------------
// Words

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "1 November" for "11-01". */
export function monthDayText(md: string): string {
  const [m, d] = md.split('-').map(Number);
  return `${d ?? ''} ${MONTHS[(m ?? 1) - 1] ?? ''}`;
}

const STAGE_TEXT: Record<OrderStage, string> = { placed: 'placed', paid: 'paid', shipped: 'shipped', delivered: 'delivered' };

/** "once the order has been delivered", "until the order ships". */
export function stagesText(stages: readonly OrderStage[]): string {
  const set = new Set(stages);
  if (set.size === 4) return 'at any time';
  if (set.size === 0) return 'never';
  if (set.size === 2 && set.has('placed') && set.has('paid')) return 'until the order ships';
  if (set.size === 1 && set.has('placed')) return 'until the order is paid';
  if (set.size === 1 && set.has('delivered')) return 'once the order has been delivered';
  if (set.size === 2 && set.has('shipped') && set.has('delivered')) return 'once the order has shipped';
  if (set.size === 3 && !set.has('placed')) return 'once the order is paid';
  return `when the order is ${ORDER_STAGES.filter((s) => set.has(s)).map((s) => STAGE_TEXT[s]).join(' or ')}`;
}

/** The subject of each action's sentences. */
export const ACTION_SUBJECT: Record<StagedAction, string> = {
  cancel: 'Orders can be cancelled',
  refund: 'Refunds are given',
  create_return: 'Returns are accepted',
  exchange: 'Exchanges are accepted',
  reship: 'Replacements are sent',
  discount_code: 'Discount codes are given',
  store_credit: 'Store credit is given',
};

const REASON_TEXT: Record<ReturnReason, string> = {
  defective: 'defective', damaged: 'damaged', wrong_item: 'wrong', not_as_described: 'not as described', changed_mind: 'no longer wanted',
};

/** "defective, damaged or wrong". */
export function reasonsText(reasons: readonly ReturnReason[]): string {
  const words = reasons.map((r) => REASON_TEXT[r]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function matchText(m: ProductMatch): string {
  const parts = [
    ...(m.categories ?? []).map((c) => `category ${c}`),
    ...(m.tags ?? []).map((t) => `tag “${t}”`),
    ...(m.skus ?? []).map((s) => `SKU ${s}`),
    ...(m.sku_prefixes ?? []).map((s) => `SKUs starting ${s}`),
    ...(m.product_ids ?? []).map((p) => `product ${p}`),
  ];
  return parts.length > 4 ? `${parts.slice(0, 4).join(', ')} and ${parts.length - 4} more` : parts.join(', ');
}

/** One sentence per clause, in the order a customer would ask about them. `currency` formats fees. */
export function summarizePolicy(doc: PolicyDocument, currency: string): { clause: string; text: string }[] {
  const out: { clause: string; text: string }[] = [];
  const fmt = (n: number) => formatMoney(n, currency);
  for (const a of STAGED_ACTIONS) {
    if (a === 'refund' || a === 'discount_code' || a === 'store_credit') continue;
    out.push({ clause: `stages.${a}`, text: `${ACTION_SUBJECT[a]} ${stagesText(doc.stages[a])}.` });
  }
  const r = doc.returns;
  if (!r.enabled) out.push({ clause: 'returns.window', text: 'Returns are not accepted.' });
  else out.push({ clause: 'returns.window', text: `Returns are accepted within ${r.window_days} days of ${r.from}.` });
  for (const s of r.seasonal) {
    out.push({ clause: 'returns.seasonal', text: `${s.name}: orders placed between ${monthDayText(s.placed_from)} and ${monthDayText(s.placed_until)} can be returned until ${monthDayText(s.return_until)}.` });
  }
  for (const x of doc.exceptions) {
    const what = matchText(x.match);
    if (x.effect === 'final_sale') out.push({ clause: `exceptions.${x.id}`, text: `${x.name} (${what}) are final sale: no returns or exchanges unless defective.` });
    else if (x.effect === 'no_returns') out.push({ clause: `exceptions.${x.id}`, text: `${x.name} (${what}) cannot be returned or exchanged once delivered, unless defective.` });
    else out.push({ clause: `exceptions.${x.id}`, text: `${x.name} (${what}) can be returned within ${x.window_days ?? r.window_days} days of ${x.from ?? r.from}.` });
  }
  const fee = r.restocking_fee;
  if (fee.percent > 0 || fee.categories.some((c) => c.percent > 0)) {
    const cats = fee.categories.map((c) => `${c.percent}% on ${c.category}`).join(', ');
    const waived = fee.waived_for.length ? `, waived for ${reasonsText(fee.waived_for)} items` : '';
    const what = fee.percent > 0 ? `${fee.percent}%${cats ? ` (${cats})` : ''}` : cats;
    out.push({ clause: 'returns.restocking_fee', text: `A restocking fee of ${what} is deducted from refunds for returns${waived}.` });
  } else {
    out.push({ clause: 'returns.restocking_fee', text: 'There is no restocking fee.' });
  }
  const ship = r.return_shipping;
  if (ship.paid_by === 'store' || ship.fee === 0) out.push({ clause: 'returns.return_shipping', text: 'Return shipping is free.' });
  else {
    const free = [ship.free_for.length ? `for ${reasonsText(ship.free_for)} items` : '', ship.free_above !== null ? `for orders of ${fmt(ship.free_above)} or more` : ''].filter(Boolean).join(' and ');
    out.push({ clause: 'returns.return_shipping', text: `Return shipping costs ${fmt(ship.fee)}, deducted from the refund${free ? `; it is free ${free}` : ''}.` });
  }
  const dest = doc.refunds.destination;
  out.push({
    clause: 'refunds.destination',
    text: dest === 'original_payment' ? 'Refunds go back to the original payment method.' : dest === 'store_credit' ? 'Refunds are given as store credit.' : 'Refunds go back to the original payment method or, if the customer prefers, to store credit.',
  });
  if (doc.refunds.require_return_after_delivery) out.push({ clause: 'refunds.require_return', text: 'Delivered items are refunded once they are returned, unless they arrived damaged, defective or wrong.' });
  const x = doc.exchanges;
  if (!x.enabled) out.push({ clause: 'exchanges.window', text: 'Exchanges are not offered.' });
  else {
    const limits = [x.same_product_only ? 'for another size or colour of the same product' : '', x.max_value === 'equal_or_lower' ? 'for an item of equal or lower value' : ''].filter(Boolean).join(' and ');
    out.push({ clause: 'exchanges.window', text: `Exchanges are accepted within ${x.window_days} days of ${x.from}${limits ? `, ${limits}` : ''}.` });
  }
  const w = doc.warranty;
  out.push({
    clause: 'warranty',
    text: `Defective items are covered by a ${w.months}-month warranty from delivery${w.categories.length ? ` (${w.categories.map((c) => `${c.category}: ${c.months} months`).join(', ')})` : ''}.`,
  });
  if (doc.price_protection.enabled) out.push({ clause: 'price_protection', text: `Price protection: if the price drops within ${doc.price_protection.days} days of purchase, the difference is refunded.` });
  if (doc.no_receipt.enabled) out.push({ clause: 'no_receipt', text: `Returns without a receipt are accepted as store credit at the lowest price paid, when the customer’s account shows the purchase in the last ${doc.no_receipt.lookback_days} days.` });
  return out;
}

/**
 * What changed between two versions, one sentence per changed clause ("Returns: 30 → 45 days
 * of delivery"), by comparing their summaries clause by clause.
 */
export function diffPolicies(before: PolicyDocument | null, after: PolicyDocument, currency: string): string[] {
  if (!before) return ['First version of the policy.'];
  const a = summarizePolicy(before, currency);
  const b = summarizePolicy(after, currency);
  const changes: string[] = [];
  const key = (items: { clause: string; text: string }[]) => {
    const m = new Map<string, string[]>();
    for (const i of items) m.set(i.clause, [...(m.get(i.clause) ?? []), i.text]);
    return m;
  };
  const ma = key(a);
  const mb = key(b);
  for (const [clause, texts] of mb) {
    const old = ma.get(clause);
    if (!old) changes.push(`Added: ${texts.join(' ')}`);
    else if (old.join(' ') !== texts.join(' ')) changes.push(`Changed: ${texts.join(' ')} (was: ${old.join(' ')})`);
  }
  for (const [clause, texts] of ma) if (!mb.has(clause)) changes.push(`Removed: ${texts.join(' ')}`);
  return changes.length ? changes : ['No change to the rules.'];
}
