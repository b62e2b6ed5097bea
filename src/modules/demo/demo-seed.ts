/**
 * Loads the demo: Northwind Outfitters, its staff, fifty customers and six weeks of
 * conversations, built through the same services that agents and channels use, so the data is
 * exactly what a real install would hold.
 *
 * planDemo() decides everything from a seeded PRNG: which conversation each ticket has, who
 * writes it, where it stands, and when each message was sent (relative to now, in the store's
 * business hours). The content never depends on the clock, only how far a recent conversation
 * has got. seedDemo() then plays the plan inside one transaction.
 */
import type { Channel, TicketPriority, TicketStatus } from '../../db/schema.ts';
import { inTransaction, type Ctx } from '../../shared/context.ts';
import { htmlToText } from '../../shared/html.ts';
import { createAgent } from '../agents/agents.service.ts';
import { addAgentToTeam, insertTeam } from '../agents/agents.queries.ts';
import { insertStore } from '../stores/stores.queries.ts';
import { addMessage, createTicket } from '../tickets/tickets.service.ts';
import { seedDemoCatalogue, type DemoToldOrder } from '../stores/connectors/builtin/demo-catalogue.ts';
import { saveStorePolicy } from '../policies/policies.service.ts';
import { demoStorePolicy } from './demo-policy.ts';
import { seedDemoGoodwill } from './demo-goodwill.ts';
import { createView } from '../views/views.service.ts';
import { DEMO_PASSWORD, DEMO_STORE_SLUG } from './demo.service.ts';
import { localTime, zonedTime } from './demo-time.ts';
import { addressOf, houseNumberOf, tellOrders } from './demo-orders.ts';
import {
  CARRIERS_BY_COUNTRY, DEMO_AGENTS, DEMO_CUSTOMERS, DEMO_ITEMS, DEMO_SITE, DEMO_STORE, DEMO_TEAMS, DEMO_VIEWS, GREETINGS,
  PAYMENT_BY_COUNTRY, SCRIPTS, SIGNOFFS, SIZES, type DemoAgent, type DemoCustomer, type DemoItem, type DemoTeamKey, type Script,
  type Turn,
} from './demo-data.ts';

/** How many tickets the demo holds. */
export const DEMO_TICKET_COUNT = 150;
/** How far back the demo's history reaches, in days. */
export const DEMO_DAYS = 42;
const SEED = 0x4e57_2026;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Randomness: a small seeded PRNG so that every install gets the same demo.

/** A seeded pseudo-random source (mulberry32) with the helpers the plan needs. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('demo: pick from an empty list');
    return item;
  }
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return this.pick(items);
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  code(n: number): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)] ?? 'X';
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Support hours in the store's zone (Europe/Amsterdam), so that agents answer in business hours.

/** Support opening hours by weekday, in local minutes: Mon–Fri 8:30–17:30, Sat 10:00–16:00. */
function openingHours(dow: number): [number, number] | null {
  if (dow === 0) return null;
  if (dow === 6) return [600, 960];
  return [510, 1050];
}

/** The same instant if support is open then, else when it next opens. */
function nextOpen(t: number): number {
  const l = localTime(t);
  for (let k = 0; k < 8; k++) {
    const hours = openingHours((l.dow + k) % 7);
    if (!hours) continue;
    const open = zonedTime(l.y, l.mo, l.d + k, hours[0]);
    const close = zonedTime(l.y, l.mo, l.d + k, hours[1]);
    if (t < open) return open;
    if (t < close) return t;
  }
  return t;
}

/** When an agent acts after `prev`: soon if support is open, else after the backlog next morning. */
function agentTime(prev: number, rng: Rng, minutes: number): number {
  const t = prev + minutes * MINUTE;
  const open = nextOpen(t);
  return open === t ? t : open + rng.int(10, 110) * MINUTE;
}

/** When a customer writes back: people write from early morning to late evening. */
function customerTime(prev: number, rng: Rng, minutes: number): number {
  const t = prev + minutes * MINUTE;
  const l = localTime(t);
  if (l.minute >= 7 * 60 && l.minute < 23 * 60) return t;
  const dayAhead = l.minute >= 23 * 60 ? 1 : 0;
  return zonedTime(l.y, l.mo, l.d + dayAhead, 7 * 60 + rng.int(30, 240));
}

// ---------------------------------------------------------------------------------------------
// The plan.

/** One message or note of a planned ticket. */
export interface PlannedStep {
  by: 'customer' | 'agent' | 'note';
  /** The agent (key) who writes a reply or note. */
  agent?: string;
  body: string;
  html?: string;
  at: Date;
  /** The status the ticket moves to with this step. */
  status?: TicketStatus;
}

/** One ticket of the demo, ready to be played through the services. */
export interface PlannedTicket {
  subject: string;
  channel: Channel;
  customer: DemoCustomer;
  priority: TicketPriority;
  tags: string[];
  team: DemoTeamKey;
  /** Agent (key) handling the ticket. */
  handler: string;
  /** Assigned when created (routing, or an agent logging a call) rather than on first reply. */
  assignOnCreate: boolean;
  /** The conversation's script (demo-data.ts SCRIPTS). */
  script: string;
  /** The orders the conversation names so far: the ticket is linked to them. */
  orderNumbers: string[];
  /** Those orders as the demo store holds them, with everything that happened to them. */
  orders: DemoToldOrder[];
  opening: { body: string; html?: string; at: Date; metadata?: Record<string, unknown> };
  steps: PlannedStep[];
}

type Vars = Record<string, string>;

function fill(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`demo: no value for {${key}}`);
    return value;
  });
}

function euros(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}

function firstName(name: string): string {
  return name.split(' ')[0] ?? name;
}

function agentByKey(key: string): DemoAgent {
  const agent = DEMO_AGENTS.find((a) => a.key === key);
  if (!agent) throw new Error(`demo: unknown agent ${key}`);
  return agent;
}

function trackingNumber(rng: Rng, carrier: string): string {
  switch (carrier) {
    case 'PostNL': return `3SNWOT${rng.digits(9)}`;
    case 'DHL': return `JVGL06${rng.digits(12)}`;
    case 'UPS': return `1Z${rng.code(6)}68${rng.digits(8)}`;
    case 'DPD': return `0${rng.digits(13)}`;
    default: return rng.digits(11);
  }
}

function itemsFor(script: Script): DemoItem[] {
  if (script.item) return DEMO_ITEMS.filter((i) => i.name === script.item);
  return DEMO_ITEMS.filter((i) => (!script.items || script.items.includes(i.kind)) && (!script.sized || i.sizes));
}

/** The placeholder values of one ticket. */
function ticketVars(rng: Rng, script: Script, customer: DemoCustomer, index: number): Vars {
  const item = rng.pick(itemsFor(script));
  const item2 = rng.pick(DEMO_ITEMS.filter((i) => i.name !== item.name && ['accessory', 'apparel', 'fleece'].includes(i.kind)));
  const sizes = SIZES[item.sizes ?? 'clothing'];
  const sizeIndex = rng.int(1, sizes.length - 2);
  const carrier = rng.pick(CARRIERS_BY_COUNTRY[customer.country]);
  rng.int(2, 180); // drawn as before, so that the rest of the demo stays the same
  const houseNo = houseNumberOf(customer);
  const reversed = Number(String(houseNo).split('').reverse().join(''));
  const last = customer.name.split(' ').slice(-1)[0] ?? customer.name;
  const cc = customer.country === 'GB' ? 'GB' : customer.country;
  const numberFirst = ['GB', 'IE', 'FR'].includes(customer.country);
  const order = `NW-${10240 + index * 8 + rng.int(0, 7)}`;
  return {
    first: firstName(customer.name),
    name: customer.name,
    email: customer.email,
    city: customer.city,
    order,
    order2: `NW-${10240 + (index + rng.int(3, 8)) * 8 + rng.int(0, 7)}`,
    oldOrder: `NW-0${rng.int(6100, 8999)}`,
    item: item.name,
    item2: item2.name,
    size: sizes[sizeIndex] ?? 'M',
    size2: sizes[sizeIndex + 1] ?? 'L',
    price: euros(item.price),
    diff: euros(Math.round(item.price * 0.2)),
    carrier,
    tracking: trackingNumber(rng, carrier),
    tracking2: trackingNumber(rng, carrier),
    trackUrl: `${DEMO_SITE}/track/${order}`,
    payment: rng.pick(PAYMENT_BY_COUNTRY[customer.country]),
    houseNo: String(houseNo),
    houseNoWrong: String(reversed !== houseNo && reversed > 0 && houseNo >= 10 ? reversed : houseNo + 1),
    address: numberFirst ? `${houseNo} ${customer.street}` : `${customer.street} ${houseNo}`,
    code: rng.pick(['WELCOME10', 'SPRING15', 'TRAIL20', 'NEWSLETTER10']),
    code2: `THANKS-${rng.code(5)}`,
    voucher: `SORRY15-${rng.code(5)}`,
    giftcard: `GC-${rng.digits(4)}-${rng.digits(4)}`,
    caseRef: `CS-${rng.digits(7)}`,
    company: fill(rng.pick(['{last} Design Studio', '{last} & Partners', '{last} Consulting', 'Studio {last}', '{last} Engineering']), { last }),
    vat: cc === 'NL' ? `NL${rng.digits(9)}B01` : `${cc}${rng.digits(9)}`,
    when: rng.pick(['last week', 'a week ago', 'ten days ago', 'last Monday', 'on Tuesday last week', 'eight days ago']),
  };
}

/** Formats a customer's message as it arrives on the channel. */
function customerBody(channel: Channel, text: string, customer: DemoCustomer, style: number, opening: boolean, agentFirst: string | undefined, vars: Vars): string {
  // Contact forms arrive as typed; the conversation then goes on by email.
  if (channel === 'chat' || channel === 'phone' || (channel === 'contact_form' && opening)) return text;
  if (opening) return `${GREETINGS[style % GREETINGS.length] ?? 'Hi,'}\n\n${text}\n\n${fill(SIGNOFFS[style % SIGNOFFS.length] ?? '{first}', vars)}`;
  const greeting = agentFirst && style % 2 === 0 ? `Hi ${agentFirst},\n\n` : '';
  return `${greeting}${text}\n\n${vars.first ?? customer.name}`;
}

/** Formats an agent's reply: a full email, or a chat line. */
function agentBody(channel: Channel, turn: { text: string; chat?: string | undefined; html?: string | undefined }, agent: DemoAgent, firstReply: boolean, vars: Vars): { body: string; html?: string } {
  const first = vars.first ?? '';
  const me = firstName(agent.name);
  if (channel === 'chat') {
    const text = fill(turn.chat ?? turn.text, vars);
    if (turn.html && !turn.chat) {
      const html = (firstReply ? `<p>Hi ${first}!</p>` : '') + fill(turn.html, vars);
      return { body: plainText(html), html };
    }
    return { body: firstReply && !/^hi\b/i.test(text) ? `Hi ${first}! ${text}` : text };
  }
  const signature = `${agent.signoff}\n${me}\nNorthwind Outfitters Customer Care`;
  if (turn.html) {
    const html = `<p>Hi ${first},</p>${fill(turn.html, vars)}<p>${signature.replace(/\n/g, '<br>')}</p>`;
    return { body: plainText(html), html };
  }
  return { body: `Hi ${first},\n\n${fill(turn.text, vars)}\n\n${signature}` };
}

/** The plain-text twin of a formatted message, with list items kept apart. */
function plainText(html: string): string {
  return htmlToText(html.replace(/<li>/g, '<li>- ').replace(/<\/(p|ul|ol)>/g, '</$1>\n'));
}

/** The status a ticket is in after the first k turns of a script. */
function statusAfter(turns: Turn[], k: number, assigned: boolean): TicketStatus {
  if (k >= turns.length) return 'solved';
  let answered = false;
  let status: TicketStatus = assigned ? 'open' : 'new';
  for (const turn of turns.slice(0, k)) {
    if (turn.by === 'customer') status = answered || assigned ? 'open' : 'new';
    else if (turn.by === 'agent') {
      answered = true;
      status = turn.then === 'open' ? 'open' : turn.then ?? 'pending';
    } else if (turn.then) status = turn.then;
  }
  return status;
}

type Stage = TicketStatus | 'full';

/** How far a conversation has got, by its age: recent ones are still in progress. */
function chooseStage(rng: Rng, ageHours: number): Stage {
  const r = rng.next();
  if (ageHours < 12) return r < 0.4 ? 'new' : r < 0.6 ? 'open' : r < 0.9 ? 'pending' : 'full';
  if (ageHours < 72) return r < 0.15 ? 'new' : r < 0.4 ? 'open' : r < 0.7 ? 'pending' : r < 0.8 ? 'on_hold' : 'full';
  if (ageHours < 192) return r < 0.1 ? 'open' : r < 0.3 ? 'pending' : r < 0.42 ? 'on_hold' : 'full';
  if (ageHours < 14 * 24 && r < 0.05) return 'on_hold';
  if (ageHours > 14 * 24 && r < 0.35) return 'closed';
  if (ageHours > 8 * 24 && r < 0.1) return 'closed';
  return 'full';
}

/** The number of turns to play for a stage: the latest point where the ticket has that status. */
function cutFor(rng: Rng, turns: Turn[], stage: Stage, assigned: boolean): number {
  if (stage === 'full' || stage === 'solved' || stage === 'closed') return turns.length;
  const fallbacks: TicketStatus[] = stage === 'on_hold' ? ['on_hold', 'pending'] : stage === 'open' ? ['open', 'pending'] : stage === 'new' ? ['new', 'open'] : [stage];
  for (const wanted of fallbacks) {
    const ks: number[] = [];
    for (let k = 1; k < turns.length; k++) if (statusAfter(turns, k, assigned) === wanted) ks.push(k);
    if (ks.length > 0) return rng.pick(ks);
  }
  return turns.length;
}

/** When the next step happens, by who acts, on which channel, and what came before. */
function stepTime(rng: Rng, prev: number, turn: Turn, prevTurn: Turn, channel: Channel): number {
  if (turn.delay) {
    const days = turn.delay === 'week' ? 5 + rng.next() * 3 : 1 + rng.next() * 2;
    const t = prev + days * DAY;
    return turn.by === 'customer' ? customerTime(t, rng, 0) : agentTime(t, rng, 0);
  }
  if (turn.by === 'customer') {
    const minutes = channel === 'chat' ? rng.int(1, 6) : 25 + Math.pow(rng.next(), 1.5) * 1200;
    return customerTime(prev, rng, minutes);
  }
  if (turn.by === 'note' && turn.author && turn.author !== 'self') return agentTime(prev, rng, rng.int(15, 200));
  if (prevTurn.by !== 'customer') return agentTime(prev, rng, rng.int(3, 40));
  const minutes = channel === 'chat' ? rng.int(1, 8) : channel === 'phone' ? rng.int(10, 90) : 12 + Math.pow(rng.next(), 2) * 330;
  return agentTime(prev, rng, minutes);
}

interface Slot { day: number; minute: number }

/**
 * Conversations pinned to the newest tickets (counted from the last), so that every demo has an
 * untouched ticket in the inbox and something in the "Urgent" view, whatever the time of day.
 */
const SHOWCASE: Record<number, { script: string; stage: Stage }> = {
  1: { script: 'when-ship', stage: 'new' },
  3: { script: 'charged-twice', stage: 'open' },
  7: { script: 'change-address', stage: 'new' },
};

/** How often customers pick each channel, when a conversation can happen on several. */
const CHANNEL_WEIGHT: Partial<Record<Channel, number>> = { email: 4, chat: 3, contact_form: 2, phone: 4 };

/** Minute of the local day at which a conversation starts, by channel. */
function openingMinute(rng: Rng, channel: Channel): number {
  if (channel === 'phone') return rng.int(9 * 60, 16 * 60 + 45);
  const r = rng.next();
  if (channel === 'chat') return r < 0.85 ? rng.int(9 * 60, 21 * 60) : rng.int(7 * 60, 23 * 60 + 30);
  return r < 0.7 ? rng.int(8 * 60, 18 * 60) : r < 0.95 ? rng.int(18 * 60, 23 * 60) : rng.int(6 * 60, 8 * 60);
}

/**
 * Decides the whole demo. The same seed always gives the same conversations (subjects, customers,
 * texts); `now` only places them in time and decides how far the most recent ones have got.
 */
export function planDemo(now: Date = new Date()): PlannedTicket[] {
  const rng = new Rng(SEED);
  const nowMs = now.getTime() - MINUTE;

  // Who writes in: everyone once, regulars and VIPs more often.
  const writers: DemoCustomer[] = [...DEMO_CUSTOMERS];
  while (writers.length < DEMO_TICKET_COUNT) writers.push(rng.weighted(DEMO_CUSTOMERS, (c) => (c.vip ? 3 : c.weight ?? 0.7)));
  for (let i = writers.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const [a, b] = [writers[i], writers[j]];
    if (a && b) [writers[i], writers[j]] = [b, a];
  }

  // When: more recent days are busier (a growing store).
  const slotsByDay: number[] = [];
  for (let i = 0; i < DEMO_TICKET_COUNT; i++) {
    slotsByDay.push(rng.weighted(Array.from({ length: DEMO_DAYS }, (_, d) => d), (d) => (d === 0 ? 1.5 : 1 + (2.5 * (DEMO_DAYS - d)) / DEMO_DAYS)));
  }
  slotsByDay.sort((a, b) => b - a);

  const today = localTime(nowMs);
  const seen = new Set<string>();
  const drafts: {
    slot: Slot; ticket: Omit<PlannedTicket, 'opening' | 'steps' | 'script' | 'orders'>; script: Script; turns: Turn[]; vars: Vars; style: number; colleague: string; lead: string; showcase: Stage | undefined;
  }[] = [];

  for (let index = 0; index < DEMO_TICKET_COUNT; index++) {
    const customer = writers[index] ?? DEMO_CUSTOMERS[0];
    if (!customer) throw new Error('demo: no customers');
    const showcase = SHOWCASE[DEMO_TICKET_COUNT - index];
    let script = showcase ? SCRIPTS.find((s) => s.key === showcase.script) : undefined;
    for (let tries = 0; !script && tries < 3; tries++) {
      const candidate = rng.weighted(SCRIPTS, (s) => s.weight);
      if (!seen.has(`${customer.email}/${candidate.key}`) || tries === 2) script = candidate;
    }
    if (!script) throw new Error('demo: no script');
    seen.add(`${customer.email}/${script.key}`);

    const channels: Channel[] = [...script.channels, ...(script.phone ? (['phone'] as const) : [])];
    const channel = rng.weighted(channels, (c) => CHANNEL_WEIGHT[c] ?? 1);
    const turns = channel === 'phone' && script.phone ? script.phone.turns : script.turns;
    const subjects = channel === 'phone' && script.phone ? script.phone.subjects : script.subjects;
    const vars = ticketVars(rng, script, customer, index);
    const subject = fill(rng.pick(subjects), vars);

    const team = script.team;
    // Sam (the demo's agent sign-in) has most of this week's work, so that "Mine" is not empty.
    const recent = index >= DEMO_TICKET_COUNT - 30;
    const load = (a: DemoAgent) => (a.load[team] ?? 0) * (recent && a.key === 'sam' ? 3 : 1);
    const handler = script.lead ? 'morgan' : rng.weighted(DEMO_AGENTS.filter((a) => load(a) > 0), load).key;
    const lead = handler === 'morgan' ? 'alex' : 'morgan';
    const colleague = rng.pick(DEMO_AGENTS.filter((a) => a.teams.includes(team) && a.key !== handler && a.key !== 'morgan')).key;
    Object.assign(vars, { agent: firstName(agentByKey(handler).name), colleague: firstName(agentByKey(colleague).name), lead: firstName(agentByKey(lead).name) });

    let priority: TicketPriority = script.priority ?? 'normal';
    if (customer.vip) priority = priority === 'low' ? 'normal' : priority === 'normal' ? 'high' : priority;
    const tags = [...script.tags, ...(customer.vip ? ['vip'] : [])];
    const usesOrder = [turns[0]?.text ?? '', ...subjects].some((t) => t.includes('{order}'));

    drafts.push({
      slot: { day: slotsByDay[index] ?? 0, minute: openingMinute(rng, channel) },
      ticket: {
        subject, channel, customer, priority, tags, team, handler,
        assignOnCreate: channel === 'phone' || turns[1]?.by === 'note',
        orderNumbers: usesOrder ? [vars.order ?? ''] : [],
      },
      script, turns, vars, colleague, lead, showcase: showcase?.stage,
      style: DEMO_CUSTOMERS.indexOf(customer),
    });
  }

  // A replacement order or an old order gets a number no other conversation's order has.
  const numbers = new Set(drafts.map((d) => d.vars.order ?? ''));
  for (const { vars } of drafts) {
    for (const key of ['order2', 'oldOrder'] as const) {
      let n = vars[key] ?? '';
      while (numbers.has(n)) n = n.replace(/\d+$/, (digits) => String(Number(digits) + 1).padStart(digits.length, '0'));
      vars[key] = n;
      numbers.add(n);
    }
  }

  // Place the conversations in time. Today's tickets are squeezed into the part of today that has passed.
  const todayLatest = Math.max(1, ...drafts.filter((d) => d.slot.day === 0).map((d) => d.slot.minute));
  const squeeze = Math.min(1, Math.max(0, today.minute - 15) / todayLatest);
  const placed = drafts.map((draft, index) => {
    const { slot } = draft;
    let start = zonedTime(today.y, today.mo, today.d - slot.day, slot.day === 0 ? Math.floor(slot.minute * squeeze) : slot.minute);
    if (draft.ticket.channel === 'phone') {
      // The phone line keeps support hours (Saturdays shorter, closed on Sundays): a call that
      // would fall outside them, or later than now, came in on the day before.
      for (let back = slot.day; ; back++) {
        const dow = localTime(zonedTime(today.y, today.mo, today.d - back, 720)).dow;
        const minute = dow === 6 ? 600 + Math.floor(((slot.minute - 540) * 345) / 465) : slot.minute;
        start = zonedTime(today.y, today.mo, today.d - back, minute);
        if (dow !== 0 && start < nowMs - 5 * MINUTE) break;
      }
    }
    return { draft, start: Math.min(start, nowMs - 5 * MINUTE), index };
  });
  placed.sort((a, b) => a.start - b.start || a.index - b.index);

  return placed.map(({ draft, start, index: draftIndex }, index) => {
    const rng = new Rng(SEED + 7919 * (index + 1));
    const story = new Rng(SEED + 104_729 * (draftIndex + 1));
    const { ticket, turns, vars } = draft;
    const stage = draft.showcase ?? chooseStage(rng, (nowMs - start) / HOUR);
    const routed = ticket.assignOnCreate || (stage === 'new' && !draft.showcase && rng.chance(0.25));
    const cut = cutFor(rng, turns, stage, routed);
    const finalStatus: TicketStatus = stage === 'closed' ? 'closed' : 'solved';

    const opener = turns[0];
    if (!opener || opener.by !== 'customer') throw new Error(`demo: script ${draft.script.key} must open with the customer`);
    const openingText = fill(ticket.channel === 'chat' ? opener.chat ?? opener.text : opener.text, vars);
    const opening: PlannedTicket['opening'] = {
      body: customerBody(ticket.channel, openingText, ticket.customer, draft.style, true, undefined, vars),
      at: new Date(start),
      ...(ticket.channel === 'contact_form' ? { metadata: { form: 'contact', ...(ticket.orderNumbers[0] ? { order_number: ticket.orderNumbers[0] } : {}) } } : {}),
    };

    const steps: PlannedStep[] = [];
    let prev = start;
    let replied = false;
    const handler = agentByKey(ticket.handler);
    for (let i = 1; i < cut; i++) {
      const turn = turns[i];
      const prevTurn = turns[i - 1];
      if (!turn || !prevTurn) break;
      const at = Math.max(stepTime(rng, prev, turn, prevTurn, ticket.channel), prev + MINUTE);
      if (at > nowMs) break;
      prev = at;
      const last = i === turns.length - 1;
      if (turn.by === 'customer') {
        steps.push({ by: 'customer', body: customerBody(ticket.channel, fill(ticket.channel === 'chat' ? turn.chat ?? turn.text : turn.text, vars), ticket.customer, draft.style, false, replied ? firstName(handler.name) : undefined, vars), at: new Date(at) });
      } else if (turn.by === 'agent') {
        const { body, html } = agentBody(ticket.channel, turn, handler, !replied, vars);
        const status: TicketStatus | undefined = last ? finalStatus : turn.then === 'open' ? undefined : turn.then ?? 'pending';
        steps.push({ by: 'agent', agent: handler.key, body, ...(html ? { html } : {}), at: new Date(at), ...(status ? { status } : {}) });
        replied = true;
      } else {
        const author = turn.author === 'colleague' ? draft.colleague : turn.author === 'lead' ? draft.lead : handler.key;
        const status: TicketStatus | undefined = last ? finalStatus : turn.then;
        steps.push({ by: 'note', agent: author, body: fill(turn.text, vars), at: new Date(at), ...(status ? { status } : {}) });
      }
    }
    // The ticket is linked to every order the conversation has named so far, and the store holds them.
    const said = [ticket.subject, opening.body, ...steps.map((x) => x.body)];
    const orderNumbers = [vars.order, vars.order2, vars.oldOrder].filter((n): n is string => !!n && said.some((text) => text.includes(n)));
    const orders = tellOrders({
      script: draft.script.key, channel: ticket.channel, customer: ticket.customer, vars, opening: start, steps: steps.map((x) => x.at.getTime()),
      handler: handler.name, lead: agentByKey(draft.lead).name, now: nowMs, random: () => story.next(),
    }).filter((o) => orderNumbers.includes(o.number));
    return { ...ticket, script: draft.script.key, assignOnCreate: routed, orderNumbers, orders, opening, steps };
  });
}

// ---------------------------------------------------------------------------------------------
// Playing the plan through the services.

/**
 * Loads the demo store, agents, teams, customers, tickets and shared views, in one transaction
 * (a failed or interrupted load leaves nothing behind). Replies are not delivered by any channel.
 */
export async function seedDemo(ctx: Ctx, opts: { onProgress?: (done: number, total: number) => void; now?: Date } = {}): Promise<void> {
  const now = opts.now ?? new Date();
  const plan = planDemo(now);
  // The demo's replies are history, answered weeks ago: recorded, never sent (to addresses that do not exist).
  const history: Ctx = { ...ctx, importing: true };
  const storeId = await inTransaction(history, async (tx) => {
    const store = await insertStore(tx.db, { name: DEMO_STORE.name, slug: DEMO_STORE_SLUG, timezone: DEMO_STORE.timezone, currency: DEMO_STORE.currency });

    // Only the sign-ins get a password (argon2 is slow on purpose); colleagues work through the demo data.
    const actors = new Map<string, Ctx>();
    for (const a of DEMO_AGENTS) {
      const agent = await createAgent(tx, { email: a.email, name: a.name, role: a.role, password: a.login ? DEMO_PASSWORD : undefined });
      actors.set(a.key, { ...tx, actor: { type: 'agent', agentId: agent.id, role: agent.role, name: agent.name } });
    }
    const agentId = (key: string) => {
      const actor = actors.get(key)?.actor;
      if (actor?.type !== 'agent') throw new Error(`demo: agent ${key} was not created`);
      return actor.agentId;
    };
    const teams = new Map<DemoTeamKey, string>();
    for (const team of DEMO_TEAMS) {
      const row = await insertTeam(tx.db, team.name);
      teams.set(team.key, row.id);
      for (const a of DEMO_AGENTS.filter((x) => x.teams.includes(team.key))) await addAgentToTeam(tx.db, agentId(a.key), row.id);
    }
    const actorOf = (key: string | undefined): Ctx => {
      const actor = key ? actors.get(key) : undefined;
      if (!actor) throw new Error(`demo: no agent ${key ?? '(none)'}`);
      return actor;
    };

    let done = 0;
    for (const t of plan) {
      // Channels deliver what customers write; on the phone, the agent logs the call.
      const opener: Ctx = t.channel === 'phone' ? actorOf(t.handler) : { ...tx, actor: { type: 'system', name: t.channel } };
      const created = await createTicket(opener, {
        subject: t.subject,
        customer: { email: t.customer.email, name: t.customer.name },
        message: { body: t.opening.body, ...(t.opening.html ? { html: t.opening.html } : {}), ...(t.opening.metadata ? { metadata: t.opening.metadata } : {}) },
        channel: t.channel,
        priority: t.priority,
        tags: t.tags,
        storeId: store.id,
        assigneeId: t.assignOnCreate ? agentId(t.handler) : null,
        teamId: teams.get(t.team) ?? null,
        orderNumbers: t.orderNumbers,
        ...(t.channel === 'phone' ? { firstMessageFrom: 'agent' as const } : {}),
        at: t.opening.at,
      });
      const customer: Ctx = { ...tx, actor: { type: 'customer', customerId: created.customerId } };
      for (const step of t.steps) {
        await addMessage(step.by === 'customer' ? customer : actorOf(step.agent), created.id, {
          body: step.body,
          ...(step.html ? { html: step.html } : {}),
          internal: step.by === 'note',
          ...(step.status ? { status: step.status } : {}),
          at: step.at,
        });
      }
      done++;
      opts.onProgress?.(done, plan.length);
    }

    for (const view of DEMO_VIEWS) {
      const team = view.team ? teams.get(view.team) : undefined;
      await createView(tx, { name: view.name, filters: { ...view.filters, ...(team ? { team } : {}) }, shared: true });
    }

    await seedDemoOrders(tx, store.id, plan, now);
    await saveStorePolicy(actorOf('alex'), store.id, { document: demoStorePolicy(), changeNote: 'Our returns, exchanges and warranty rules' });
    return store.id;
  });
  // Authority, budget, playbooks and one approval request go through the real order-action pipeline, after the load.
  await seedDemoGoodwill(history, storeId);
}

/**
 * Fills the built-in store with the catalogue, every order a conversation names — exactly as the
 * conversation tells it, so each ticket's order panel shows the order it is about — and a
 * history in every state for the customers, shipped to their own addresses by their carriers.
 */
async function seedDemoOrders(tx: Ctx, storeId: string, plan: PlannedTicket[], now: Date): Promise<void> {
  const byEmail = new Map(DEMO_CUSTOMERS.map((c) => [c.email.toLowerCase(), c]));
  const emails = [...new Set(plan.map((t) => t.customer.email.toLowerCase()))];
  const rows = await tx.db
    .selectFrom('customer_identities')
    .innerJoin('customers', 'customers.id', 'customer_identities.customer_id')
    .select(['customers.id', 'customers.name', 'customer_identities.value as email'])
    .where('customer_identities.store_id', '=', storeId)
    .where('customer_identities.kind', '=', 'email')
    .where('customer_identities.value', 'in', emails)
    .execute();
  const customers = emails.flatMap((email) => {
    const row = rows.find((r) => r.email === email);
    const demo = byEmail.get(email);
    return row && demo ? [{ ...row, address: addressOf(demo), carriers: CARRIERS_BY_COUNTRY[demo.country] }] : [];
  });
  await seedDemoCatalogue(tx, { storeId, customers, now, told: plan.flatMap((t) => t.orders) });
}
