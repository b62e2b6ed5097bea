/**
 * Authority limits, goodwill budgets and approval requests: the API calls and their shapes.
 */
import { api } from '../../../api/client';
import type { AuthorityReason, Money, OrderActionRecord } from '../../../api/types';

/** The remedy types limits and budgets count. */
export type RemedyType = 'refund' | 'discount' | 'store_credit' | 'replacement';
export const REMEDY_TYPES: RemedyType[] = ['refund', 'discount', 'store_credit', 'replacement'];
export const REMEDY_LABELS: Record<RemedyType, string> = { refund: 'Refunds', discount: 'Discounts', store_credit: 'Store credit', replacement: 'Replacements' };

/** Limits in minor units; null is no limit. */
export interface Limits {
  per_action: number | null;
  per_ticket: number | null;
  per_day: number | null;
  per_month: number | null;
}

/** A store's authority settings with this month's spend. */
export interface AuthoritySettings {
  store: { id: string; name: string; currency: string; timezone: string };
  roles: { role: 'agent' | 'manager' | 'admin'; remedy: RemedyType; limits: Limits; updated_at: string }[];
  agents: { agent_id: string; name: string | null; email: string | null; remedy: RemedyType; limits: Limits; updated_at: string }[];
  budgets: { remedy: RemedyType; monthly: Money | null; warn_at_percent: number; spent: Money; month: string }[];
}

/** An approval request as a manager sees it. */
export interface Approval {
  id: string;
  order_action_id: string;
  status: 'pending' | 'approved' | 'refused';
  store: { id: string; name: string | null };
  ticket: { id: string; number: number; subject: string } | null;
  order_number: string;
  action: string;
  remedy: string | null;
  amount: Money;
  summary: string;
  reasons: AuthorityReason[];
  requested_by: { id: string | null; name: string };
  decided_by: { id: string | null; name: string } | null;
  decision_reason: string | null;
  created_at: string;
  decided_at: string | null;
  customer: {
    id: string;
    name: string | null;
    order_count: number | null;
    lifetime_value: Money | null;
    previous_remedies: { action: string; amount: Money | null; summary: string | null; order_number: string; ticket_number: number; by: string | null; at: string }[];
  } | null;
}

/** The answer to approve or refuse. */
export interface Decision {
  approval: Approval;
  action: OrderActionRecord;
  decided_now: boolean;
}

export function fetchAuthority(storeId: string, signal?: AbortSignal) {
  return api<AuthoritySettings>(`/stores/${encodeURIComponent(storeId)}/authority`, { signal });
}

export function saveLimits(storeId: string, body: { role?: string; agent_id?: string; limits: Partial<Record<RemedyType, Limits | null>> }) {
  return api<AuthoritySettings>(`/stores/${encodeURIComponent(storeId)}/authority/limits`, { method: 'PUT', body });
}

export function saveBudgets(storeId: string, budgets: Partial<Record<RemedyType, { monthly: number | null; warn_at_percent?: number }>>) {
  return api<AuthoritySettings>(`/stores/${encodeURIComponent(storeId)}/authority/budgets`, { method: 'PUT', body: { budgets } });
}

export function fetchApprovals(status: Approval['status'], signal?: AbortSignal) {
  return api<{ items: Approval[] }>('/approvals', { query: { status }, signal });
}

export function fetchApprovalCount(signal?: AbortSignal) {
  return api<{ pending: number }>('/approvals/count', { signal });
}

export function approve(id: string) {
  return api<Decision>(`/approvals/${encodeURIComponent(id)}/approve`, { method: 'POST' });
}

export function refuse(id: string, reason: string) {
  return api<Decision>(`/approvals/${encodeURIComponent(id)}/refuse`, { method: 'POST', body: { reason } });
}
