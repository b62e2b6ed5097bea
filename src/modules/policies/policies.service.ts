/**
 * Store policies: reading the active policy (the newest saved version, or the default for a
 * store that never saved one), saving a new version (managers and admins) with a change note
 * and what changed, the history, and asking the eligibility engine about an order without
 * acting (for the workspace and, later, the customer portal).
 */
import { actorAgentId, requireRole, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { planAction } from '../stores/connectors/action-planner.ts';
import { callStore, connectorForStore, loadStoreInfo } from '../stores/connectors/connector-registry.ts';
import type { ActionPlan, OrderActionRequest, StoreInfo, StoreOrder } from '../stores/connectors/connector.ts';
import { normalizeOrderNumber } from '../stores/order-numbers.ts';
import { asksPriceProtection, decideEligibility, decideNoReceiptReturn, type Eligibility, type ProductFacts, type ReasonCodes } from './eligibility.ts';
import { defaultPolicy, diffPolicies, summarizePolicy, validatePolicyDocument, type PolicyDocument } from './policy-document.ts';
import { productFactsFor } from './product-facts.ts';
import * as q from './policies.queries.ts';

/** A version of a store's policy as the API shows it. */
export interface PolicyVersion {
  storeId: string;
  /** 0 for the default of a store that never saved a policy. */
  version: number;
  isDefault: boolean;
  document: PolicyDocument;
  summary: { clause: string; text: string }[];
  changes: string[];
  changeNote: string;
  createdBy: { id: string | null; name: string } | null;
  createdAt: Date | null;
}

/** Parsed documents by store and version; a new version is a new key, and saving drops the store's entries. */
const cache = new Map<string, { version: number; document: PolicyDocument }>();

/** Forgets the cached policy of a store (after saving a version). */
export function forgetCachedPolicy(storeId: string): void {
  cache.delete(storeId);
}

function parseStored(storeId: string, version: number, raw: unknown): PolicyDocument {
  const checked = validatePolicyDocument(raw);
  if (!checked.ok) throw new Error(`stored policy ${storeId} v${version} is not a valid document: ${checked.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
  return checked.document;
}

/**
 * The policy in force for a store, for decisions: the newest version's document (cached per
 * store and version) or the default. One small query per decision tells the version.
 */
export async function activePolicyDocument(ctx: Ctx, storeId: string): Promise<{ version: number; document: PolicyDocument }> {
  const latest = await q.findLatestPolicyVersionNumber(ctx.db, storeId);
  if (!latest) return { version: 0, document: defaultPolicy() };
  const hit = cache.get(storeId);
  if (hit && hit.version === latest.version) return hit;
  const row = await q.findPolicyVersion(ctx.db, storeId, latest.version);
  if (!row) return { version: 0, document: defaultPolicy() };
  const entry = { version: row.version, document: parseStored(storeId, row.version, row.document) };
  cache.set(storeId, entry);
  return entry;
}

function toVersion(store: StoreInfo, row: NonNullable<Awaited<ReturnType<typeof q.findLatestPolicyVersion>>>): PolicyVersion {
  const document = parseStored(store.id, row.version, row.document);
  return {
    storeId: store.id, version: row.version, isDefault: false, document, summary: summarizePolicy(document, store.currency),
    changes: Array.isArray(row.changes) ? row.changes.filter((c): c is string => typeof c === 'string') : [],
    changeNote: row.change_note, createdBy: { id: row.created_by, name: row.created_by_name }, createdAt: row.created_at,
  };
}

/** The store's active policy with its readable summary (every staff member may read it). */
export async function getStorePolicy(ctx: Ctx, storeId: string): Promise<PolicyVersion> {
  requireRole(ctx, 'agent');
  const store = await loadStoreInfo(ctx, storeId);
  const row = await q.findLatestPolicyVersion(ctx.db, store.id);
  if (row) return toVersion(store, row);
  const document = defaultPolicy();
  return { storeId: store.id, version: 0, isDefault: true, document, summary: summarizePolicy(document, store.currency), changes: [], changeNote: '', createdBy: null, createdAt: null };
}

/** Every saved version, newest first, with who saved it, why, and what changed (managers and admins). */
export async function listPolicyHistory(ctx: Ctx, storeId: string, limit = 100): Promise<PolicyVersion[]> {
  requireRole(ctx, 'manager');
  const store = await loadStoreInfo(ctx, storeId);
  const rows = await q.listPolicyVersions(ctx.db, store.id, limit);
  return rows.map((r) => toVersion(store, r));
}

/** Checks a document without saving it: its summary and what would change (the editor's live preview). */
export async function previewStorePolicy(ctx: Ctx, storeId: string, document: unknown): Promise<{ summary: { clause: string; text: string }[]; changes: string[] }> {
  requireRole(ctx, 'manager');
  const store = await loadStoreInfo(ctx, storeId);
  const doc = mustBeValid(document);
  const current = await activePolicyDocument(ctx, store.id);
  return { summary: summarizePolicy(doc, store.currency), changes: diffPolicies(current.version === 0 ? defaultPolicy() : current.document, doc, store.currency) };
}

function mustBeValid(document: unknown): PolicyDocument {
  const checked = validatePolicyDocument(document);
  if (checked.ok) return checked.document;
  const first = checked.errors[0];
  throw new AppError('validation_failed', first ? `The policy is not valid: ${first.field} ${first.message}.` : 'The policy is not valid.', { errors: checked.errors });
}

/** What a manager saves. */
export interface SavePolicyInput {
  document: unknown;
  /** Why it changed, for the history ("Holiday returns for 2026"). */
  changeNote: string;
  /** The version the editor started from; a save on top of someone else's newer version is refused. */
  baseVersion?: number | undefined;
}

/** Saves a new version of the store's policy; it is active at once (managers and admins). */
export async function saveStorePolicy(ctx: Ctx, storeId: string, input: SavePolicyInput): Promise<PolicyVersion> {
  requireRole(ctx, 'manager');
  const store = await loadStoreInfo(ctx, storeId);
  const doc = mustBeValid(input.document);
  const note = input.changeNote.trim();
  const latest = await q.findLatestPolicyVersion(ctx.db, store.id);
  const current = latest ? latest.version : 0;
  if (input.baseVersion !== undefined && input.baseVersion !== current) {
    throw new AppError('conflict', `The policy was changed by ${latest?.created_by_name ?? 'someone else'} (version ${current}) since you opened it (version ${input.baseVersion}); reload it and make your change again.`, {
      extra: { current_version: current },
    });
  }
  const previous = latest ? parseStored(store.id, latest.version, latest.document) : defaultPolicy();
  const changes = diffPolicies(latest ? previous : null, doc, store.currency);
  const actor = ctx.actor;
  const name = actor.type === 'agent' || actor.type === 'integration' ? actor.name : actor.type === 'system' ? `storedesk (${actor.name})` : 'a customer';
  const row = await q.insertPolicyVersion(ctx.db, {
    storeId: store.id, version: current + 1, document: doc, summary: summarizePolicy(doc, store.currency).map((s) => s.text).join('\n'),
    changes, changeNote: note, createdBy: actorAgentId(actor), createdByName: name,
  });
  if (!row) throw new AppError('conflict', 'Someone saved the policy at the same moment; reload it and make your change again.');
  forgetCachedPolicy(store.id);
  return toVersion(store, row);
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** The facts a decision needs beyond the order: product facts, and current prices for price protection. */
export async function decisionFacts(
  ctx: Ctx,
  store: StoreInfo,
  order: StoreOrder,
  request: OrderActionRequest,
  extraSkus: readonly string[] = [],
  reasonCodes?: ReasonCodes | undefined,
): Promise<{ products: Map<string, ProductFacts>; currentPrices: Map<string, number> | undefined }> {
  const skus = [...order.lines.map((l) => l.sku).filter((s): s is string => !!s), ...extraSkus];
  const products = await productFactsFor(ctx, store, skus);
  let currentPrices: Map<string, number> | undefined;
  const reason = request.action === 'refund' ? request.reason ?? request.lines?.find((l) => l.reason)?.reason : undefined;
  if (request.action === 'refund' && asksPriceProtection(reasonCodes, reason)) {
    const { connector } = await connectorForStore(ctx, store.id);
    const variants = await callStore(store, 'The price difference cannot be worked out right now.', () => connector.findVariants(ctx, skus.map((s) => s.toUpperCase())));
    currentPrices = new Map(variants.filter((v) => v.currency === order.currency).map((v) => [v.sku.toUpperCase(), v.price]));
  }
  return { products, currentPrices };
}

/**
 * The engine's answer for a planned action, with the policy version it was decided by: loads the
 * store's active policy and the facts the plan needs (product facts, current prices for price
 * protection), then asks the pure engine. The one place both the check endpoint and the policy
 * check in front of every order action (eligibility.service.ts) decide.
 */
export async function decidePlan(
  ctx: Ctx,
  input: { store: StoreInfo; order: StoreOrder; plan: ActionPlan; reasonCodes?: ReasonCodes | undefined; at: Date },
): Promise<{ version: number; eligibility: Eligibility }> {
  const policy = await activePolicyDocument(ctx, input.store.id);
  const replacementSkus = input.plan.action === 'exchange' ? input.plan.lines.map((l) => l.replacement.sku) : [];
  const facts = await decisionFacts(ctx, input.store, input.order, input.plan.request, replacementSkus, input.reasonCodes);
  const eligibility = decideEligibility({
    policy: policy.document, order: input.order, plan: input.plan, ...facts, at: input.at, timeZone: input.store.timezone, reasonCodes: input.reasonCodes,
  });
  return { version: policy.version, eligibility };
}

/** What the check endpoint answers for an order. */
export interface EligibilityAnswer {
  store: StoreInfo;
  orderNumber: string;
  policyVersion: number;
  /** Null when the action cannot be planned on this order at all (the planner's reason is given). */
  eligibility: Eligibility | null;
  planRefusal: { code: string; message: string } | null;
}

/** Asks the policy about an action on an order without acting. */
export async function checkOrderEligibility(
  ctx: Ctx,
  storeId: string,
  input: { orderNumber: string; request: OrderActionRequest; reasonCodes?: ReasonCodes | undefined; at?: Date | undefined },
): Promise<EligibilityAnswer> {
  requireRole(ctx, 'agent');
  const { store, connector } = await connectorForStore(ctx, storeId);
  const number = normalizeOrderNumber(store, input.orderNumber) ?? input.orderNumber.trim();
  const consequence = 'The policy cannot be checked right now.';
  const order = await callStore(store, consequence, () => connector.getOrder(ctx, number));
  if (!order) throw notFound(`Order ${number} in ${store.name}`);
  const replacementSkus = input.request.action === 'exchange' ? input.request.lines.map((l) => l.replacementSku.trim().toUpperCase()) : [];
  const request: OrderActionRequest = input.request.action === 'exchange'
    ? { ...input.request, lines: input.request.lines.map((l) => ({ ...l, replacementSku: l.replacementSku.trim().toUpperCase() })) }
    : input.request;
  const variants = replacementSkus.length ? await callStore(store, consequence, () => connector.findVariants(ctx, replacementSkus)) : [];
  const planned = planAction(order, request, { platform: connector.platform, capabilities: connector.capabilities, variants, timeZone: store.timezone });
  if (!planned.ok) {
    const policy = await activePolicyDocument(ctx, store.id);
    return { store, orderNumber: order.number, policyVersion: policy.version, eligibility: null, planRefusal: { code: planned.refusal.code, message: planned.refusal.message } };
  }
  const decided = await decidePlan(ctx, { store, order, plan: planned.plan, reasonCodes: input.reasonCodes, at: input.at ?? new Date() });
  return { store, orderNumber: order.number, policyVersion: decided.version, eligibility: decided.eligibility, planRefusal: null };
}

/** Asks the policy about a return without a receipt, from the customer's order history in the store. */
export async function checkNoReceiptReturn(
  ctx: Ctx,
  storeId: string,
  input: { customerEmail: string; sku: string; quantity: number; at?: Date | undefined },
): Promise<{ store: StoreInfo; policyVersion: number; eligibility: Eligibility & { foundOn: string[] } }> {
  requireRole(ctx, 'agent');
  const { store, connector } = await connectorForStore(ctx, storeId);
  const consequence = 'The order history cannot be checked right now.';
  const policy = await activePolicyDocument(ctx, store.id);
  const customer = await callStore(store, consequence, () => connector.findCustomer(ctx, { by: 'email', email: input.customerEmail.trim() }));
  const history: StoreOrder[] = [];
  if (customer) {
    let cursor: string | undefined;
    // The look-back is bounded; a few pages of the newest orders cover it for any real customer.
    for (let page = 0; page < 5; page++) {
      const p = await callStore(store, consequence, () => connector.listCustomerOrders(ctx, customer.externalId, { cursor, limit: 50 }));
      history.push(...p.orders);
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
  }
  const eligibility = decideNoReceiptReturn({ policy: policy.document, sku: input.sku, quantity: input.quantity, history, at: input.at ?? new Date(), timeZone: store.timezone, currency: store.currency });
  return { store, policyVersion: policy.version, eligibility };
}
