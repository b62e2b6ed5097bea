/**
 * Realistic-looking support conversations for an outdoor-gear shop, generated from a seeded
 * PRNG so that two runs with the same seed produce the same database. When the team's shared
 * customer-service utterances (../shared/data/intents/bitext_cs20k.jsonl, CDLA-Sharing-1.0)
 * sit beside the repository, customers open with one of them; otherwise only templates are used.
 * The data file is read at run time and never copied into the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A small, fast, seeded PRNG (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    const v = list[Math.floor(this.next() * list.length)];
    if (v === undefined) throw new Error('pick from an empty list');
    return v;
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export const FIRST_NAMES = [
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Mateo', 'Sofia', 'Elias', 'Amelia', 'Leon', 'Hannah', 'Jonas', 'Lena',
  'Finn', 'Clara', 'Luca', 'Julia', 'Felix', 'Ines', 'Hugo', 'Chloe', 'Arthur', 'Zoe', 'Oscar', 'Maya', 'Theo', 'Nora', 'Jan',
  'Priya', 'Arjun', 'Yuki', 'Kenji', 'Aisha', 'Omar', 'Fatima', 'Diego', 'Lucia', 'Carlos', 'Marta', 'Pieter', 'Sanne', 'Daan',
  'Freya', 'Magnus', 'Ingrid', 'Sven', 'Chiara', 'Marco', 'Giulia', 'Ana', 'Tomasz', 'Zofia', 'Mehmet', 'Elif', 'Wei', 'Mei',
];
export const LAST_NAMES = [
  'Smith', 'Jansen', 'de Vries', 'Müller', 'Schmidt', 'Garcia', 'Rossi', 'Martin', 'Bernard', 'Dubois', 'Nowak', 'Kowalski',
  'Johansson', 'Nielsen', 'Hansen', 'Brown', 'Wilson', 'Taylor', 'Murphy', "O'Brien", 'Silva', 'Santos', 'Fernández', 'López',
  'Yilmaz', 'Kaya', 'Tanaka', 'Sato', 'Chen', 'Wang', 'Patel', 'Sharma', 'Khan', 'Ali', 'Novak', 'Horvat', 'Bakker', 'Visser',
  'Meyer', 'Weber', 'Fischer', 'Lambert', 'Moreau', 'Ricci', 'Greco', 'Lindqvist', 'Berg', 'Andersen', 'Virtanen', 'Costa',
];
const MAIL_DOMAINS = ['gmail.example', 'outlook.example', 'web.example', 'icloud.example', 'proton.example', 'yahoo.example', 'mail.example'];

const PRODUCTS = [
  'merino wool sweater', 'trail running shoes', 'waterproof hiking jacket', '40L hiking backpack', 'down sleeping bag',
  'insulated water bottle', 'camping stove', 'carbon trekking poles', 'rain pants', 'fleece hoodie', 'hiking socks (3-pack)',
  'rechargeable headlamp', 'two-person tent', 'climbing harness', 'softshell trousers', 'thermal base layer', 'gore-tex boots',
  'packable puffer vest', 'bike rain cape', 'kids snow suit', 'ski gloves', 'merino beanie', 'dry bag set', 'camping chair',
  'titanium cookset', 'solar power bank', 'approach shoes', 'bouldering crash pad', 'trail gaiters', 'microspikes',
];
const COLORS = ['black', 'navy', 'forest green', 'slate grey', 'burnt orange', 'sand', 'red', 'olive', 'sky blue'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL', 'EU 38', 'EU 40', 'EU 42', 'EU 44', 'EU 46'];
const CARRIERS = ['PostNL', 'DHL', 'DPD', 'UPS', 'GLS', 'Royal Mail'];

/** What a conversation is about; drives the subject and the sentences. */
interface Topic {
  subjects: string[];
  opening: string[];
  agent: string[];
  followUp: string[];
  /** Shared-data intent labels whose utterances fit this topic. */
  intents: string[];
  tags: string[];
}

const TOPICS: Topic[] = [
  {
    subjects: ['Where is my order {order}?', 'Order {order} has not arrived', 'Delivery status for {order}', 'Still waiting for my {product}', 'Tracking not updating'],
    opening: [
      'I ordered a {color} {product} on {date} (order {order}) and it still has not arrived.',
      'My order {order} was supposed to be delivered by {date}, but the tracking number has not changed in days.',
      'Could you tell me where my package is? The {carrier} tracking number you sent says the label was created but nothing else.',
    ],
    agent: [
      'Thanks for your patience. I checked with {carrier} and your parcel is at their sorting centre; it should reach you within two working days.',
      'I am sorry about the delay. Your tracking number is {tracking}; the parcel left our warehouse on {date}.',
      'I have asked {carrier} to open an investigation. If nothing moves by Friday we will send a replacement at no cost.',
    ],
    followUp: ['It arrived today, thank you!', 'Still nothing here, the tracking number shows the same status.', 'Thanks, I will wait a couple more days.'],
    intents: ['track_order', 'delivery_period', 'delivery_options'],
    tags: ['shipping', 'where-is-my-order'],
  },
  {
    subjects: ['Return request for {order}', 'How do I return the {product}?', 'Return label please', 'Wrong size, want to return'],
    opening: [
      'The {product} in size {size} does not fit. I would like to return it; the order number is {order}.',
      'I want to send back the {color} {product}. It is unworn with the tags still on. How do I get a return label?',
      'Can I return an item that I bought in the sale? Order {order}, the {product}.',
    ],
    agent: [
      'Of course. I have emailed you a prepaid {carrier} return label. Please drop the parcel off within 14 days.',
      'Returns are free within 30 days. Your return label is attached; once the item is back we refund you within five working days.',
      'Sale items can be returned as well. I have created return {rma} for you.',
    ],
    followUp: ['Label received, I sent it back today.', 'The label does not print properly, could you send it again?', 'Thanks for the quick help.'],
    intents: ['check_refund_policy', 'get_refund'],
    tags: ['return'],
  },
  {
    subjects: ['Refund for order {order}', 'When will I get my refund?', 'Refund not received', 'Money back for damaged {product}'],
    opening: [
      'I returned the {product} two weeks ago but have not received my refund yet. Order {order}.',
      'Your warehouse confirmed my return on {date}. When will the refund show up on my card?',
      'I was charged twice for order {order}. Please refund the duplicate payment.',
    ],
    agent: [
      'I can see the refund of {amount} was issued on {date}. Depending on your bank it can take up to five working days.',
      'Apologies, the refund was stuck in our system. I have processed it now: {amount} back to your original payment method.',
      'I have checked with our payment provider and reversed the duplicate charge of {amount}.',
    ],
    followUp: ['I can see the money now, thanks.', 'Still no refund on my statement.', 'Great, thanks for sorting it out.'],
    intents: ['get_refund', 'track_refund', 'payment_issue'],
    tags: ['refund', 'billing'],
  },
  {
    subjects: ['Damaged {product}', 'Item arrived broken', 'Defect in my {product}', 'Warranty claim: {product}'],
    opening: [
      'The {product} arrived with a tear in the seam. I attached photos. Order {order}.',
      'After three hikes the sole of my {product} is coming off. Is this covered by the warranty?',
      'The zipper on the {color} {product} broke on the first day.',
    ],
    agent: [
      'I am sorry to see that. We will send a replacement {product} in {size} today; there is no need to return the damaged one.',
      'That is covered by our two-year warranty. Please send it to our repair partner with the enclosed label.',
      'Thanks for the photos. I have issued a partial refund of {amount} as a goodwill gesture.',
    ],
    followUp: ['The replacement arrived and it is perfect.', 'Can I get a refund instead of a replacement?', 'Thank you, that is very kind.'],
    intents: ['complaint', 'get_refund'],
    tags: ['damaged', 'warranty'],
  },
  {
    subjects: ['Exchange {product} for another size', 'Size exchange', 'Swap colour of {product}'],
    opening: [
      'Can I exchange the {product} in {size} for one size larger?',
      'I would like to swap my {color} {product} for the {color2} one. Order {order}.',
    ],
    agent: [
      'Happy to help. I have reserved the {product} in {size} for you and sent an exchange label.',
      'The {color2} version is in stock. Once we scan your return we ship the new one.',
    ],
    followUp: ['Perfect, thank you!', 'Do I need to pay for the shipping?', 'Sent it back this morning.'],
    intents: ['change_order'],
    tags: ['exchange'],
  },
  {
    subjects: ['Cancel order {order}', 'Please cancel my order', 'Change delivery address for {order}'],
    opening: [
      'Please cancel order {order}, I ordered the wrong {product} by mistake.',
      'I moved last week. Can you change the shipping address on order {order}?',
    ],
    agent: [
      'Your order {order} has been cancelled and the payment of {amount} voided.',
      'I have updated the delivery address. The parcel has not left the warehouse yet, so it will go to the new address.',
      'Unfortunately the order has already shipped. You can refuse the delivery and we will refund you once it is back.',
    ],
    followUp: ['Thanks for the fast reply.', 'OK, I will refuse the parcel.', 'Great, thank you.'],
    intents: ['cancel_order', 'change_shipping_address', 'set_up_shipping_address', 'change_order'],
    tags: ['cancellation', 'address-change'],
  },
  {
    subjects: ['Discount code not working', 'Payment failed', 'Invoice for order {order}', 'Question about my account'],
    opening: [
      'The discount code from your newsletter gives an error at checkout.',
      'My card payment failed three times, but the bank says everything is fine.',
      'Could you send me a VAT invoice for order {order}? I need it for my company.',
      'I cannot log in to my account, the password reset email never arrives.',
    ],
    agent: [
      'The code expired yesterday, but I have applied the discount manually: {amount} off your order.',
      'I can see the payment attempts. Please try again with 3-D Secure enabled, or pay by bank transfer.',
      'The invoice for order {order} is attached to this email.',
      'I have reset your account; you should now receive the email. Please check your spam folder too.',
    ],
    followUp: ['That worked, thanks!', 'Still the same error.', 'Received, thank you.'],
    intents: ['payment_issue', 'check_invoices', 'get_invoice', 'recover_password', 'registration_problems', 'newsletter_subscription', 'edit_account'],
    tags: ['billing', 'account'],
  },
  {
    subjects: ['Question about the {product}', 'Is the {product} waterproof?', 'When is the {product} back in stock?', 'Sizing advice'],
    opening: [
      'Is the {product} suitable for winter hiking in the Alps?',
      'When will the {color} {product} be back in stock in size {size}?',
      'I usually wear {size}. Does the {product} run small?',
    ],
    agent: [
      'Yes, it is rated down to minus ten degrees and fully waterproof.',
      'We expect new stock around {date}. I have added you to the back-in-stock notification list.',
      'It runs slightly small; most customers take one size up.',
    ],
    followUp: ['Thanks, I will order it.', 'And what about the {product2}?', 'Great advice, thanks.'],
    intents: ['place_order', 'contact_customer_service', 'contact_human_agent'],
    tags: ['product-question'],
  },
];

const GREETINGS = ['Hi,', 'Hello,', 'Hi there,', 'Good morning,', 'Dear support team,', 'Hey,', ''];
const CLOSINGS = ['Thanks,', 'Kind regards,', 'Best,', 'Cheers,', 'Thank you in advance,', 'Regards,'];
const AGENT_CLOSINGS = ['Best regards,', 'Kind regards,', 'Have a great day,', 'Happy trails,'];
const FILLER = [
  'I have been a customer for years and this never happened before.',
  'It is a birthday present, so I would really appreciate a quick answer.',
  'I already tried calling but nobody picked up.',
  'Please let me know what you need from me.',
  'The website said delivery in two to three days.',
  'I am going on a trip next week and need it before then.',
  'My friend recommended your shop.',
  'Could you please check this for me?',
];
/** A word that appears in about one message in ten thousand: the "rare word" for search benchmarks. */
export const RARE_WORD = 'zephyrine';
const RARE_SENTENCE = 'Is the Zephyrine limited edition still available?';

/** The shared utterances by intent label, when the data file is present. */
function loadSharedUtterances(): Map<string, string[]> {
  const byIntent = new Map<string, string[]>();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = path.resolve(here, '../../../shared/data/intents/bitext_cs20k.jsonl');
  if (process.env.BENCH_NO_SHARED_TEXT || !fs.existsSync(file)) return byIntent;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row: unknown = JSON.parse(line);
    if (typeof row !== 'object' || row === null || !('text' in row) || !('label' in row)) continue;
    const { text, label } = row;
    if (typeof text !== 'string' || typeof label !== 'string' || text.includes('{{')) continue;
    const list = byIntent.get(label) ?? [];
    list.push(text.trim());
    byIntent.set(label, list);
  }
  return byIntent;
}

/** One message of a generated conversation. */
export interface GeneratedMessage {
  kind: 'inbound' | 'outbound' | 'note';
  text: string;
}

/** A generated conversation: subject, tags and messages in order. */
export interface GeneratedConversation {
  subject: string;
  tags: string[];
  orderNumber: string;
  messages: GeneratedMessage[];
}

/** Builds conversations; keeps its own PRNG so output depends only on the seed. */
export class ConversationWriter {
  private readonly shared = loadSharedUtterances();

  constructor(private readonly rng: Rng) {}

  /** Whether the shared utterances were found and are used. */
  get usesSharedText(): boolean {
    return this.shared.size > 0;
  }

  private fill(template: string, vars: Record<string, string>): string {
    return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? k);
  }

  private vars(orderNumber: string): Record<string, string> {
    const r = this.rng;
    const day = r.int(1, 28);
    const month = r.pick(['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']);
    return {
      order: orderNumber,
      product: r.pick(PRODUCTS),
      product2: r.pick(PRODUCTS),
      color: r.pick(COLORS),
      color2: r.pick(COLORS),
      size: r.pick(SIZES),
      carrier: r.pick(CARRIERS),
      date: `${day} ${month}`,
      tracking: `3S${r.int(10000000, 99999999)}NL`,
      rma: `RMA-${r.int(10000, 99999)}`,
      amount: `€${r.int(5, 300)}.${String(r.int(0, 99)).padStart(2, '0')}`,
    };
  }

  /** A conversation with `count` messages alternating customer and agent (with the odd note). */
  conversation(count: number, customerFirstName: string, agentFirstName: string): GeneratedConversation {
    const r = this.rng;
    const topic = r.pick(TOPICS);
    const orderNumber = `NW-${r.int(100000, 999999)}`;
    const v = this.vars(orderNumber);
    const subject = this.fill(r.pick(topic.subjects), v);
    const messages: GeneratedMessage[] = [];
    for (let i = 0; i < count; i++) {
      if (i === 0) {
        const parts: string[] = [];
        const greeting = r.pick(GREETINGS);
        if (greeting) parts.push(greeting);
        const intent = r.pick(topic.intents);
        const utterances = this.shared.get(intent);
        if (utterances && r.chance(0.6)) parts.push(r.pick(utterances));
        parts.push(this.fill(r.pick(topic.opening), v));
        if (r.chance(0.5)) parts.push(r.pick(FILLER));
        if (r.chance(0.0001)) parts.push(RARE_SENTENCE);
        parts.push(`${r.pick(CLOSINGS)}\n${customerFirstName}`);
        messages.push({ kind: 'inbound', text: parts.join('\n\n') });
      } else if (i % 2 === 1) {
        if (r.chance(0.08)) {
          messages.push({ kind: 'note', text: this.fill(r.pick([
            'Checked the order in the shop admin: {order} shipped with {carrier}.',
            'Customer has ordered 6 times before, good standing. OK to refund {amount}.',
            'Escalated to the warehouse team, waiting for their answer.',
          ]), v) });
          continue;
        }
        const body = this.fill(r.pick(topic.agent), v);
        messages.push({ kind: 'outbound', text: `Hi ${customerFirstName},\n\n${body}\n\n${r.pick(AGENT_CLOSINGS)}\n${agentFirstName}\nNorthwind Outfitters customer service` });
      } else {
        const parts = [this.fill(r.pick(topic.followUp), v)];
        if (r.chance(0.0001)) parts.push(RARE_SENTENCE);
        parts.push(customerFirstName);
        messages.push({ kind: 'inbound', text: parts.join('\n\n') });
      }
    }
    const tags = r.chance(0.6) ? [r.pick(topic.tags)] : [];
    if (r.chance(0.05)) tags.push('vip');
    return { subject, tags, orderNumber, messages };
  }

  /** A person's name and a unique email address for customer number `n`. */
  customer(n: number): { name: string; email: string } {
    const first = this.rng.pick(FIRST_NAMES);
    const last = this.rng.pick(LAST_NAMES);
    const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
    return { name: `${first} ${last}`, email: `${local}.${n}@${this.rng.pick(MAIL_DOMAINS)}` };
  }
}

/** Escapes text and wraps paragraphs, as the app stores plain-text messages for display. */
export function textToSimpleHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')}</p>`)
    .join('');
}
