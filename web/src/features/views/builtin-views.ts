/**
 * The inbox views every agent has, and how a list's filters are read from and written to the URL.
 */
import {
  IconCircleCheck,
  IconClockPause,
  IconHourglass,
  IconInbox,
  IconList,
  IconUser,
  IconUserQuestion,
  type Icon,
} from '@tabler/icons-react';
import type { TicketCounts, TicketFilters } from '../../api/types';

/** Statuses that still need work. */
export const ACTIVE_STATUSES = 'new,open,pending,on_hold';

/** A built-in inbox view. */
export interface BuiltinView {
  /** URL segment: /inbox/<key>. */
  key: string;
  label: string;
  icon: Icon;
  filters: TicketFilters;
  /** Which counter the sidebar shows. */
  count: keyof TicketCounts;
  /** Shown when the view is empty. */
  emptyText: string;
}

/** Built-in views, in sidebar order. */
export const BUILTIN_VIEWS: BuiltinView[] = [
  {
    key: 'mine',
    label: 'Mine',
    icon: IconUser,
    filters: { assignee: 'me', status: ACTIVE_STATUSES },
    count: 'mine',
    emptyText: 'Nothing assigned to you needs attention. Nice work.',
  },
  {
    key: 'unassigned',
    label: 'Unassigned',
    icon: IconUserQuestion,
    filters: { assignee: 'none', status: ACTIVE_STATUSES },
    count: 'unassigned',
    emptyText: 'Every open ticket has an owner.',
  },
  {
    key: 'open',
    label: 'All open',
    icon: IconInbox,
    filters: { status: 'new,open' },
    count: 'open',
    emptyText: 'No customer is waiting for an answer.',
  },
  {
    key: 'pending',
    label: 'Pending',
    icon: IconHourglass,
    filters: { status: 'pending' },
    count: 'pending',
    emptyText: 'No tickets are waiting on customers.',
  },
  {
    key: 'on-hold',
    label: 'On hold',
    icon: IconClockPause,
    filters: { status: 'on_hold' },
    count: 'on_hold',
    emptyText: 'No tickets are on hold.',
  },
  {
    key: 'solved',
    label: 'Solved',
    icon: IconCircleCheck,
    filters: { status: 'solved,closed' },
    count: 'solved',
    emptyText: 'No solved tickets yet.',
  },
  { key: 'all', label: 'All tickets', icon: IconList, filters: {}, count: 'all', emptyText: 'There are no tickets yet.' },
];

/** Where `g i` goes. */
export const INBOX_PATH = '/inbox/mine';

/** The built-in view for a URL segment. */
export function findBuiltinView(key: string | undefined): BuiltinView | undefined {
  return BUILTIN_VIEWS.find((v) => v.key === key);
}

/** Filter keys the list's filter bar edits (and the URL carries). */
export const FILTER_KEYS = ['status', 'assignee', 'team', 'priority', 'channel', 'tag', 'q'] as const;

/** One editable filter key. */
export type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * The filters a list shows: the view's own, overridden by any key present in the URL. An empty
 * URL value means "any" and removes the view's filter for that key.
 */
export function effectiveFilters(base: TicketFilters, params: URLSearchParams): TicketFilters {
  const result: TicketFilters = { ...base };
  for (const key of FILTER_KEYS) {
    if (!params.has(key)) continue;
    const value = params.get(key)?.trim() ?? '';
    if (value) result[key] = value;
    else delete result[key];
  }
  return cleanFilters(result);
}

/** Drops empty values so equal filters give equal query keys. */
export function cleanFilters(filters: TicketFilters): TicketFilters {
  const out: TicketFilters = {};
  for (const [key, value] of Object.entries(filters) as Array<[keyof TicketFilters, string | undefined]>) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** True when the URL changes the view's filters. */
export function filtersDiffer(a: TicketFilters, b: TicketFilters): boolean {
  const ca = cleanFilters(a);
  const cb = cleanFilters(b);
  const keys = new Set([...Object.keys(ca), ...Object.keys(cb)]) as Set<keyof TicketFilters>;
  for (const key of keys) if (ca[key] !== cb[key]) return true;
  return false;
}
