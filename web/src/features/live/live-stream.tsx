/**
 * Live updates: one EventSource on `/api/v1/stream` per signed-in workspace. Ticket and message
 * events refresh the caches that show that ticket, the lists and the counters (and the orders
 * when someone acted on one); presence events
 * feed the presence store. The stream is a notification path only: after a reconnect every
 * ticket view is refreshed in case events were missed.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { apiUrl } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import type { LiveEvent, TicketPage } from '../../api/types';
import { clearViewers, setViewers } from '../presence/presence-store';
import { authorityKeys } from '../authority/hooks/use-authority';

/** Connection state shown by the live indicator. */
export type LiveState = 'connecting' | 'open' | 'reconnecting';

const LiveContext = createContext<LiveState>('connecting');

/** The live connection's state. */
export function useLiveState(): LiveState {
  return useContext(LiveContext);
}

const EVENT_TYPES = ['ticket.created', 'ticket.updated', 'message.created', 'presence'] as const;

function parseEvent(raw: string): LiveEvent | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string') {
      return value as LiveEvent;
    }
  } catch {
    // Comments and keep-alives are not JSON; ignore them.
  }
  return null;
}

/** Batches invalidations so a burst of events costs one refetch per query. */
function createInvalidator(client: QueryClient) {
  let pendingTickets = new Set<string>();
  let listsDirty = false;
  let ordersDirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const tickets = pendingTickets;
    pendingTickets = new Set();
    if (ordersDirty) {
      ordersDirty = false;
      void client.invalidateQueries({ queryKey: queryKeys.orders });
    }
    if (listsDirty) {
      listsDirty = false;
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
      void client.invalidateQueries({ queryKey: queryKeys.counts });
      void client.invalidateQueries({ queryKey: queryKeys.customers });
    }
    if (tickets.size > 0) {
      void client.invalidateQueries({
        queryKey: queryKeys.tickets,
        predicate: (query) => {
          const data = query.state.data as TicketPage | undefined;
          return data !== undefined && tickets.has(data.ticket.id);
        },
      });
    }
  };
  return (ticketId: string | null, orders = false) => {
    listsDirty = true;
    if (orders) ordersDirty = true;
    if (ticketId) pendingTickets.add(ticketId);
    timer ??= setTimeout(flush, 250);
  };
}

/** Opens the live stream for the signed-in workspace and provides its state. */
export function LiveStreamProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let wasOpen = false;
    let stopped = false;
    const invalidate = createInvalidator(client);

    const handle = (event: MessageEvent<string>) => {
      const live = parseEvent(event.data);
      if (!live) return;
      switch (live.type) {
        case 'presence':
          setViewers(live.ticket_id, live.viewers);
          break;
        case 'ticket.created':
          invalidate(null);
          break;
        case 'ticket.updated':
          // Someone acted on an order from a ticket: the orders on screen changed too.
          invalidate(live.ticket_id, live.changes.includes('order_actions') || live.changes.includes('order_numbers'));
          // An approval was asked for or decided: managers' queue and its badge change at once.
          if (live.changes.includes('approvals')) void client.invalidateQueries({ queryKey: authorityKeys.all });
          break;
        case 'message.created':
          invalidate(live.ticket_id);
          break;
      }
    };

    const connect = () => {
      if (stopped) return;
      source = new EventSource(apiUrl('/stream'), { withCredentials: true });
      source.onopen = () => {
        attempts = 0;
        setState('open');
        if (wasOpen) {
          // Events may have been missed while disconnected: refresh what is on screen.
          clearViewers();
          void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
          void client.invalidateQueries({ queryKey: queryKeys.counts });
          void client.invalidateQueries({ queryKey: queryKeys.tickets });
        }
        wasOpen = true;
      };
      source.onmessage = handle;
      for (const type of EVENT_TYPES) source.addEventListener(type, handle);
      source.onerror = () => {
        setState('reconnecting');
        if (source?.readyState === EventSource.CLOSED) {
          // The browser gave up (the server refused the stream): retry ourselves, backing off,
          // and re-check the session in case it expired.
          source.close();
          source = null;
          attempts += 1;
          void client.invalidateQueries({ queryKey: queryKeys.me });
          const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempts, 5));
          retryTimer = setTimeout(connect, delay);
        }
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [client]);

  return <LiveContext value={state}>{children}</LiveContext>;
}
