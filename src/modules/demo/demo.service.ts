/**
 * The demo: a fictional store with customers, agents and several weeks of conversations, so
 * that a first `npm start` shows a working helpdesk. It loads only into an empty embedded
 * database (or on request with `storedesk seed demo`), never into a live store by itself.
 */
import type { Ctx } from '../../shared/context.ts';

/** The password of every demo login. */
export const DEMO_PASSWORD = 'demo1234';

/** The demo's sign-ins, shown on the sign-in page of a demo install. */
export const DEMO_LOGINS = [
  { email: 'admin@demo.storedesk.dev', role: 'admin', name: 'Alex Admin' },
  { email: 'manager@demo.storedesk.dev', role: 'manager', name: 'Morgan Lee' },
  { email: 'agent@demo.storedesk.dev', role: 'agent', name: 'Sam Rivera' },
];

/** The slug of the demo store; its presence marks a demo install. */
export const DEMO_STORE_SLUG = 'demo';

/** Whether the demo data is loaded. */
export async function isDemoLoaded(ctx: Ctx): Promise<boolean> {
  const row = await ctx.db.selectFrom('stores').select('id').where('slug', '=', DEMO_STORE_SLUG).executeTakeFirst();
  return row !== undefined;
}

/** Whether the database holds no tickets and no agents: the only state the demo loads into by itself. */
export async function isDatabaseEmpty(ctx: Ctx): Promise<boolean> {
  const [agent, ticket] = [
    await ctx.db.selectFrom('agents').select('id').limit(1).executeTakeFirst(),
    await ctx.db.selectFrom('tickets').select('id').limit(1).executeTakeFirst(),
  ];
  return agent === undefined && ticket === undefined;
}
