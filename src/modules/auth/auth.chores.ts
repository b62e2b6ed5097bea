/** Sign-in upkeep. */
import type { Chore } from '../../jobs/chores.ts';
import { deleteExpiredSessions } from './auth.queries.ts';

/** Every six hours: sessions past their expiry (they no longer sign anyone in; the rows only take room). */
export const expiredSessionsChore: Chore = { name: 'expired-sessions', everyMs: 6 * 3600_000, run: (ctx) => deleteExpiredSessions(ctx.db) };
