import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo.service.ts';
import { DEMO_TICKET_COUNT, planDemo, seedDemo } from './demo-seed.ts';

const DAY = 24 * 3600_000;
const CHANNELS = ['email', 'chat', 'contact_form', 'phone'] as const;

let t: TestApp;
let cookie = '';
let seededAt = new Date();
const progress: [number, number][] = [];

/** A ticket as the inbox lists it (the fields these tests read). */
interface Summary {
  id: string; number: number; subject: string; status: string; priority: string; channel: string; tags: string[];
  created_at: string; last_message_at: string; assignee: { id: string; name: string } | null;
}

/** Every ticket summary, page by page, as the inbox lists them. */
async function listAll(query = ''): Promise<Summary[]> {
  const items: Summary[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/tickets?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const page: { items: Summary[]; next_cursor: string | null } = res.json();
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  t = await createTestApp();
  seededAt = new Date();
  await seedDemo(t.ctx, { onProgress: (done, total) => progress.push([done, total]) });
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'agent@demo.storedesk.dev', password: DEMO_PASSWORD } });
  const raw = res.headers['set-cookie'];
  cookie = ((Array.isArray(raw) ? raw[0] : raw) ?? '').split(';')[0] ?? '';
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('the demo', () => {
  it('lets every demo login sign in with the demo password', async () => {
    for (const login of DEMO_LOGINS) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: login.email, password: DEMO_PASSWORD } });
      expect(res.statusCode, login.email).toBe(200);
      expect(res.json().agent).toMatchObject({ email: login.email, role: login.role, name: login.name });
    }
  });

  it('is announced by the meta endpoint, with its logins', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/meta' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ demo: true, demo_password: DEMO_PASSWORD });
    expect(res.json().demo_logins).toHaveLength(DEMO_LOGINS.length);
  });

  it('has a team: colleagues besides the logins, in two teams', async () => {
    const agents = (await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { cookie } })).json().items;
    expect(agents.length).toBeGreaterThanOrEqual(DEMO_LOGINS.length + 2);
    const teams = (await t.app.inject({ method: 'GET', url: '/api/v1/teams', headers: { cookie } })).json().items;
    expect(teams.map((r: { name: string }) => r.name).sort()).toEqual(['Returns & Logistics', 'Tier 1']);
    expect(teams.every((r: { member_count: number }) => r.member_count >= 3)).toBe(true);
  });

  it('holds about fifty customers and 150 tickets across email, chat, contact form and phone', async () => {
    const customers = (await t.app.inject({ method: 'GET', url: '/api/v1/customers?limit=100', headers: { cookie } })).json();
    expect(customers.items).toHaveLength(50);
    expect(customers.items.some((c: { ticket_count: number }) => c.ticket_count >= 4)).toBe(true);

    const counts = (await t.app.inject({ method: 'GET', url: '/api/v1/tickets/counts', headers: { cookie } })).json();
    expect(counts.all).toBe(DEMO_TICKET_COUNT);
    for (const channel of CHANNELS) {
      const items = await listAll(`&channel=${channel}`);
      expect(items.length, channel).toBeGreaterThanOrEqual(10);
    }
  });

  it('gives tickets whole conversations: customer and agent messages, internal notes, formatting', async () => {
    const perTicket = await t.ctx.db
      .selectFrom('messages')
      .select('ticket_id')
      .select((eb) => [
        eb.fn.count<number>('id').filterWhere('kind', '=', 'inbound').as('inbound'),
        eb.fn.count<number>('id').filterWhere('kind', '=', 'outbound').as('outbound'),
        eb.fn.count<number>('id').filterWhere('kind', '=', 'note').as('notes'),
        eb.fn.count<number>('id').as('total'),
      ])
      .groupBy('ticket_id')
      .execute();
    expect(perTicket).toHaveLength(DEMO_TICKET_COUNT);
    const both = perTicket.filter((r) => Number(r.inbound) > 0 && Number(r.outbound) > 0);
    expect(both.length).toBeGreaterThan(DEMO_TICKET_COUNT / 2);
    expect(perTicket.filter((r) => Number(r.notes) > 0).length).toBeGreaterThanOrEqual(20);
    expect(perTicket.filter((r) => Number(r.total) >= 4).length).toBeGreaterThanOrEqual(30);
    expect(Math.max(...perTicket.map((r) => Number(r.total)))).toBeLessThanOrEqual(6);

    // Replies are history: no channel queued them for delivery.
    const queued = await t.ctx.db.selectFrom('messages').select('id').where('delivery_status', '=', 'queued').execute();
    expect(queued).toHaveLength(0);

    const formatted = await t.ctx.db.selectFrom('messages').select('body_html').where('body_html', 'like', '%<li>%').execute();
    expect(formatted.length).toBeGreaterThan(5);
    expect(formatted.some((m) => /<a href="https:\/\/northwind-outfitters\.example/.test(m.body_html ?? ''))).toBe(true);

    // The ticket page shows the conversation in order, authors named.
    const [sample] = both;
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${sample?.ticket_id}`, headers: { cookie } })).json();
    const times = detail.messages.map((m: { created_at: string }) => Date.parse(m.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(detail.messages.find((m: { kind: string }) => m.kind === 'outbound').author).toBeTruthy();
    expect(detail.messages.every((m: { body_text: string }) => !/\{\w+\}/.test(m.body_text))).toBe(true);
  });

  it('tags and prioritises tickets, and spreads them over agents with some unassigned', async () => {
    const tickets = await listAll();
    const tags = new Set(tickets.flatMap((x) => x.tags));
    for (const tag of ['shipping', 'returns', 'refund', 'exchange', 'damaged', 'vip', 'billing', 'product-question', 'warranty']) {
      expect(tags.has(tag), tag).toBe(true);
    }
    const assignees = new Set(tickets.map((x) => x.assignee?.name).filter(Boolean));
    expect(assignees.size).toBeGreaterThanOrEqual(5);
    expect(tickets.some((x) => x.assignee === null)).toBe(true);
    const priorities = new Set(tickets.map((x) => x.priority));
    for (const priority of ['low', 'normal', 'high', 'urgent']) expect(priorities.has(priority), priority).toBe(true);
  });

  it('mixes statuses like a real inbox: older tickets solved, recent ones in progress', async () => {
    const tickets = await listAll();
    const statuses = new Set(tickets.map((x) => x.status));
    for (const status of ['new', 'open', 'pending', 'solved', 'closed']) expect(statuses.has(status), status).toBe(true);
    const old = tickets.filter((x) => Date.parse(x.created_at) < seededAt.getTime() - 15 * DAY);
    expect(old.length).toBeGreaterThan(40);
    expect(old.filter((x) => x.status === 'solved' || x.status === 'closed').length / old.length).toBeGreaterThan(0.9);
    const counts = (await t.app.inject({ method: 'GET', url: '/api/v1/tickets/counts', headers: { cookie } })).json();
    expect(counts.mine).toBeGreaterThan(0);
  });

  it('spreads the history over six weeks, with nothing in the future', async () => {
    const tickets = await listAll();
    const created = tickets.map((x) => Date.parse(x.created_at));
    expect(Math.min(...created)).toBeLessThan(seededAt.getTime() - 35 * DAY);
    expect(Math.max(...created)).toBeGreaterThan(seededAt.getTime() - 2 * DAY);
    expect(Math.max(...tickets.map((x) => Date.parse(x.last_message_at)))).toBeLessThanOrEqual(Date.now());
    // Ticket numbers follow the order in which conversations started.
    const byNumber = [...tickets].sort((a, b) => a.number - b.number).map((x) => Date.parse(x.created_at));
    expect(byNumber).toEqual([...byNumber].sort((a, b) => a - b));
  });

  it('offers shared views that find tickets', async () => {
    const views = (await t.app.inject({ method: 'GET', url: '/api/v1/views', headers: { cookie } })).json().items;
    expect(views.map((v: { name: string }) => v.name)).toEqual(expect.arrayContaining(['VIP customers', 'Urgent', 'Returns & Logistics queue']));
    for (const view of views as { name: string; shared: boolean; filters: Record<string, string> }[]) {
      expect(view.shared).toBe(true);
      const query = Object.entries(view.filters).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
      expect((await listAll(query)).length, view.name).toBeGreaterThan(0);
    }
  });

  it('reports progress ticket by ticket', () => {
    expect(progress).toHaveLength(DEMO_TICKET_COUNT);
    expect(progress.at(-1)).toEqual([DEMO_TICKET_COUNT, DEMO_TICKET_COUNT]);
  });

  it('is the same demo on every install: same subjects, whatever the day', async () => {
    const subjects = (await listAll()).map((x) => x.subject).sort();
    for (const now of ['2026-03-02T06:00:00Z', '2026-07-15T09:30:00Z', '2026-10-25T22:45:00Z']) {
      expect(planDemo(new Date(now)).map((p) => p.subject).sort()).toEqual(subjects);
    }
  });
});

describe('the demo plan', () => {
  // Monday before opening, mid-week, Saturday afternoon, Sunday night (Amsterdam), across DST changes.
  const moments = ['2026-03-30T05:00:00Z', '2026-06-10T10:00:00Z', '2026-10-24T14:00:00Z', '2026-11-01T22:30:00Z', '2026-12-27T12:00:00Z'];

  it('keeps each conversation in order and in the past, at any time of the week', () => {
    for (const iso of moments) {
      const now = new Date(iso);
      const plan = planDemo(now);
      expect(plan).toHaveLength(DEMO_TICKET_COUNT);
      for (const ticket of plan) {
        let prev = ticket.opening.at.getTime();
        for (const step of ticket.steps) {
          expect(step.at.getTime(), `${iso} ${ticket.subject}`).toBeGreaterThan(prev);
          prev = step.at.getTime();
        }
        expect(prev).toBeLessThanOrEqual(now.getTime());
      }
      const last = plan.map((p) => p.steps.at(-1)?.status).filter(Boolean);
      expect(last, iso).toEqual(expect.arrayContaining(['pending', 'solved', 'closed']));
      expect(plan.some((p) => p.steps.length === 0 && !p.assignOnCreate), `${iso}: an untouched new ticket`).toBe(true);
    }
  });

  it('has agents answer and take calls in business hours (Amsterdam time)', () => {
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const inHours = (at: Date) => {
      const parts = Object.fromEntries(local.formatToParts(at).map((p) => [p.type, p.value]));
      const minute = Number(parts.hour) * 60 + Number(parts.minute);
      const [open, close] = parts.weekday === 'Sat' ? [600, 960] : [510, 1050];
      return parts.weekday !== 'Sun' && minute >= open && minute < close;
    };
    for (const iso of moments) {
      for (const ticket of planDemo(new Date(iso))) {
        const staffed = [...ticket.steps.filter((s) => s.by !== 'customer').map((s) => s.at), ...(ticket.channel === 'phone' ? [ticket.opening.at] : [])];
        for (const at of staffed) expect(inHours(at), `${iso} ${ticket.subject} ${at.toISOString()}`).toBe(true);
      }
    }
  });
});

describe('demo store orders', () => {
  it('links a late-parcel ticket to the customer’s late order, shown beside the conversation', async () => {
    const tickets = await listAll();
    const linked = tickets.filter((tk) => (tk as Summary & { order_numbers: string[] }).order_numbers.length > 0);
    let found = false;
    for (const tk of linked) {
      const detail = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${tk.id}`, headers: { cookie } });
      const body: { customer: { id: string }; ticket: { order_numbers: string[] } } = detail.json();
      const orders = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${body.customer.id}/orders`, headers: { cookie } });
      expect(orders.statusCode).toBe(200);
      const page: { items: { number: string; status: string; total: { amount: number } }[] } = orders.json();
      const late = page.items.find((o) => o.status === 'late' && body.ticket.order_numbers.includes(o.number));
      if (late) {
        expect(late.total.amount).toBeGreaterThan(0);
        found = true;
        break;
      }
    }
    expect(found).toBe(true);
  });
});
