/**
 * Keeps this agent's presence on a ticket alive: announced on arrival and on every change
 * between viewing and replying, refreshed every 15 seconds, withdrawn on leaving.
 */
import { useEffect, useRef } from 'react';
import { announcePresence, leavePresence, type PresenceState } from '../api/presence.api';
import { setViewers } from '../presence-store';

/** How often presence is refreshed; the server forgets an agent after missing a few. */
const HEARTBEAT_MS = 15_000;

function announce(ticketId: string, state: PresenceState): void {
  announcePresence(ticketId, state)
    .then((answer) => {
      if (answer?.viewers) setViewers(ticketId, answer.viewers);
    })
    .catch(() => {
      // Presence is best effort; the next heartbeat tries again.
    });
}

/** Announces the agent on `ticketId` with `state` while the calling component is mounted. */
export function usePresence(ticketId: string | undefined, state: PresenceState): void {
  const stateRef = useRef(state);

  useEffect(() => {
    if (!ticketId) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') announce(ticketId, stateRef.current);
    }, HEARTBEAT_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') announce(ticketId, stateRef.current);
    };
    const onLeave = () => void leavePresence(ticketId).catch(() => undefined);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('pagehide', onLeave);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('pagehide', onLeave);
      onLeave();
    };
  }, [ticketId]);

  useEffect(() => {
    stateRef.current = state;
    if (ticketId) announce(ticketId, state);
  }, [ticketId, state]);
}
