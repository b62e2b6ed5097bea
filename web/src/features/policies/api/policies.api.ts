/**
 * A store's policy: the active version with its readable summary, the history, a live preview
 * of an edited document, and saving a new version (managers and admins).
 */
import { api } from '../../../api/client';
import type { ItemList } from '../../../api/types';

/** Where an order is, as the policy names it. */
export type OrderStage = 'placed' | 'paid' | 'shipped' | 'delivered';
/** Why something goes back, as the policy distinguishes reasons. */
export type ReturnReason = 'defective' | 'damaged' | 'wrong_item' | 'not_as_described' | 'changed_mind';
/** Actions whose allowed stages the policy sets. */
export type StagedAction = 'cancel' | 'refund' | 'create_return' | 'exchange' | 'reship' | 'discount_code' | 'store_credit';
export type WindowFrom = 'delivery' | 'purchase';

/** Which products a clause applies to. */
export interface ProductMatch {
  skus?: string[];
  sku_prefixes?: string[];
  product_ids?: string[];
  tags?: string[];
  categories?: string[];
}

/** A per-product exception to the return rules. */
export interface PolicyException {
  id: string;
  name: string;
  match: ProductMatch;
  effect: 'final_sale' | 'no_returns' | 'extended_window';
  window_days?: number;
  from?: WindowFrom;
}

/** The policy document (format 1), as the API validates it. Amounts are minor units. */
export interface PolicyDocument {
  format: 1;
  stages: Record<StagedAction, OrderStage[]>;
  returns: {
    enabled: boolean;
    window_days: number;
    from: WindowFrom;
    seasonal: { name: string; placed_from: string; placed_until: string; return_until: string }[];
    restocking_fee: { percent: number; categories: { category: string; percent: number }[]; waived_for: ReturnReason[] };
    return_shipping: { paid_by: 'customer' | 'store'; fee: number; free_for: ReturnReason[]; free_above: number | null };
  };
  exchanges: { enabled: boolean; window_days: number; from: WindowFrom; same_product_only: boolean; max_value: 'any' | 'equal_or_lower' };
  refunds: { destination: 'original_payment' | 'store_credit' | 'customer_choice'; require_return_after_delivery: boolean };
  exceptions: PolicyException[];
  warranty: { months: number; categories: { category: string; months: number }[] };
  price_protection: { enabled: boolean; days: number };
  no_receipt: { enabled: boolean; lookback_days: number };
}

/** One clause in plain language. */
export interface SummaryItem {
  clause: string;
  text: string;
}

/** A version of a store's policy. */
export interface PolicyVersion {
  store_id: string;
  /** 0: the default of a store that never saved one. */
  version: number;
  is_default: boolean;
  document: PolicyDocument;
  summary: SummaryItem[];
  changes: string[];
  change_note: string;
  created_by: { id: string | null; name: string } | null;
  created_at: string | null;
}

/** The active policy of a store. */
export function getPolicy(storeId: string, signal?: AbortSignal): Promise<PolicyVersion> {
  return api(`/stores/${storeId}/policy`, { signal });
}

/** Every saved version, newest first. */
export function listPolicyVersions(storeId: string, signal?: AbortSignal): Promise<ItemList<PolicyVersion>> {
  return api(`/stores/${storeId}/policy/versions`, { signal });
}

/** The summary of an edited document and what would change, without saving. */
export function previewPolicy(storeId: string, document: PolicyDocument, signal?: AbortSignal): Promise<{ summary: SummaryItem[]; changes: string[] }> {
  return api(`/stores/${storeId}/policy/preview`, { method: 'POST', body: { document }, signal });
}

/** Saves a new version on top of `baseVersion`. */
export function savePolicy(storeId: string, input: { document: PolicyDocument; change_note: string; base_version: number }): Promise<PolicyVersion> {
  return api(`/stores/${storeId}/policy`, { method: 'PUT', body: input });
}
