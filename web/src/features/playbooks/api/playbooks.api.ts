/** Playbooks: the standard remedy per kind of problem, and suggestions for a ticket's order. */
import { api } from '../../../api/client';
import type { OrderActionKind } from '../../../api/types';

export interface PlaybookRemedy {
  action: Exclude<OrderActionKind, 'add_note'>;
  label: string;
  scope?: 'order' | 'lines' | 'shipping' | 'amount';
  percentage?: number;
  amount?: number;
}

export interface PlaybookConditions {
  min_days_late?: number;
  delivered?: boolean;
  max_order_value?: number;
  within_days_of_delivery?: number;
  within_days_of_purchase?: number;
}

export interface Playbook {
  id: string;
  store_id: string;
  problem_kind: string;
  name: string;
  description: string;
  keywords: string[];
  conditions: PlaybookConditions;
  remedies: PlaybookRemedy[];
  return_required: boolean;
  is_active: boolean;
  position: number;
  updated_at: string;
}

export type PlaybookInput = Omit<Playbook, 'id' | 'store_id' | 'updated_at'>;

export interface PlaybookSuggestion {
  playbook: Playbook;
  problem_source: string | null;
  fits: boolean;
  met: string[];
  unmet: string[];
  remedies: (PlaybookRemedy & { prefill: { action: OrderActionKind; params: Record<string, unknown> }; standing: RemedyStanding | null })[];
}

/** How a standard remedy stands on the order: given already, only partly left, or not possible. */
export interface RemedyStanding {
  state: 'available' | 'partial' | 'given' | 'awaiting_approval' | 'unavailable';
  /** One sentence for the agent when not simply available. */
  note: string | null;
  by: { name: string | null; at: string } | null;
}

export interface PlaybookSuggestions {
  order_number: string | null;
  problems: { kind: string; source: string }[];
  suggestions: PlaybookSuggestion[];
}

/** Problem kinds as people say them. */
export const PROBLEM_LABELS: Record<string, string> = {
  late_delivery: 'Late delivery',
  damaged_in_transit: 'Damaged in transit',
  wrong_item: 'Wrong item',
  missing_item: 'Missing item',
  defective_warranty: 'Defective (warranty)',
  price_drop: 'Price dropped',
};

export function problemLabel(kind: string): string {
  return PROBLEM_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

export function fetchPlaybooks(storeId: string, signal?: AbortSignal) {
  return api<{ items: Playbook[] }>(`/stores/${encodeURIComponent(storeId)}/playbooks`, { signal });
}

export function createPlaybook(storeId: string, body: PlaybookInput) {
  return api<Playbook>(`/stores/${encodeURIComponent(storeId)}/playbooks`, { method: 'POST', body });
}

export function updatePlaybook(id: string, body: PlaybookInput) {
  return api<Playbook>(`/playbooks/${encodeURIComponent(id)}`, { method: 'PUT', body });
}

export function deletePlaybook(id: string) {
  return api<void>(`/playbooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function fetchSuggestions(ticketId: string, orderNumber: string, problem: string | null, signal?: AbortSignal) {
  return api<PlaybookSuggestions>(`/tickets/${encodeURIComponent(ticketId)}/playbooks`, { query: { order_number: orderNumber, problem }, signal });
}
