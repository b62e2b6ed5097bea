/**
 * Sign-in, sign-out and the current session.
 */
import { api } from '../../../api/client';
import type { Agent, Meta } from '../../../api/types';

/** Signs in; the server sets the session cookie. */
export function login(email: string, password: string): Promise<{ agent: Agent }> {
  return api('/auth/login', { method: 'POST', body: { email, password }, allowUnauthenticated: true });
}

/** Ends the session. */
export function logout(): Promise<void> {
  return api('/auth/logout', { method: 'POST', allowUnauthenticated: true });
}

/** The signed-in agent; throws ApiError 401 when there is no session. */
export function fetchMe(): Promise<{ agent: Agent }> {
  return api('/auth/me', { allowUnauthenticated: true });
}

/** Public facts for the sign-in page (product name, demo logins). */
export function fetchMeta(): Promise<Meta> {
  return api('/meta', { allowUnauthenticated: true });
}
