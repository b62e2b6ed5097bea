/**
 * The eligibility engine: for an order, a planned action on it and the store's policy, is it
 * allowed, how much money does the policy allow, and why, each reason citing the clause in
 * words a customer understands ("Returns are accepted within 30 days of delivery; this order
 * was delivered 41 days ago."). Pure and synchronous: no I/O, no clock (the moment is given),
 * so agents, the customer portal, tests and the benchmark get the same answer for the same facts.
 *
 * Windows count calendar days in the store's time zone: delivered on the 1st, day 30 is the
 * 31st (allowed with a 30-day window), day 31 the next day (refused).
 */
import { localDateTime, localDayNumber } from '../../shared/time-zone.ts';
import type { ActionPlan, OrderActionKind, StoreOrder, StoreOrderLine } from '../stores/connectors/connector.ts';
import { hasShipped, lineStates, lineTitle, paidAmount } from '../stores/connectors/order-math.ts';
import { formatMoney } from '../stores/money.ts';
import {
  ACTION_SUBJECT, monthDayText, reasonsText, stagesText, type OrderStage, type PolicyDocument, type PolicyException, type ProductMatch,
  RETURN_REASONS, type ReasonCode, type ReturnReason, type StagedAction,
} from './policy-document.ts';

/** What the policy may know about a product besides its SKU (platforms without categories or tags leave them empty). */
export interface ProductFacts {
  productId: string | null;
  category: string | null;
  tags: readonly string[];
}

/** One reason in an answer: the clause it comes from, whether it allows, and the sentence. */
export interface PolicyReason {
  /** Stable clause id: returns.window, exceptions.final-sale, warranty, stages.cancel, … */
  clause: string;
  ok: boolean;
  text: string;
}

/** The engine's answer. */
export interface Eligibility {
  allowed: boolean;
  action: OrderActionKind | 'no_receipt_return';
  /** The most money the policy allows for this action (minor units); null when the policy sets no amount. */
  allowedAmount: number | null;
  /** The money the plan moves. */
  requestedAmount: number;
  currency: string;
  /** Where the money may go, when the policy decides it. */
  destination: 'original_payment' | 'store_credit' | null;
  /** Deductions the policy makes from a refund for returned items. */
  fees: { restocking: number; returnShipping: number };
  /** Refusals first, then what allowed it and notes. */
  reasons: PolicyReason[];
}

/** Everything the engine looks at for an action on an order. */
export interface EligibilityInput {
  policy: PolicyDocument;
  order: StoreOrder;
  plan: ActionPlan;
  /** Product facts by upper-case SKU, for the order's lines and an exchange's replacements. */
  products: ReadonlyMap<string, ProductFacts>;
  /** Current prices by upper-case SKU (price protection). */
  currentPrices?: ReadonlyMap<string, number> | undefined;
  at: Date;
  /** IANA time zone of the store. */
  timeZone: string;
  /**
   * The reason codes the agent picked. When given they decide every reason-dependent rule and the
   * free-text reasons are only the agent's note; without them (older API callers) the engine falls
   * back to recognising English words in the text (`reasonKind`).
   */
  reasonCodes?: ReasonCodes | undefined;
}

/** Reason codes of an action: one for the whole action, and per line where a line has its own. */
export interface ReasonCodes {
  action: ReasonCode | null;
  /** By order line id. */
  lines: ReadonlyMap<string, ReasonCode>;
}

// ---------------------------------------------------------------------------------------------
// Calendar days in the store's time zone

const DAY_MS = 86_400_000;
const longDates = new Map<string, Intl.DateTimeFormat>();
const dateTexts = new Map<string, string>();

/** The day numbers windows are counted in (shared/time-zone.ts), re-exported for the engine's callers and tests. */
export { localDayNumber };

/** "3 December" in the store's time zone. */
function dateText(d: Date, timeZone: string): string {
  const key = `${timeZone}|${localDayNumber(d, timeZone)}`;
  const hit = dateTexts.get(key);
  if (hit !== undefined) return hit;
  let f = longDates.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long' });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long' });
    }
    longDates.set(timeZone, f);
  }
  const text = f.format(d);
  if (dateTexts.size >= 50_000) dateTexts.clear();
  dateTexts.set(key, text);
  return text;
}

/** "41 days ago", "1 day ago", "today". */
function agoText(days: number): string {
  return days <= 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
}

/** The day number `months` calendar months after a day number (clamped to the month's end). */
function addMonths(dayNumber: number, months: number): number {
  const d = new Date(dayNumber * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY_MS;
}

// ---------------------------------------------------------------------------------------------
// Facts about the order

/** Maps an agent's or customer's free-text reason to the reasons the policy distinguishes. */
export function reasonKind(text: string | null | undefined): ReturnReason | null {
  if (!text) return null;
  const t = text.toLowerCase();
  if (/defect|faulty|broke|stopped working|not working|doesn.?t work|warranty/.test(t)) return 'defective';
  if (/damag|crushed|torn|dented|smashed/.test(t)) return 'damaged';
  if (/wrong[ _-]?item|sent the wrong|wrong product|incorrect item|not what (i|we) ordered/.test(t)) return 'wrong_item';
  if (/not[ _-]?as[ _-]?described|different from the (photo|picture|description)/.test(t)) return 'not_as_described';
  if (/changed?[ _-]?(my )?mind|no longer|doesn.?t fit|too (small|big|large|tight)|don.?t (like|want)/.test(t)) return 'changed_mind';
  return null;
}

/** Whether a reason asks for price protection ("price drop", "price_protection", "cheaper now"). */
export function isPriceProtectionReason(text: string | null | undefined): boolean {
  return !!text && /price[ _-]?(protection|drop|match|difference)|lower price|cheaper/.test(text.toLowerCase());
}

/** The policy's return reason for a code; null for codes no reason-dependent rule looks at. */
export function returnReasonOf(code: ReasonCode): ReturnReason | null {
  return RETURN_REASONS.find((r) => r === code) ?? null;
}

/**
 * The reason a line goes back for: its own code, else the action's code, else (no code given:
 * the deprecated path for older callers) the words of the line's or the action's free text.
 */
export function lineReason(codes: ReasonCodes | undefined, lineId: string, text: string | null | undefined): ReturnReason | null {
  const code = codes?.lines.get(lineId) ?? codes?.action ?? null;
  if (code) return returnReasonOf(code);
  return reasonKind(text);
}

/**
 * Whether a refund asks for price protection: the code `price_drop` when a code is given (on the
 * action or, failing that, on the first line that has one), else the deprecated text recognition.
 */
export function asksPriceProtection(codes: ReasonCodes | undefined, text: string | null | undefined): boolean {
  const code = codes?.action ?? codes?.lines.values().next().value ?? null;
  if (code) return code === 'price_drop';
  return isPriceProtectionReason(text);
}

/** Reasons that mean the store is at fault: the warranty applies instead of the return window. */
const FAULT_REASONS: readonly ReturnReason[] = ['defective', 'damaged', 'wrong_item'];

/** Where a line is: placed, paid, shipped or delivered (with the delivery and purchase dates). */
interface LineFacts {
  line: StoreOrderLine;
  stage: OrderStage;
  deliveredAt: Date | null;
  facts: ProductFacts | null;
}

function orderIsPaid(order: StoreOrder): boolean {
  return paidAmount(order) > 0 || order.financialStatus === 'paid' || order.financialStatus === 'partially_refunded' || order.financialStatus === 'refunded';
}

function lineFacts(order: StoreOrder, line: StoreOrderLine, products: ReadonlyMap<string, ProductFacts>): LineFacts {
  let shipped = false;
  let deliveredAt: Date | null = null;
  let delivered = false;
  for (const f of order.fulfillments) {
    if (f.kind !== 'shipment' || !f.lines.some((l) => l.lineId === line.id)) continue;
    if (hasShipped(f)) shipped = true;
    if (f.status === 'delivered' || f.deliveredAt) {
      delivered = true;
      if (f.deliveredAt && (!deliveredAt || f.deliveredAt > deliveredAt)) deliveredAt = f.deliveredAt;
    }
  }
  const stage: OrderStage = delivered ? 'delivered' : shipped ? 'shipped' : orderIsPaid(order) ? 'paid' : 'placed';
  return { line, stage, deliveredAt, facts: line.sku ? products.get(line.sku.toUpperCase()) ?? null : null };
}

/** The order's stage: delivered when every parcel arrived, shipped when one left, else paid or placed. */
export function orderStage(order: StoreOrder): { stage: OrderStage; shippedAt: Date | null; deliveredAt: Date | null } {
  const parcels = order.fulfillments.filter((f) => f.kind === 'shipment' && hasShipped(f));
  const shippedAt = parcels.map((f) => f.shippedAt).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  const deliveredDates = parcels.map((f) => f.deliveredAt).filter((d): d is Date => d !== null);
  const deliveredAt = deliveredDates.length ? new Date(Math.max(...deliveredDates.map((d) => d.getTime()))) : null;
  if (parcels.length && order.fulfillmentStatus === 'fulfilled' && parcels.every((f) => f.status === 'delivered' || f.deliveredAt)) return { stage: 'delivered', shippedAt, deliveredAt };
  if (parcels.length) return { stage: 'shipped', shippedAt, deliveredAt };
  return { stage: orderIsPaid(order) ? 'paid' : 'placed', shippedAt: null, deliveredAt: null };
}

/** Whether a product matches a clause's product list. */
export function matchesProduct(match: ProductMatch, line: { sku: string | null; productId: string | null }, facts: ProductFacts | null): boolean {
  const sku = line.sku?.toUpperCase() ?? null;
  if (sku && match.skus?.some((s) => s.toUpperCase() === sku)) return true;
  if (sku && match.sku_prefixes?.some((p) => sku.startsWith(p.toUpperCase()))) return true;
  const productId = facts?.productId ?? line.productId;
  if (productId && match.product_ids?.includes(productId)) return true;
  if (facts?.tags.length && match.tags?.some((t) => facts.tags.includes(t.toLowerCase()))) return true;
  const category = facts?.category?.toLowerCase();
  if (category && match.categories?.some((c) => c.toLowerCase() === category)) return true;
  return false;
}

/** The exception that applies to a line: a refusing one (final sale, no returns) before a longer window. */
function exceptionFor(policy: PolicyDocument, lf: LineFacts): PolicyException | null {
  let extended: PolicyException | null = null;
  for (const x of policy.exceptions) {
    if (!matchesProduct(x.match, lf.line, lf.facts)) continue;
    if (x.effect !== 'extended_window') return x;
    extended ??= x;
  }
  return extended;
}

// ---------------------------------------------------------------------------------------------
// The rules

interface Ctx {
  input: EligibilityInput;
  today: number;
  reasons: PolicyReason[];
  money: (n: number) => string;
}

function add(c: Ctx, clause: string, ok: boolean, text: string): void {
  if (!c.reasons.some((r) => r.clause === clause && r.text === text)) c.reasons.push({ clause, ok, text });
}

const STAGE_NOW: Record<OrderStage, (c: Ctx, subject: string, when: { shippedAt: Date | null; deliveredAt: Date | null }) => string> = {
  placed: (_c, s) => `${s} has not been paid yet`,
  paid: (_c, s) => `${s} is paid and has not shipped yet`,
  shipped: (c, s, w) => `${s} is on its way${w.shippedAt ? ` (shipped ${dateText(w.shippedAt, c.input.timeZone)})` : ''}`,
  delivered: (c, s, w) => `${s} was delivered${w.deliveredAt ? ` on ${dateText(w.deliveredAt, c.input.timeZone)}` : ''}`,
};

/** "Returns are accepted once the order has been delivered; NW-10001 is on its way (shipped 3 December)." */
function checkStage(c: Ctx, action: StagedAction, stage: OrderStage, subject: string, when: { shippedAt: Date | null; deliveredAt: Date | null }): boolean {
  const allowed = c.input.policy.stages[action];
  if (allowed.includes(stage)) return true;
  add(c, `stages.${action}`, false, `${ACTION_SUBJECT[action]} ${stagesText(allowed)}; ${STAGE_NOW[stage](c, subject, when)}.`);
  return false;
}

/** The warranty for a line's category, in months. */
function warrantyMonths(policy: PolicyDocument, facts: ProductFacts | null): { months: number; category: string | null } {
  const cat = facts?.category?.toLowerCase();
  const hit = cat ? policy.warranty.categories.find((w) => w.category.toLowerCase() === cat) : undefined;
  return hit ? { months: hit.months, category: hit.category } : { months: policy.warranty.months, category: null };
}

/** Defective, damaged or wrong items: covered within the warranty from delivery (or purchase when never delivered). */
function checkWarranty(c: Ctx, lf: LineFacts, reason: ReturnReason): boolean {
  const { months, category } = warrantyMonths(c.input.policy, lf.facts);
  const start = lf.deliveredAt ?? c.input.order.placedAt;
  const startDay = localDayNumber(start, c.input.timeZone);
  const until = addMonths(startDay, months);
  const ago = c.today - startDay;
  const what = reason === 'defective' ? 'Defective items are' : reason === 'damaged' ? 'Items that arrived damaged are' : 'Wrong items are';
  const cover = `${what} covered by a ${months}-month warranty${category ? ` on ${category}` : ''}`;
  const since = `${lineTitle(lf.line)} was ${lf.deliveredAt ? 'delivered' : 'bought'} ${agoText(ago)}`;
  if (c.today <= until) {
    add(c, 'warranty', true, `${cover}; ${since}.`);
    return true;
  }
  add(c, 'warranty', false, `${cover}; ${since}, so the warranty ended on ${dateText(new Date(until * DAY_MS), 'UTC')}.`);
  return false;
}

/** The end day (inclusive) of the seasonal extension that covers the purchase date, if any. */
function seasonalDeadline(policy: PolicyDocument, placedAt: Date, timeZone: string): { day: number; season: PolicyDocument['returns']['seasonal'][number] } | null {
  const p = localDateTime(placedAt, timeZone);
  const md = p.month * 100 + p.day;
  let best: { day: number; season: PolicyDocument['returns']['seasonal'][number] } | null = null;
  for (const s of policy.returns.seasonal) {
    const from = Number(s.placed_from.replace('-', ''));
    const until = Number(s.placed_until.replace('-', ''));
    const ret = Number(s.return_until.replace('-', ''));
    const inSeason = from <= until ? md >= from && md <= until : md >= from || md <= until;
    if (!inSeason) continue;
    const startYear = from <= until || md >= from ? p.year : p.year - 1;
    const year = ret >= from ? startYear : startYear + 1;
    const day = Date.UTC(year, Math.floor(ret / 100) - 1, ret % 100) / DAY_MS;
    if (!best || day > best.day) best = { day, season: s };
  }
  return best;
}

/**
 * The window rule for a line: exceptions (final sale, hygiene, home trial), the warranty for
 * faults, the return or exchange window, and seasonal extensions.
 */
function checkLineWindow(c: Ctx, lf: LineFacts, kind: 'return' | 'exchange', reason: ReturnReason | null, subject: string): boolean {
  const policy = c.input.policy;
  const title = lineTitle(lf.line);
  const fault = reason !== null && FAULT_REASONS.includes(reason);
  const exception = exceptionFor(policy, lf);
  if (exception && exception.effect !== 'extended_window') {
    if (fault) return checkWarranty(c, lf, reason);
    const text = exception.effect === 'final_sale'
      ? `${exception.name} are final sale and cannot be returned or exchanged unless defective; ${title} is one of them.`
      : `${exception.name} cannot be returned or exchanged once delivered, unless defective; ${title} is one of them.`;
    add(c, `exceptions.${exception.id}`, false, text);
    return false;
  }
  const enabled = kind === 'return' ? policy.returns.enabled : policy.exchanges.enabled;
  const noun = kind === 'return' ? 'Returns' : 'Exchanges';
  if (!enabled && !fault) {
    add(c, kind === 'return' ? 'returns.window' : 'exchanges.window', false, kind === 'return' ? 'Returns are not accepted, unless an item is defective.' : 'Exchanges are not offered.');
    return false;
  }
  const extended = exception?.effect === 'extended_window' ? exception : null;
  const days = extended?.window_days ?? (kind === 'return' ? policy.returns.window_days : policy.exchanges.window_days);
  const from = extended?.from ?? (kind === 'return' ? policy.returns.from : policy.exchanges.from);
  const clause = extended ? `exceptions.${extended.id}` : kind === 'return' ? 'returns.window' : 'exchanges.window';
  const rule = extended ? `${extended.name} can be returned within ${days} days of ${from}` : `${noun} are accepted within ${days} days of ${from}`;
  const start = from === 'delivery' ? lf.deliveredAt : c.input.order.placedAt;
  if (!start) {
    add(c, clause, true, `${rule}; the window starts when ${subject === 'this order' ? 'the order' : subject} is delivered.`);
    return true;
  }
  const ago = c.today - localDayNumber(start, c.input.timeZone);
  const since = `${subject} was ${from === 'delivery' ? 'delivered' : 'placed'} ${agoText(ago)}`;
  if (ago <= days) {
    add(c, clause, true, `${rule}; ${since}.`);
    return true;
  }
  if (kind === 'return' && !fault) {
    const season = seasonalDeadline(policy, c.input.order.placedAt, c.input.timeZone);
    if (season) {
      const placed = dateText(c.input.order.placedAt, c.input.timeZone);
      const text = `${season.season.name}: orders placed between ${monthDayText(season.season.placed_from)} and ${monthDayText(season.season.placed_until)} can be returned until ${monthDayText(season.season.return_until)}; this order was placed on ${placed}.`;
      if (c.today <= season.day) {
        add(c, 'returns.seasonal', true, text);
        return true;
      }
      add(c, clause, false, `${rule}; ${since}.`);
      add(c, 'returns.seasonal', false, `${text.slice(0, -1)}, and that date has passed.`);
      return false;
    }
  }
  if (fault) return checkWarranty(c, lf, reason);
  add(c, clause, false, `${rule}; ${since}.`);
  return false;
}

/** Restocking fee and return shipping for items that come back. */
function returnFees(c: Ctx, lines: { lf: LineFacts; amount: number; reason: ReturnReason | null }[]): { restocking: number; returnShipping: number } {
  const policy = c.input.policy;
  const fee = policy.returns.restocking_fee;
  let restocking = 0;
  for (const { lf, amount, reason } of lines) {
    const cat = lf.facts?.category?.toLowerCase();
    const catFee = cat ? fee.categories.find((x) => x.category.toLowerCase() === cat) : undefined;
    const percent = catFee?.percent ?? fee.percent;
    if (percent === 0) continue;
    const title = lineTitle(lf.line);
    if (reason && fee.waived_for.includes(reason)) {
      add(c, 'returns.restocking_fee', true, `No restocking fee for ${title}: it is ${reasonsText([reason])}.`);
      continue;
    }
    const due = Math.round((amount * percent) / 100);
    restocking += due;
    add(c, 'returns.restocking_fee', true, `A restocking fee of ${percent}%${catFee ? ` on ${catFee.category}` : ''} applies to ${title}: ${c.money(due)}.`);
  }
  const ship = policy.returns.return_shipping;
  let returnShipping = 0;
  if (ship.paid_by === 'customer' && ship.fee > 0) {
    const reasons = lines.map((l) => l.reason);
    const freeReason = reasons.length > 0 && reasons.every((r): r is ReturnReason => r !== null && ship.free_for.includes(r)) ? reasons[0] : null;
    if (freeReason) add(c, 'returns.return_shipping', true, `Return shipping is free: the item is ${reasonsText([freeReason])}.`);
    else if (ship.free_above !== null && c.input.order.total >= ship.free_above) add(c, 'returns.return_shipping', true, `Return shipping is free for orders of ${c.money(ship.free_above)} or more.`);
    else {
      returnShipping = ship.fee;
      add(c, 'returns.return_shipping', true, `Return shipping costs ${c.money(ship.fee)}, deducted from the refund.`);
    }
  }
  return { restocking, returnShipping };
}

function answer(c: Ctx, action: Eligibility['action'], allowedAmount: number | null, destination: Eligibility['destination'], fees = { restocking: 0, returnShipping: 0 }): Eligibility {
  const requested = c.input.plan.amount;
  if (allowedAmount !== null && requested > allowedAmount && !c.reasons.some((r) => !r.ok)) {
    const deductions = [fees.restocking ? `${c.money(fees.restocking)} restocking fee` : '', fees.returnShipping ? `${c.money(fees.returnShipping)} return shipping` : ''].filter(Boolean).join(' and ');
    add(c, 'amount', false, `The policy allows at most ${c.money(allowedAmount)} here${deductions ? ` (after ${deductions})` : ''}; this would be ${c.money(requested)}.`);
  }
  const reasons = [...c.reasons.filter((r) => !r.ok), ...c.reasons.filter((r) => r.ok)];
  return {
    allowed: !reasons.some((r) => !r.ok), action, allowedAmount, requestedAmount: requested, currency: c.input.order.currency, destination, fees, reasons,
  };
}

/** Decides an action on an order by the store's policy. */
export function decideEligibility(input: EligibilityInput): Eligibility {
  const c: Ctx = { input, today: localDayNumber(input.at, input.timeZone), reasons: [], money: (n) => formatMoney(n, input.order.currency) };
  const { plan, order, policy } = input;
  const byId = new Map(order.lines.map((l) => [l.id, l]));
  const factsOf = (lineId: string) => {
    const line = byId.get(lineId);
    return line ? lineFacts(order, line, input.products) : null;
  };
  /** "this order" when every chosen line arrived together, else the item's title. */
  const subjectFor = (all: LineFacts[]) => (new Set(all.map((l) => l.deliveredAt?.getTime() ?? null)).size <= 1 ? 'this order' : null);

  switch (plan.action) {
    case 'add_note':
      return answer(c, 'add_note', null, null);
    case 'cancel':
    case 'reship':
    case 'discount_code':
    case 'store_credit': {
      const st = orderStage(order);
      checkStage(c, plan.action, st.stage, order.number, st);
      return answer(c, plan.action, null, plan.action === 'store_credit' ? 'store_credit' : null);
    }
    case 'create_return': {
      const chosen = plan.lines.map((l) => ({ pl: l, lf: factsOf(l.lineId) })).filter((x): x is { pl: typeof x.pl; lf: LineFacts } => x.lf !== null);
      const one = subjectFor(chosen.map((x) => x.lf));
      const { shippedAt } = orderStage(order);
      const lines: { lf: LineFacts; amount: number; reason: ReturnReason | null }[] = [];
      for (const { pl, lf } of chosen) {
        const subject = one ?? lineTitle(lf.line);
        if (!checkStage(c, 'create_return', lf.stage, subject === 'this order' ? order.number : subject, { shippedAt, deliveredAt: lf.deliveredAt })) continue;
        const reason = lineReason(input.reasonCodes, lf.line.id, pl.reason ?? plan.reason);
        checkLineWindow(c, lf, 'return', reason, subject);
        lines.push({ lf, amount: pl.amount, reason });
      }
      // Fees only matter for a return that is allowed.
      const refused = c.reasons.some((r) => !r.ok);
      const fees = refused ? { restocking: 0, returnShipping: 0 } : returnFees(c, lines);
      const value = lines.reduce((s, l) => s + l.amount, 0);
      const refund = Math.max(0, value - fees.restocking - fees.returnShipping);
      if (!refused) add(c, 'returns.refund', true, `When the items come back, ${c.money(refund)} is refunded${refund < value ? ` (${c.money(value)} paid, less fees)` : ''}.`);
      return answer(c, 'create_return', refund, policy.refunds.destination === 'store_credit' ? 'store_credit' : policy.refunds.destination === 'original_payment' ? 'original_payment' : null, fees);
    }
    case 'exchange': {
      const chosen = plan.lines.map((l) => ({ pl: l, lf: factsOf(l.lineId) })).filter((x): x is { pl: typeof x.pl; lf: LineFacts } => x.lf !== null);
      const one = subjectFor(chosen.map((x) => x.lf));
      const { shippedAt } = orderStage(order);
      for (const { pl, lf } of chosen) {
        const subject = one ?? lineTitle(lf.line);
        if (!checkStage(c, 'exchange', lf.stage, subject === 'this order' ? order.number : subject, { shippedAt, deliveredAt: lf.deliveredAt })) continue;
        const reason = lineReason(input.reasonCodes, lf.line.id, pl.reason ?? plan.reason);
        checkLineWindow(c, lf, 'exchange', reason, subject);
        const title = lineTitle(lf.line);
        const repl = pl.replacement;
        const replName = `${repl.productTitle}${repl.variantTitle ? ` (${repl.variantTitle})` : ''}`;
        if (policy.exchanges.same_product_only) {
          const replFacts = input.products.get(repl.sku.toUpperCase());
          const lineProduct = lf.facts?.productId ?? lf.line.productId;
          const same = replFacts?.productId && lineProduct ? replFacts.productId === lineProduct : repl.productTitle === lf.line.productTitle;
          add(c, 'exchanges.same_product', same, same
            ? `Exchanges are for another size or colour of the same product; ${replName} is a variant of ${lf.line.productTitle}.`
            : `Exchanges are only for another size or colour of the same product; ${replName} is not a variant of ${lf.line.productTitle}.`);
        }
        if (policy.exchanges.max_value === 'equal_or_lower') {
          const paid = lf.line.unitPrice * pl.quantity;
          const costs = repl.price * pl.quantity;
          add(c, 'exchanges.value', costs <= paid, costs <= paid
            ? `Exchanges are for items of equal or lower value; ${replName} costs ${c.money(repl.price)}, ${title} ${c.money(lf.line.unitPrice)}.`
            : `Exchanges are only for items of equal or lower value; ${replName} costs ${c.money(repl.price)}, more than the ${c.money(lf.line.unitPrice)} of ${title}.`);
        }
      }
      return answer(c, 'exchange', null, null);
    }
    case 'refund':
      return decideRefund(c, plan, factsOf, subjectFor);
  }
}

function decideRefund(
  c: Ctx,
  plan: Extract<ActionPlan, { action: 'refund' }>,
  factsOf: (lineId: string) => LineFacts | null,
  subjectFor: (all: LineFacts[]) => string | null,
): Eligibility {
  const { order, policy } = c.input;
  const destination = policy.refunds.destination;
  if (destination !== 'customer_choice' && plan.destination !== destination) {
    add(c, 'refunds.destination', false, destination === 'store_credit' ? 'Refunds are given as store credit; choose store credit as the destination.' : 'Refunds go back to the original payment method; store credit is not offered instead.');
  }
  const st = orderStage(order);
  if (!checkStage(c, 'refund', st.stage, order.number, st)) return answer(c, 'refund', null, plan.destination);

  const reasonText = plan.reason ?? plan.lines.find((l) => l.reason)?.reason ?? null;
  if (asksPriceProtection(c.input.reasonCodes, reasonText)) return decidePriceProtection(c, plan);
  if (plan.request.action === 'refund' && (plan.request.scope === 'amount' || plan.request.scope === 'shipping')) {
    // Not tied to items: goodwill, which the agent's authority limits decide.
    return answer(c, 'refund', null, plan.destination);
  }

  const states = new Map(lineStates(order).map((s) => [s.line.id, s]));
  const chosen = plan.lines.map((l) => ({ pl: l, lf: factsOf(l.lineId) })).filter((x): x is { pl: typeof x.pl; lf: LineFacts } => x.lf !== null);
  const shippedLines = chosen.filter((x) => x.lf.stage === 'shipped' || x.lf.stage === 'delivered');
  const one = subjectFor(shippedLines.map((x) => x.lf));
  const back: { lf: LineFacts; amount: number; reason: ReturnReason | null }[] = [];
  let allowed = plan.shipping;
  for (const { pl, lf } of chosen) {
    if (lf.stage === 'placed' || lf.stage === 'paid') {
      allowed += pl.amount;
      continue;
    }
    const s = states.get(lf.line.id);
    // With a code, the code decides; the store's text of a return already open is read only without one.
    const coded = c.input.reasonCodes?.lines.get(lf.line.id) ?? c.input.reasonCodes?.action ?? null;
    const reason = lineReason(c.input.reasonCodes, lf.line.id, pl.reason ?? plan.reason)
      ?? (coded === null ? reasonKind(order.returns.find((r) => r.status !== 'cancelled' && r.lines.some((x) => x.lineId === lf.line.id))?.reason) : null);
    const inReturn = (s?.returned ?? 0) > 0;
    const title = lineTitle(lf.line);
    if (inReturn) {
      add(c, 'returns.refund', true, `${title} is in a return, so it is refunded by the return rules.`);
      back.push({ lf, amount: pl.amount, reason });
      allowed += pl.amount;
      continue;
    }
    const fault = reason !== null && FAULT_REASONS.includes(reason);
    if (fault) {
      if (checkWarranty(c, lf, reason)) allowed += pl.amount;
      continue;
    }
    if (policy.refunds.require_return_after_delivery && lf.stage === 'delivered') {
      add(c, 'refunds.require_return', false, `Delivered items are refunded once they are returned, unless they arrived damaged, defective or wrong; ${title} has not been returned. Create a return first.`);
      continue;
    }
    if (checkLineWindow(c, lf, 'return', reason, one ?? title)) allowed += pl.amount;
  }
  const fees = back.length && !c.reasons.some((r) => !r.ok) ? returnFees(c, back) : { restocking: 0, returnShipping: 0 };
  return answer(c, 'refund', Math.max(0, allowed - fees.restocking - fees.returnShipping), plan.destination, fees);
}

/** Price protection: within N days of purchase, a lower current price refunds the difference. */
function decidePriceProtection(c: Ctx, plan: Extract<ActionPlan, { action: 'refund' }>): Eligibility {
  const { order, policy, currentPrices } = c.input;
  const pp = policy.price_protection;
  if (!pp.enabled) {
    add(c, 'price_protection', false, 'This store does not refund price drops after purchase.');
    return answer(c, 'refund', 0, plan.destination);
  }
  const ago = c.today - localDayNumber(order.placedAt, c.input.timeZone);
  const rule = `Price protection: within ${pp.days} days of purchase, a lower price for the same item refunds the difference`;
  if (ago > pp.days) {
    add(c, 'price_protection', false, `${rule}; this order was placed ${agoText(ago)}.`);
    return answer(c, 'refund', 0, plan.destination);
  }
  const scope = plan.request.action === 'refund' ? plan.request.scope : 'order';
  const chosenIds = scope === 'lines' ? new Set(plan.lines.map((l) => l.lineId)) : null;
  const states = lineStates(order);
  let total = 0;
  const parts: string[] = [];
  for (const s of states) {
    if (chosenIds && !chosenIds.has(s.line.id)) continue;
    const sku = s.line.sku?.toUpperCase();
    const now = sku ? currentPrices?.get(sku) : undefined;
    const units = chosenIds ? plan.lines.find((l) => l.lineId === s.line.id)?.quantity ?? 0 : s.line.quantity - s.refunded;
    if (now === undefined || units <= 0) continue;
    const paidUnit = Math.floor(s.line.total / s.line.quantity);
    if (now >= paidUnit) continue;
    const diff = (paidUnit - now) * units;
    total += diff;
    parts.push(`${lineTitle(s.line)} now costs ${c.money(now)} (${c.money(paidUnit)} paid${units > 1 ? `, ${units} units` : ''}): ${c.money(diff)}`);
  }
  if (total === 0) {
    add(c, 'price_protection', false, `${rule}; none of the items costs less now than was paid.`);
    return answer(c, 'refund', 0, plan.destination);
  }
  add(c, 'price_protection', true, `${rule}; this order was placed ${agoText(ago)}, and ${parts.join('; ')}.`);
  return answer(c, 'refund', total, plan.destination);
}

/** A return without a receipt: what the customer asks to bring back. */
export interface NoReceiptInput {
  policy: PolicyDocument;
  sku: string;
  quantity: number;
  /** The customer's orders in the store (any order, newest first). */
  history: readonly StoreOrder[];
  at: Date;
  timeZone: string;
  currency: string;
}

/**
 * A return without a receipt, decided from the customer's order history: allowed as store
 * credit at the lowest price paid for the item within the look-back period.
 */
export function decideNoReceiptReturn(input: NoReceiptInput): Eligibility & { foundOn: string[] } {
  const { policy } = input;
  const sku = input.sku.trim().toUpperCase();
  const today = localDayNumber(input.at, input.timeZone);
  const money = (n: number) => formatMoney(n, input.currency);
  const base = { action: 'no_receipt_return' as const, requestedAmount: 0, currency: input.currency, destination: 'store_credit' as const, fees: { restocking: 0, returnShipping: 0 } };
  if (!policy.no_receipt.enabled) {
    return { ...base, allowed: false, allowedAmount: 0, foundOn: [], reasons: [{ clause: 'no_receipt', ok: false, text: 'Returns without a receipt are not accepted; the order number is needed.' }] };
  }
  const days = policy.no_receipt.lookback_days;
  let lowest: number | null = null;
  let title = sku;
  const foundOn: string[] = [];
  for (const order of input.history) {
    if (order.cancelledAt || order.currency !== input.currency) continue;
    if (today - localDayNumber(order.placedAt, input.timeZone) > days) continue;
    for (const line of order.lines) {
      if (line.sku?.toUpperCase() !== sku || line.quantity === 0) continue;
      const unit = Math.floor(line.total / line.quantity);
      if (lowest === null || unit < lowest) lowest = unit;
      title = lineTitle(line);
      if (!foundOn.includes(order.number)) foundOn.push(order.number);
    }
  }
  const rule = `Returns without a receipt are accepted as store credit at the lowest price paid, when the customer’s account shows the purchase in the last ${days} days`;
  if (lowest === null) {
    return { ...base, allowed: false, allowedAmount: 0, foundOn, reasons: [{ clause: 'no_receipt', ok: false, text: `${rule}; no purchase of ${sku} was found.` }] };
  }
  const amount = lowest * input.quantity;
  return {
    ...base, allowed: true, allowedAmount: amount, requestedAmount: amount, foundOn,
    reasons: [{ clause: 'no_receipt', ok: true, text: `${rule}; ${title} was bought on ${foundOn.join(', ')}, for as little as ${money(lowest)}: ${money(amount)} in store credit.` }],
  };
}
