/**
 * Saved views: named ticket-list filters.
 */
import { api } from '../../../api/client';
import type { ItemList, SavedView } from '../../../api/types';

/** The agent's own views and shared ones. */
export function listViews(): Promise<ItemList<SavedView>> {
  return api('/views');
}

/** Saves a filter under a name. */
export function createView(input: Omit<SavedView, 'id'>): Promise<SavedView> {
  return api('/views', { method: 'POST', body: input });
}

/** Deletes a view. */
export function deleteView(id: string): Promise<void> {
  return api(`/views/${id}`, { method: 'DELETE' });
}
