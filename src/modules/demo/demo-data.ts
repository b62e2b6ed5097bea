/**
 * The demo's scripted content: the store, its staff, its customers, its catalogue and the
 * conversations they have. Plain data only; demo-seed.ts turns it into tickets through the
 * ticket services. Texts use {placeholders} that the seed fills per ticket (see DemoVars).
 */
import type { AgentRole, Channel, TicketPriority } from '../../db/schema.ts';

/** The fictional store the demo runs. */
export const DEMO_STORE = { name: 'Northwind Outfitters', timezone: 'Europe/Amsterdam', currency: 'EUR' } as const;

/** The store's website, used in links inside messages (a reserved .example domain). */
export const DEMO_SITE = 'https://northwind-outfitters.example';

/** Which queue a conversation belongs to. */
export type DemoTeamKey = 'tier1' | 'logistics';

/** The demo's teams and who is on them (by agent key). */
export const DEMO_TEAMS: { key: DemoTeamKey; name: string }[] = [
  { key: 'tier1', name: 'Tier 1' },
  { key: 'logistics', name: 'Returns & Logistics' },
];

/** A member of the support staff. `login` marks the three sign-ins listed in DEMO_LOGINS. */
export interface DemoAgent {
  key: string;
  email: string;
  name: string;
  role: AgentRole;
  login: boolean;
  teams: DemoTeamKey[];
  /** How often they pick up a ticket of each team (relative). */
  load: Partial<Record<DemoTeamKey, number>>;
  /** How they end an email. */
  signoff: string;
}

/**
 * The staff. The first three are the demo's sign-ins (same emails as DEMO_LOGINS); the others
 * are colleagues without a password, there so that the team looks like a team.
 */
export const DEMO_AGENTS: DemoAgent[] = [
  { key: 'alex', email: 'admin@demo.storedesk.dev', name: 'Alex Admin', role: 'admin', login: true, teams: [], load: { tier1: 0.3 }, signoff: 'Best,' },
  { key: 'morgan', email: 'manager@demo.storedesk.dev', name: 'Morgan Lee', role: 'manager', login: true, teams: ['tier1', 'logistics'], load: { tier1: 1, logistics: 0.6 }, signoff: 'Kind regards,' },
  { key: 'sam', email: 'agent@demo.storedesk.dev', name: 'Sam Rivera', role: 'agent', login: true, teams: ['tier1'], load: { tier1: 5, logistics: 1.5 }, signoff: 'Best,' },
  { key: 'priya', email: 'priya.shah@demo.storedesk.dev', name: 'Priya Shah', role: 'agent', login: false, teams: ['tier1'], load: { tier1: 2.5 }, signoff: 'Kind regards,' },
  { key: 'jonas', email: 'jonas.becker@demo.storedesk.dev', name: 'Jonas Becker', role: 'agent', login: false, teams: ['tier1', 'logistics'], load: { tier1: 1, logistics: 3 }, signoff: 'Best regards,' },
  { key: 'elena', email: 'elena.rossi@demo.storedesk.dev', name: 'Elena Rossi', role: 'agent', login: false, teams: ['logistics'], load: { logistics: 4 }, signoff: 'Warm regards,' },
];

/** A customer of the store. `weight` is how often they write in relative to others. */
export interface DemoCustomer {
  name: string;
  email: string;
  country: 'NL' | 'BE' | 'DE' | 'AT' | 'FR' | 'ES' | 'IT' | 'PT' | 'PL' | 'CZ' | 'SK' | 'SE' | 'NO' | 'DK' | 'FI' | 'GB' | 'IE';
  city: string;
  /** Postcode of their street, for the address the store ships to. */
  postal: string;
  street: string;
  vip?: boolean;
  weight?: number;
}

/** Fifty customers from across Europe. Addresses use reserved example domains. */
export const DEMO_CUSTOMERS: DemoCustomer[] = [
  { name: 'Anna de Vries', email: 'anna.devries@example.com', country: 'NL', city: 'Utrecht', postal: '3511 AH', street: 'Oudegracht', weight: 2 },
  { name: 'Lukas Schneider', email: 'lukas.schneider@example.net', country: 'DE', city: 'München', postal: '80802', street: 'Leopoldstraße' },
  { name: 'Sophie Martin', email: 'sophie.martin@example.org', country: 'FR', city: 'Lyon', postal: '69002', street: 'Rue de la République' },
  { name: 'Jan Kowalski', email: 'jan.kowalski@mail.example', country: 'PL', city: 'Kraków', postal: '31-147', street: 'ul. Długa' },
  { name: 'Emma Johansson', email: 'emma.johansson@example.com', country: 'SE', city: 'Göteborg', postal: '413 04', street: 'Linnégatan', weight: 2 },
  { name: 'Mateo García', email: 'mateo.garcia@example.net', country: 'ES', city: 'Valencia', postal: '46004', street: 'Carrer de Colón' },
  { name: 'Giulia Romano', email: 'giulia.romano@example.org', country: 'IT', city: 'Torino', postal: '10124', street: 'Via Po', vip: true },
  { name: "Liam O'Brien", email: 'liam.obrien@example.com', country: 'IE', city: 'Dublin', postal: 'D02 HX65', street: 'Harcourt Street' },
  { name: 'Sanne Jansen', email: 'sanne.jansen@post.example', country: 'NL', city: 'Amsterdam', postal: '1016 GV', street: 'Prinsengracht', vip: true },
  { name: 'Thomas Weber', email: 't.weber@example.net', country: 'DE', city: 'Hamburg', postal: '20259', street: 'Eppendorfer Weg', weight: 2 },
  { name: 'Chloé Dubois', email: 'chloe.dubois@example.com', country: 'FR', city: 'Bordeaux', postal: '33000', street: 'Cours Victor Hugo' },
  { name: 'Mikkel Nielsen', email: 'mikkel.nielsen@example.org', country: 'DK', city: 'Aarhus', postal: '8000', street: 'Vestergade' },
  { name: 'Ingrid Haugen', email: 'ingrid.haugen@example.net', country: 'NO', city: 'Bergen', postal: '5017', street: 'Kong Oscars gate' },
  { name: 'Pieter Claes', email: 'pieter.claes@inbox.example', country: 'BE', city: 'Gent', postal: '9000', street: 'Veldstraat', weight: 2 },
  { name: 'Aisha Rahman', email: 'aisha.rahman@example.com', country: 'GB', city: 'London', postal: 'E1 6QL', street: 'Brick Lane' },
  { name: 'Marta Nowak', email: 'marta.nowak@example.org', country: 'PL', city: 'Wrocław', postal: '50-066', street: 'ul. Świdnicka' },
  { name: 'Oliver Bennett', email: 'oliver.bennett@example.net', country: 'GB', city: 'Bristol', postal: 'BS7 8AE', street: 'Gloucester Road', vip: true },
  { name: 'Fatima El Amrani', email: 'f.elamrani@example.com', country: 'NL', city: 'Rotterdam', postal: '3012 BM', street: 'Witte de Withstraat' },
  { name: 'Henrik Lindqvist', email: 'henrik.lindqvist@example.org', country: 'SE', city: 'Uppsala', postal: '753 32', street: 'Svartbäcksgatan', vip: true },
  { name: 'Elif Yılmaz', email: 'elif.yilmaz@example.net', country: 'DE', city: 'Köln', postal: '50672', street: 'Ehrenstraße', weight: 2 },
  { name: 'Tomás Ferreira', email: 'tomas.ferreira@example.com', country: 'PT', city: 'Porto', postal: '4000-447', street: 'Rua de Santa Catarina' },
  { name: 'Katarzyna Wiśniewska', email: 'kasia.wisniewska@mail.example', country: 'PL', city: 'Gdańsk', postal: '80-833', street: 'ul. Mariacka' },
  { name: 'Noah Peeters', email: 'noah.peeters@example.org', country: 'BE', city: 'Antwerpen', postal: '2000', street: 'Meir' },
  { name: 'Lea Hofer', email: 'lea.hofer@example.net', country: 'AT', city: 'Innsbruck', postal: '6020', street: 'Maria-Theresien-Straße', vip: true },
  { name: 'Matteo Bianchi', email: 'matteo.bianchi@example.com', country: 'IT', city: 'Milano', postal: '20154', street: 'Corso Como' },
  { name: 'Aino Virtanen', email: 'aino.virtanen@example.org', country: 'FI', city: 'Tampere', postal: '33100', street: 'Hämeenkatu' },
  { name: 'Daan Bakker', email: 'daan.bakker@example.net', country: 'NL', city: 'Groningen', postal: '9711 LB', street: 'Folkingestraat', weight: 2 },
  { name: 'Clara Fischer', email: 'clara.fischer@post.example', country: 'DE', city: 'Berlin', postal: '10435', street: 'Kastanienallee' },
  { name: 'Ravi Patel', email: 'ravi.patel@example.com', country: 'GB', city: 'Manchester', postal: 'M3 4LZ', street: 'Deansgate' },
  { name: 'Camille Lefèvre', email: 'camille.lefevre@example.net', country: 'FR', city: 'Grenoble', postal: '38000', street: 'Rue Félix Poulat' },
  { name: 'Felix Wagner', email: 'felix.wagner@example.org', country: 'DE', city: 'Stuttgart', postal: '70173', street: 'Königstraße', weight: 2 },
  { name: 'Nora Berg', email: 'nora.berg@example.com', country: 'NO', city: 'Oslo', postal: '0552', street: 'Thorvald Meyers gate' },
  { name: 'Pablo Moreno', email: 'pablo.moreno@example.org', country: 'ES', city: 'Madrid', postal: '28004', street: 'Calle de Fuencarral' },
  { name: 'Zuzana Horváthová', email: 'zuzana.horvathova@example.net', country: 'SK', city: 'Bratislava', postal: '811 06', street: 'Obchodná' },
  { name: 'Ruben Visser', email: 'ruben.visser@inbox.example', country: 'NL', city: 'Eindhoven', postal: '5611 EC', street: 'Stratumseind' },
  { name: 'Hannah Schmidt', email: 'hannah.schmidt@example.com', country: 'DE', city: 'Freiburg', postal: '79098', street: 'Kaiser-Joseph-Straße', weight: 2 },
  { name: 'Kenji Tanaka', email: 'kenji.tanaka@example.net', country: 'DE', city: 'Düsseldorf', postal: '40210', street: 'Immermannstraße' },
  { name: 'Isabel Costa', email: 'isabel.costa@example.org', country: 'PT', city: 'Lisboa', postal: '1100-053', street: 'Rua Augusta' },
  { name: 'Maja Andersen', email: 'maja.andersen@example.com', country: 'DK', city: 'København', postal: '2200', street: 'Nørrebrogade' },
  { name: 'Siobhan Murphy', email: 'siobhan.murphy@example.net', country: 'IE', city: 'Galway', postal: 'H91 X2K3', street: 'Shop Street' },
  { name: 'Lars Eriksen', email: 'lars.eriksen@example.org', country: 'NO', city: 'Trondheim', postal: '7011', street: 'Olav Tryggvasons gate', weight: 2 },
  { name: 'Amélie Laurent', email: 'amelie.laurent@example.com', country: 'FR', city: 'Annecy', postal: '74000', street: 'Rue Royale' },
  { name: 'Wojciech Zieliński', email: 'w.zielinski@example.net', country: 'PL', city: 'Poznań', postal: '61-888', street: 'ul. Półwiejska' },
  { name: 'Eva Dvořáková', email: 'eva.dvorakova@example.org', country: 'CZ', city: 'Praha', postal: '120 00', street: 'Vinohradská' },
  { name: 'Bram Smit', email: 'bram.smit@example.com', country: 'NL', city: 'Arnhem', postal: '6811 BM', street: 'Jansbinnensingel' },
  { name: 'Laura Gómez', email: 'laura.gomez@example.net', country: 'ES', city: 'Sevilla', postal: '41004', street: 'Calle Sierpes' },
  { name: 'Max Hoffmann', email: 'max.hoffmann@mail.example', country: 'DE', city: 'Leipzig', postal: '04107', street: 'Karl-Liebknecht-Straße' },
  { name: 'Yasmin Haddad', email: 'yasmin.haddad@example.org', country: 'BE', city: 'Brussel', postal: '1000', street: 'Rue Neuve' },
  { name: 'Finn Larsen', email: 'finn.larsen@example.net', country: 'DK', city: 'Odense', postal: '5000', street: 'Kongensgade' },
  { name: 'Charlotte Evans', email: 'charlotte.evans@example.com', country: 'GB', city: 'Edinburgh', postal: 'EH6 8RA', street: 'Leith Walk', weight: 2 },
];

/** Kinds of product, so that a script about a leaking jacket never talks about a tent. */
export type ItemKind = 'shell' | 'insulated' | 'fleece' | 'apparel' | 'footwear' | 'pack' | 'gear' | 'accessory';

/** A product in the catalogue; price in cents (EUR). */
export interface DemoItem {
  name: string;
  kind: ItemKind;
  price: number;
  sizes?: 'clothing' | 'shoes';
}

/** The store's catalogue. */
export const DEMO_ITEMS: DemoItem[] = [
  { name: 'Fjell 3L Shell Jacket', kind: 'shell', price: 28900, sizes: 'clothing' },
  { name: 'Lofoten Rain Jacket', kind: 'shell', price: 14995, sizes: 'clothing' },
  { name: 'Skarven Softshell Jacket', kind: 'shell', price: 17900, sizes: 'clothing' },
  { name: 'Nordkapp Down Parka', kind: 'insulated', price: 34900, sizes: 'clothing' },
  { name: 'Kestrel Down Vest', kind: 'insulated', price: 12995, sizes: 'clothing' },
  { name: 'Polar -10°C Down Sleeping Bag', kind: 'insulated', price: 29900 },
  { name: 'Alpine Fleece Hoodie', kind: 'fleece', price: 8995, sizes: 'clothing' },
  { name: 'Merino 200 Base Layer Crew', kind: 'apparel', price: 6995, sizes: 'clothing' },
  { name: 'Granite Softshell Trousers', kind: 'apparel', price: 11995, sizes: 'clothing' },
  { name: 'Ridge Hiking Trousers', kind: 'apparel', price: 9995, sizes: 'clothing' },
  { name: 'Tundra Flannel Shirt', kind: 'apparel', price: 5995, sizes: 'clothing' },
  { name: 'Sarek Mid GTX Hiking Boots', kind: 'footwear', price: 19900, sizes: 'shoes' },
  { name: 'Moss Trail Runners', kind: 'footwear', price: 13995, sizes: 'shoes' },
  { name: 'Trailhead 30L Daypack', kind: 'pack', price: 10995 },
  { name: 'Vidda 65L Trekking Pack', kind: 'pack', price: 23900 },
  { name: 'Birch 2-Person Tent', kind: 'gear', price: 37900 },
  { name: 'Ridge Carbon Trekking Poles', kind: 'gear', price: 12900 },
  { name: 'Ember Camp Stove', kind: 'gear', price: 6995 },
  { name: 'Fjord Insulated Bottle 750 ml', kind: 'accessory', price: 3495 },
  { name: 'Wool Hiking Socks (3-pack)', kind: 'accessory', price: 2995 },
  { name: 'Summit Merino Beanie', kind: 'accessory', price: 2495 },
  { name: 'Glacier Insulated Gloves', kind: 'accessory', price: 4995 },
];

/** Clothing and shoe sizes, smallest first. */
export const SIZES = { clothing: ['XS', 'S', 'M', 'L', 'XL', 'XXL'], shoes: ['38', '39', '40', '41', '42', '43', '44', '45', '46'] } as const;

/** The parcel carriers, by the countries they deliver to for the store. */
export const CARRIERS_BY_COUNTRY: Record<DemoCustomer['country'], string[]> = {
  NL: ['PostNL', 'DHL'], BE: ['PostNL', 'DHL'], DE: ['DHL', 'DPD'], AT: ['DHL', 'DPD'], FR: ['DPD', 'GLS'], ES: ['GLS', 'UPS'],
  IT: ['GLS', 'UPS'], PT: ['GLS', 'UPS'], PL: ['DPD', 'GLS'], CZ: ['DPD', 'GLS'], SK: ['DPD', 'GLS'], SE: ['DHL', 'UPS'],
  NO: ['DHL', 'UPS'], DK: ['GLS', 'DHL'], FI: ['DHL', 'UPS'], GB: ['UPS', 'DPD'], IE: ['UPS', 'DPD'],
};

/** How customers usually pay, by country (as a refund goes back "to your …"). */
export const PAYMENT_BY_COUNTRY: Record<DemoCustomer['country'], string[]> = {
  NL: ['bank account (iDEAL)', 'credit card'], BE: ['Bancontact card', 'credit card'], DE: ['PayPal account', 'Klarna account'],
  AT: ['PayPal account', 'credit card'], FR: ['credit card', 'PayPal account'], ES: ['credit card', 'PayPal account'],
  IT: ['PayPal account', 'credit card'], PT: ['credit card'], PL: ['credit card', 'PayPal account'], CZ: ['credit card'],
  SK: ['credit card'], SE: ['Klarna account', 'credit card'], NO: ['credit card', 'Klarna account'], DK: ['credit card'],
  FI: ['Klarna account', 'credit card'], GB: ['credit card', 'PayPal account'], IE: ['credit card'],
};

/** How a customer opens an email, and ends it; each customer keeps one style. */
export const GREETINGS = ['Hi,', 'Hello,', 'Hello Northwind team,', 'Good morning,', 'Dear customer service,', 'Hi there,'];
export const SIGNOFFS = ['Thanks,\n{first}', 'Best regards,\n{name}', 'Cheers,\n{first}', 'Kind regards,\n{name}', 'Thank you!\n{first}', '{first}'];

/** How long after the previous step a turn happens, when not the usual reply time. */
export type TurnDelay = 'days' | 'week';

/** One step of a conversation. */
export type Turn =
  /** The customer writes (chat: the shorter text typed in a chat window). */
  | { by: 'customer'; text: string; chat?: string; delay?: TurnDelay }
  /** The handling agent answers. `then` is the status it leaves when the customer must act (default pending). */
  | { by: 'agent'; text: string; chat?: string; html?: string; then?: 'pending' | 'on_hold' | 'open'; delay?: TurnDelay }
  /** An internal note by the handler, a teammate, or the team lead. */
  | { by: 'note'; author?: 'self' | 'colleague' | 'lead'; text: string; then?: 'on_hold'; delay?: TurnDelay };

/**
 * One kind of conversation. The first turn is the customer's opening message; the last turn
 * solves the ticket. A ticket plays the script up to a point that fits its age.
 */
export interface Script {
  key: string;
  /** How common this conversation is, relative to the others. */
  weight: number;
  subjects: string[];
  channels: Exclude<Channel, 'phone' | 'social' | 'api' | 'portal'>[];
  tags: string[];
  priority?: TicketPriority;
  team: DemoTeamKey;
  /** The team lead takes this one. */
  lead?: boolean;
  /** Which products fit the story (by kind), or one product by name. */
  items?: ItemKind[];
  item?: string;
  /** The story needs a size to go up from. */
  sized?: boolean;
  turns: Turn[];
  /** The same story when the customer phones: an agent logs the call, then works it. */
  phone?: { subjects: string[]; turns: Turn[] };
}

const RETURNS_URL = `${DEMO_SITE}/returns`;

/** The conversations. */
export const SCRIPTS: Script[] = [
  {
    key: 'where-is-my-order',
    weight: 3,
    subjects: ['Where is my order?', 'Order {order} not arrived yet', 'Still waiting for order {order}', 'Re: Your order {order} has shipped'],
    channels: ['email', 'chat', 'contact_form'],
    tags: ['shipping', 'order-status'],
    team: 'tier1',
    turns: [
      {
        by: 'customer',
        text: "I ordered the {item} {when} (order {order}) and it still hasn't arrived. The confirmation email said 2–3 working days. Could you tell me where it is?",
        chat: "Hi! My order {order} hasn't arrived yet, I ordered it {when}. Can you check where it is?",
      },
      {
        by: 'agent',
        text: '',
        html: '<p>Sorry for the wait! I\'ve checked order <b>{order}</b>: it has left our warehouse and is with {carrier} now, tracking number <b>{tracking}</b>.</p><p>You can follow it here: <a href="{trackUrl}">track your parcel</a>. {carrier} shows it at their sorting centre, so it should be delivered within 1–2 working days.</p>',
      },
      { by: 'customer', text: 'Thanks! I can see it now, it says delivery tomorrow between 10:00 and 14:00.', chat: 'ah I see it now, tomorrow between 10 and 2. thanks!' },
      {
        by: 'agent',
        text: "Great, that matches what we see on our side. Enjoy your {item}, and let us know if anything isn't right when it arrives.",
        chat: 'Perfect! Enjoy your {item} 🙂',
      },
    ],
    phone: {
      subjects: ['Phone: where is order {order}?'],
      turns: [
        { by: 'customer', text: "Customer called: order {order} ({item}), placed {when}, hasn't arrived. Checked with them: it's with {carrier} ({tracking}), at the sorting centre. Sending the tracking link by email." },
        {
          by: 'agent',
          text: '',
          html: '<p>Thanks for your call! As promised, here is the tracking link for order <b>{order}</b>: <a href="{trackUrl}">track your parcel</a> ({carrier}, {tracking}).</p><p>It should be delivered within 1–2 working days. Let us know if it doesn\'t turn up.</p>',
        },
      ],
    },
  },
  {
    key: 'parcel-stuck',
    weight: 1.5,
    subjects: ['Tracking not updating for a week', 'Parcel stuck in transit – order {order}', 'Order {order}: no movement on tracking'],
    channels: ['email', 'contact_form'],
    tags: ['shipping'],
    priority: 'high',
    team: 'logistics',
    turns: [
      {
        by: 'customer',
        text: "The tracking for my order {order} ({carrier}, {tracking}) hasn't changed in six days. It just says \"parcel in transit\". I need the {item} for a trip next weekend. What can you do?",
      },
      { by: 'note', text: 'Tracking frozen since the first scan at the {carrier} hub. Opened an investigation with {carrier}, case {caseRef}. If nothing moves in 2 working days we reship.' },
      {
        by: 'agent',
        text: "I'm sorry, that's not how it should go. I've opened an investigation with {carrier} today (reference {caseRef}); they usually answer within two working days. If the parcel hasn't moved by then, I'll send a replacement by express at no cost, so you have it before your trip.",
        then: 'on_hold',
      },
      { by: 'customer', text: 'OK, thanks. Please keep me posted, I leave on Saturday morning.' },
      { by: 'note', author: 'colleague', text: '{carrier} answered on {caseRef}: the parcel is lost in their network. Replacement approved, please ship express.', delay: 'days' },
      {
        by: 'agent',
        text: 'Quick update: {carrier} has confirmed that the parcel got lost in their network. I\'ve sent a replacement {item} by express delivery, new tracking number {tracking2}; it should arrive tomorrow. If the original parcel turns up after all, you can simply refuse it.',
      },
    ],
  },
  {
    key: 'damaged-on-arrival',
    weight: 1.5,
    subjects: ['Item arrived damaged', 'Damaged parcel – order {order}', '{item} broken on arrival'],
    channels: ['email', 'contact_form', 'chat'],
    tags: ['damaged', 'returns'],
    priority: 'high',
    team: 'logistics',
    items: ['gear', 'pack', 'accessory', 'footwear'],
    turns: [
      {
        by: 'customer',
        text: "My order {order} arrived today, but the box was completely crushed and the {item} inside is damaged. I'm quite disappointed, it was meant to be a present.",
        chat: 'Hi, my {item} just arrived damaged 😞 the box was completely crushed. Order {order}',
      },
      {
        by: 'agent',
        text: "I'm really sorry it arrived like that. Could you tell me whether the {item} itself is damaged, or only the packaging? If the item is damaged I'll send a replacement straight away; you won't need to send the broken one back.",
        chat: "Oh no, I'm sorry! Is the {item} itself damaged, or only the box? If it's damaged I'll send a new one right away, no need to return it.",
      },
      {
        by: 'customer',
        text: "The {item} itself, unfortunately. It's clearly been dropped, I wouldn't give it as a present like this.",
        chat: "the item itself, it's clearly been dropped",
      },
      { by: 'note', text: 'Carrier damage. Claim filed with {carrier}; free replacement order {order2} created.' },
      {
        by: 'agent',
        text: "Thanks for checking. I've created a free replacement (order {order2}) and it ships today with {carrier}. You can keep or recycle the damaged one. Apologies again, and I hope the present still arrives in time!",
        chat: "Thanks. I've sent a free replacement, order {order2}, it ships today with {carrier}. You can keep or recycle the damaged one. Sorry again!",
      },
    ],
  },
  {
    key: 'exchange-size',
    weight: 2.5,
    subjects: ['Exchange for a different size', 'Wrong size – can I swap?', 'Exchange {item} size {size} for {size2}'],
    channels: ['email', 'chat', 'contact_form'],
    tags: ['exchange', 'sizing'],
    team: 'logistics',
    items: ['shell', 'insulated', 'fleece', 'apparel', 'footwear'],
    sized: true,
    turns: [
      {
        by: 'customer',
        text: 'The {item} I ordered in size {size} is a bit too small, otherwise I love it. Can I exchange it for size {size2}? Order {order}.',
        chat: 'hi, can I exchange my {item} for size {size2}? the {size} is too small. order {order}',
      },
      {
        by: 'agent',
        text: '',
        html: `<p>Of course! Exchanges are free within 30 days. Here's how it works:</p><ol><li>Register the exchange on our <a href="${RETURNS_URL}">returns page</a> with order number <b>{order}</b> and choose size <b>{size2}</b>.</li><li>Print the prepaid label and drop the parcel at any {carrier} point.</li><li>We ship your new size as soon as the parcel gets its first scan, so you don't have to wait until it reaches us.</li></ol><p>Size {size2} is in stock and I've reserved one for you for 7 days.</p>`,
      },
      { by: 'customer', text: 'Done, I dropped the parcel off this morning.', chat: 'done, dropped it off today', delay: 'days' },
      { by: 'agent', text: 'Thanks! The return scan has come through and your {item} in size {size2} is on its way with {carrier}: tracking number {tracking2}.' },
    ],
  },
  {
    key: 'return-request',
    weight: 2,
    subjects: ['Return request', 'How do I return my {item}?', 'Returning order {order}'],
    channels: ['email', 'contact_form'],
    tags: ['returns'],
    team: 'logistics',
    turns: [
      {
        by: 'customer',
        text: "I'd like to return the {item} from order {order}. Nothing wrong with it, it just isn't what I expected: the colour is much darker than on the website. How do I send it back, and when do I get my money back?",
      },
      {
        by: 'agent',
        text: `No problem at all. Unused items can be returned within 30 days, and returns within the EU are free. Register the return on ${RETURNS_URL} with your order number and email address and you'll get a prepaid {carrier} label straight away. Once the parcel reaches our warehouse we refund you within 5 working days, to the payment method you used.`,
      },
      { by: 'customer', text: 'Sent it back on Monday with {carrier}, tracking {tracking}. Just checking that it arrived?', delay: 'days' },
      { by: 'agent', text: "It arrived at our warehouse yesterday and has been checked. I've refunded {price} to your {payment}; depending on your bank it shows up within 3–5 working days." },
    ],
    phone: {
      subjects: ['Phone: return of {item} ({order})'],
      turns: [
        { by: 'customer', text: 'Customer called: wants to return the {item} from order {order} (unused, colour darker than expected). Explained the free return process, sending the return link by email.' },
        {
          by: 'agent',
          text: `As promised on the phone, here is the link to register your return: ${RETURNS_URL}. Enter order number {order} and your email address and you'll get a prepaid {carrier} label right away. We refund within 5 working days after the parcel arrives.`,
        },
        { by: 'note', author: 'colleague', text: 'Return for {order} received in the warehouse, condition OK. Ready for refund.', delay: 'days' },
        { by: 'agent', text: "Your return has arrived and I've refunded {price} to your {payment}. It shows up within 3–5 working days. Thanks for shopping with us!" },
      ],
    },
  },
  {
    key: 'refund-status',
    weight: 2,
    subjects: ['Refund not received yet', 'Where is my refund?', 'Refund for order {order}'],
    channels: ['email', 'chat'],
    tags: ['refund', 'returns'],
    team: 'logistics',
    turns: [
      {
        by: 'customer',
        text: "I returned my {item} more than two weeks ago (order {order}) but I still haven't received my refund. Could you check what's going on?",
        chat: 'Hi, I sent back my {item} 2 weeks ago and still no refund. order {order}',
      },
      { by: 'note', text: "Return was delivered to the warehouse 9 days ago but is stuck in 'awaiting inspection'. @{colleague} can you push it through?" },
      { by: 'note', author: 'colleague', text: 'Inspected and approved, refund can go out.' },
      {
        by: 'agent',
        text: "Thanks for your patience, and sorry this took longer than it should have. Your return arrived safely but got stuck in our inspection queue. I've now refunded {price} to your {payment}; you'll see it within 3–5 working days.",
        chat: "Sorry for the wait! Your return got stuck in our inspection queue. I've just refunded {price} to your {payment}, it shows up within 3–5 working days.",
      },
    ],
    phone: {
      subjects: ['Phone: refund for {order} not received'],
      turns: [
        { by: 'customer', text: 'Customer called: returned the {item} (order {order}) over two weeks ago and has no refund yet. Promised to check and call back today.' },
        { by: 'note', text: "Return was delivered to the warehouse 9 days ago but is stuck in 'awaiting inspection'. @{colleague} can you push it through?" },
        { by: 'note', author: 'colleague', text: 'Inspected and approved, refund can go out.' },
        { by: 'note', text: 'Refunded {price} to their {payment} and called back to confirm. Customer is happy.' },
      ],
    },
  },
  {
    key: 'cancel-order',
    weight: 1.5,
    subjects: ['Please cancel my order', 'Cancel order {order}', 'Wrong colour ordered – cancel please'],
    channels: ['chat', 'email'],
    tags: ['cancellation'],
    priority: 'high',
    team: 'tier1',
    turns: [
      {
        by: 'customer',
        text: "I just placed order {order} but picked the wrong colour of the {item}. Can you cancel it please? I'll place a new order.",
        chat: "hi! I just ordered the {item} in the wrong colour, can you cancel order {order}? I'll order again",
      },
      {
        by: 'agent',
        text: "Caught it in time: the order hadn't been picked yet, so I've cancelled it. The refund of {price} goes back to your {payment} within a few days. You can go ahead and place the new order.",
        chat: 'Caught it in time! Order {order} is cancelled and {price} goes back to your {payment} within a few days. Go ahead and place the new one 🙂',
      },
    ],
    phone: {
      subjects: ['Phone: cancel order {order}'],
      turns: [
        { by: 'customer', text: 'Customer called: placed order {order} about an hour ago and chose the wrong colour of the {item}. Asked to cancel; will place a new order online.' },
        { by: 'note', text: "Order wasn't picked yet: cancelled in the shop admin and refund of {price} triggered. Confirmed to the customer on the phone." },
      ],
    },
  },
  {
    key: 'cancel-too-late',
    weight: 1,
    subjects: ['Cancel my order', 'Cancellation order {order}'],
    channels: ['email', 'contact_form'],
    tags: ['cancellation', 'returns'],
    team: 'tier1',
    turns: [
      { by: 'customer', text: 'Please cancel my order {order}. I found the {item} in a shop near me after all.' },
      {
        by: 'agent',
        text: "I'm sorry, your order has already been shipped, so I can't cancel it anymore. When it arrives you can either refuse the delivery or return it free of charge within 30 days; you get a full refund either way.",
      },
      { by: 'customer', text: "OK, I'll refuse it at the door then." },
      { by: 'agent', text: "The parcel is back with us and I've refunded {price} to your {payment}. Thanks for letting us know!", delay: 'days' },
    ],
  },
  {
    key: 'change-address',
    weight: 1.5,
    subjects: ['Wrong house number on my order', 'Change delivery address – order {order}', 'URGENT: address correction'],
    channels: ['email', 'chat'],
    tags: ['address-change', 'shipping'],
    priority: 'urgent',
    team: 'tier1',
    turns: [
      {
        by: 'customer',
        text: 'I made a mistake in the shipping address for order {order}: the house number should be {houseNo}, not {houseNoWrong}. Can you change it before it ships?',
        chat: 'Hi, I typed the wrong house number in order {order}, it should be {houseNo} not {houseNoWrong}. Can you still change it?',
      },
      { by: 'agent', text: "Good catch! The order was still waiting to be packed, so I've corrected the address to {address}, {city}. It ships today." },
    ],
    phone: {
      subjects: ['Phone: address correction for {order}'],
      turns: [
        { by: 'customer', text: 'Customer called: wrong house number on order {order} (entered {houseNoWrong}, should be {houseNo}). Order not shipped yet.' },
        { by: 'note', text: 'Corrected the address in the order to {address}, {city} before picking. Confirmed on the phone.' },
      ],
    },
  },
  {
    key: 'redirect-parcel',
    weight: 1,
    subjects: ['Parcel going to my old address', 'Can you redirect order {order}?'],
    channels: ['email', 'contact_form'],
    tags: ['address-change', 'shipping'],
    team: 'logistics',
    turns: [
      {
        by: 'customer',
        text: 'I just realised order {order} is going to my old address. I moved last month and forgot to update my account. Can you redirect it to {address}, {city}?',
      },
      {
        by: 'agent',
        text: "The parcel is already with {carrier}, so we can't change the address on our side anymore, but I've asked {carrier} to redirect it to {address}, {city}. I'll let you know as soon as they confirm.",
        then: 'on_hold',
      },
      { by: 'note', text: "Redirect request sent to {carrier}, reference {caseRef}. Also updated the default address in the customer's account." },
      { by: 'customer', text: 'Thank you! Fingers crossed.' },
      {
        by: 'agent',
        text: '{carrier} has confirmed the redirect: the parcel will be delivered to your new address, same tracking number {tracking}. I\'ve also updated the default address in your account, so future orders go to the right place.',
        delay: 'days',
      },
    ],
  },
  {
    key: 'discount-code',
    weight: 1.5,
    subjects: ['Discount code not working', 'Code {code} invalid at checkout', 'Problem with voucher code'],
    channels: ['chat', 'email'],
    tags: ['discount'],
    team: 'tier1',
    turns: [
      {
        by: 'customer',
        text: 'The code {code} doesn\'t work at checkout. It says "not valid for the items in your cart", and I only have the {item} in my basket.',
        chat: "code {code} doesn't work?? says not valid for items in cart. I only have the {item}",
      },
      {
        by: 'agent',
        text: "I've checked: {code} is valid on full-price items only, and the {item} is already reduced, so the two discounts can't be combined. As that error message really isn't very clear, I've made you a one-time code instead: {code2} gives you an extra 10% on the sale price.",
        chat: "I see what's happening: {code} only works on full-price items and the {item} is already reduced. Since the message isn't very clear, here's a one-time code for an extra 10%: {code2}",
      },
      { by: 'customer', text: 'That worked, thank you!', chat: 'that worked, thanks a lot!' },
      { by: 'agent', text: "You're welcome. Enjoy your {item}!" },
    ],
  },
  {
    key: 'charged-twice',
    weight: 1,
    subjects: ['Charged twice for my order', 'Double payment – order {order}', 'Two charges on my card'],
    channels: ['email', 'contact_form'],
    tags: ['billing', 'refund'],
    priority: 'urgent',
    team: 'tier1',
    // Two payments "of {price}" are the order's whole total only where shipping is free.
    items: ['shell', 'insulated', 'footwear', 'pack'],
    turns: [
      {
        by: 'customer',
        text: 'I was charged twice for order {order}: there are two payments of {price} on my statement, but I only placed one order. Please refund the second payment.',
      },
      {
        by: 'note',
        text: 'Payment provider shows two captures for {order}: the first 3-D Secure attempt timed out but was captured anyway, and the retry went through too. @{lead} can you approve the refund of the duplicate?',
      },
      { by: 'note', author: 'lead', text: 'Approved, and refunded the duplicate in the payment dashboard.' },
      {
        by: 'agent',
        text: "I've looked into this: the first payment attempt got stuck in your bank's verification step but went through anyway, and so did the retry. The duplicate payment of {price} has been refunded today; depending on your bank it takes 3–5 working days to show. Sorry for the worry!",
      },
    ],
    phone: {
      subjects: ['Phone: double charge on {order}'],
      turns: [
        { by: 'customer', text: 'Customer called, worried: two payments of {price} for order {order} on the credit card statement. Promised to check with billing and email back today.' },
        {
          by: 'note',
          text: 'Payment provider shows two captures for {order}: the first 3-D Secure attempt timed out but was captured anyway. @{lead} can you approve the refund of the duplicate?',
        },
        { by: 'note', author: 'lead', text: 'Approved, and refunded the duplicate in the payment dashboard.' },
        {
          by: 'agent',
          text: 'As promised on the phone: you were indeed charged twice, because the first payment attempt went through even though your bank\'s verification step timed out. The duplicate payment of {price} has been refunded today and shows up within 3–5 working days. Sorry for the worry!',
        },
      ],
    },
  },
  {
    key: 'sizing-advice',
    weight: 1.5,
    subjects: ['Which size should I order?', 'Size advice for the {item}', 'Question about sizing'],
    channels: ['chat', 'email', 'contact_form'],
    tags: ['product-question', 'sizing'],
    priority: 'low',
    team: 'tier1',
    items: ['shell', 'insulated', 'fleece'],
    sized: true,
    turns: [
      {
        by: 'customer',
        text: "I'm between sizes for the {item}. I'm 1.78 m, 74 kg and usually wear {size}. Would you recommend {size} or {size2} if I want to wear a fleece underneath?",
        chat: "Hi! I'm 1.78m / 74kg, normally {size}. For the {item} with a fleece underneath, {size} or {size2}?",
      },
      {
        by: 'agent',
        text: "With a fleece underneath I'd go for {size2}. The {item} has a fairly athletic cut: {size} fits close with just a base layer, {size2} leaves room for a mid-layer without being baggy. And if it doesn't fit, exchanges are free.",
        chat: "With a fleece underneath I'd go for {size2}. The {item} is cut quite close, {size} is best with just a base layer. Exchanges are free if it doesn't fit!",
      },
      { by: 'customer', text: "Great, I'll order the {size2} then. Thanks!", chat: 'great, ordering the {size2} then. thanks!' },
      { by: 'agent', text: 'Sounds good. Have a great time out there!' },
    ],
  },
  {
    key: 'tent-question',
    weight: 1,
    subjects: ['Question about the Birch tent', 'Is the Birch 2-Person Tent suitable for Lapland?', 'Tent for a September trip'],
    channels: ['email', 'contact_form', 'chat'],
    tags: ['product-question'],
    priority: 'low',
    team: 'tier1',
    item: 'Birch 2-Person Tent',
    turns: [
      {
        by: 'customer',
        text: "I'm looking at the Birch 2-Person Tent for a trip to Lapland in September. Is it suitable for strong wind and temperatures around freezing? And how much does it weigh packed?",
      },
      {
        by: 'agent',
        text: '',
        html: `<p>Good question! The Birch is a 3-season tent and handles September in Lapland well:</p><ul><li><b>Packed weight:</b> 2.1 kg, including pegs and guy lines</li><li><b>Wind:</b> tested up to 70 km/h with all guy lines pitched</li><li><b>Cold:</b> fine around freezing; the mesh panels of the inner tent zip shut</li></ul><p>If you expect snow, have a look at the <a href="${DEMO_SITE}/p/birch-4-season">Birch 4-Season</a>, which has a stronger pole set.</p>`,
      },
      { by: 'customer', text: "Really helpful, thank you. I'll go with the 3-season one." },
      { by: 'agent', text: 'Great choice! One tip: pitch it once at home before you go, so you know where everything goes when it\'s windy. Have a wonderful trip.' },
    ],
    phone: {
      subjects: ['Phone: questions about the Birch tent'],
      turns: [
        { by: 'customer', text: 'Customer called with questions about the Birch 2-Person Tent for a September trip to Lapland: wind, cold, packed weight. Answered on the phone; sending the specs by email.' },
        {
          by: 'agent',
          text: '',
          html: `<p>Thanks for your call! As promised, the key facts about the Birch 2-Person Tent:</p><ul><li><b>Packed weight:</b> 2.1 kg, including pegs and guy lines</li><li><b>Wind:</b> tested up to 70 km/h with all guy lines pitched</li><li><b>Cold:</b> fine around freezing; the mesh panels of the inner tent zip shut</li></ul><p>Full specifications are on the <a href="${DEMO_SITE}/p/birch-2-person">product page</a>.</p>`,
        },
      ],
    },
  },
  {
    key: 'warranty-zipper',
    weight: 1.5,
    subjects: ['Broken zipper – warranty?', 'Zipper of my {item} broke', 'Warranty claim: zipper'],
    channels: ['email', 'contact_form'],
    tags: ['warranty'],
    team: 'logistics',
    items: ['shell', 'insulated', 'fleece', 'pack'],
    turns: [
      {
        by: 'customer',
        text: "The main zipper of my {item} has broken: the slider came off one side and it won't close anymore. I bought it about a year and a half ago (order {oldOrder}). Is this covered by the warranty?",
      },
      {
        by: 'agent',
        text: `Sorry to hear that! Yes, zippers are covered by our 2-year warranty. Please register a warranty return on ${RETURNS_URL} (choose "warranty / repair") and send the {item} to us with the prepaid label. Our repair workshop usually replaces a slider within 5–10 working days.`,
      },
      { by: 'customer', text: 'Sent it off yesterday, tracking {tracking}.', delay: 'days' },
      { by: 'agent', text: "Thanks! It has arrived and is with our repair workshop now. I'll let you know as soon as it's on its way back.", then: 'on_hold', delay: 'days' },
      { by: 'note', author: 'colleague', text: 'Workshop: replaced the zipper slider, no other damage. Shipping back today with {carrier} {tracking2}.', delay: 'week' },
      { by: 'agent', text: 'Good news: the workshop has replaced the zipper slider and your {item} is on its way back to you ({carrier}, tracking {tracking2}). The repair is free of charge under the warranty.' },
    ],
  },
  {
    key: 'missing-item',
    weight: 1.5,
    subjects: ['Item missing from my parcel', 'Order {order} incomplete', 'Missing {item2}'],
    channels: ['email', 'contact_form', 'chat'],
    tags: ['missing-item', 'shipping'],
    team: 'logistics',
    turns: [
      {
        by: 'customer',
        text: 'My parcel for order {order} arrived today, but the {item2} is missing. Only the {item} was in the box, and the packing slip lists both items.',
        chat: 'hi, my parcel came today but the {item2} is missing, only the {item} was in it. order {order}',
      },
      { by: 'note', text: "Warehouse check: the parcel weighed 0.4 kg less than expected at packing, so the {item2} really wasn't packed. Sending it separately." },
      {
        by: 'agent',
        text: "I'm sorry about that! Our warehouse checked the parcel weight and the {item2} was indeed not packed. I've sent it separately today with {carrier} (tracking {tracking2}), at no extra cost of course.",
        chat: "Sorry about that! Our warehouse confirmed the {item2} wasn't packed. I've sent it separately today, tracking {tracking2}, no extra cost of course.",
      },
    ],
  },
  {
    key: 'invoice-request',
    weight: 1,
    subjects: ['Invoice with company details', 'Invoice request for {order}', 'VAT invoice needed'],
    channels: ['email', 'contact_form'],
    tags: ['invoice', 'billing'],
    priority: 'low',
    team: 'tier1',
    turns: [
      { by: 'customer', text: 'Could you send me an invoice for order {order} with our company details? Company: {company}, VAT number {vat}. I need it for my expense claim.' },
      {
        by: 'agent',
        text: '',
        html: `<p>Of course. I've updated the invoice with your company details:</p><ul><li>{company}</li><li>VAT number {vat}</li></ul><p>You can download it here: <a href="${DEMO_SITE}/account/invoices/{order}">invoice {order} (PDF)</a>. It's also in your account under <b>Orders → Invoices</b>.</p>`,
      },
    ],
  },
  {
    key: 'password-reset',
    weight: 1,
    subjects: ["Can't log in to my account", 'Password reset email not arriving', 'Login problem'],
    channels: ['chat', 'email'],
    tags: ['account'],
    priority: 'low',
    team: 'tier1',
    turns: [
      { by: 'customer', text: "I can't log in to my account, and the password reset email never arrives. I've tried three times.", chat: "can't log in, and the password reset email never comes. tried 3 times" },
      {
        by: 'agent',
        text: "I can see the reset emails were sent to {email}. Some mail providers put them in the spam or promotions folder; could you have a look there? I've just sent you a fresh one.",
      },
      { by: 'customer', text: "Found it in spam! I'm in now, thanks.", chat: 'found it in spam, I\'m in now. thanks!' },
      { by: 'agent', text: 'Great! If you mark our email as "not spam", your order and shipping updates will land in your inbox too.' },
    ],
  },
  {
    key: 'newsletter-unsubscribe',
    weight: 0.8,
    subjects: ['Unsubscribe', 'Stop sending me newsletters', 'Remove me from your mailing list'],
    channels: ['email', 'contact_form'],
    tags: ['newsletter'],
    priority: 'low',
    team: 'tier1',
    turns: [
      { by: 'customer', text: 'Please remove me from your newsletter. I\'ve clicked "unsubscribe" twice and I still get your emails.' },
      { by: 'note', text: 'Customer had two subscriptions (current address and an old one that forwards to it). Removed both.' },
      {
        by: 'agent',
        text: "Sorry about that. You were subscribed with two addresses, and the unsubscribe link only removed one of them. I've removed both now, so no more newsletters. Order and shipping emails will still reach you as usual.",
      },
    ],
  },
  {
    key: 'complaint',
    weight: 0.8,
    subjects: ['Very disappointed', 'Complaint about order {order}', 'Third time asking – no answer'],
    channels: ['email'],
    tags: ['complaint'],
    priority: 'high',
    team: 'tier1',
    lead: true,
    turns: [
      {
        by: 'customer',
        text: "I'm honestly disappointed. This is the third time I'm writing about order {order}. Nobody answered my chat on Friday, the parcel was four days late, and when it finally came the {item} was the wrong colour. I've been a customer for years and this is not the service I expect.",
      },
      {
        by: 'note',
        text: "Taking this one myself. Friday's chat came in after hours and was never followed up. Plan: right colour by express, free return of the wrong one, refund shipping and a 15% voucher. @{colleague} please check the after-hours chats every Monday morning.",
      },
      {
        by: 'agent',
        text: '',
        html: "<p>You're right, and I'm sorry. Your chat on Friday came in after our opening hours and slipped through; that shouldn't happen. Here's what I've done:</p><ul><li>the {item} in the right colour left our warehouse this morning by <b>express</b> (tracking {tracking2})</li><li>the parcel contains a prepaid label for returning the wrong one</li><li>I've refunded your shipping costs and added a 15% voucher to your account: <b>{voucher}</b></li></ul><p>Thank you for telling us so clearly.</p>",
      },
      { by: 'customer', text: "Thank you, I appreciate the quick response this time. The new one arrived and it's perfect.", delay: 'days' },
      { by: 'agent', text: 'Very glad to hear it, and thank you for giving us another chance.' },
    ],
    phone: {
      subjects: ['Phone: complaint about order {order}'],
      turns: [
        {
          by: 'customer',
          text: 'Customer called, upset: third contact about order {order}. Chat on Friday unanswered, parcel four days late, and the {item} arrived in the wrong colour. Long-time customer. Promised a solution by email today.',
        },
        { by: 'note', text: 'Plan: right colour by express, free return of the wrong one, refund shipping and a 15% voucher. @{colleague} please check the after-hours chats every Monday morning.' },
        {
          by: 'agent',
          text: '',
          html: "<p>Thank you for your call, and again: I'm sorry. As promised, here's what I've done:</p><ul><li>the {item} in the right colour left our warehouse this morning by <b>express</b> (tracking {tracking2})</li><li>the parcel contains a prepaid label for returning the wrong one</li><li>I've refunded your shipping costs and added a 15% voucher to your account: <b>{voucher}</b></li></ul>",
        },
        { by: 'note', text: 'Customer called back: new one arrived and is perfect. Closing.', delay: 'days' },
      ],
    },
  },
  {
    key: 'compliment',
    weight: 1,
    subjects: ['Thank you!', 'Happy customer', 'Just a thank you'],
    channels: ['email', 'contact_form', 'chat'],
    tags: ['feedback'],
    priority: 'low',
    team: 'tier1',
    items: ['shell'],
    turns: [
      {
        by: 'customer',
        text: 'Just wanted to say thank you. My {item} survived a week of rain on the West Highland Way and I stayed completely dry. And I loved the handwritten note in the parcel!',
      },
      {
        by: 'agent',
        text: "Thank you so much for taking the time to write! I've shared your message with the team; the handwritten notes come from our warehouse crew and they'll be very happy to hear it. Enjoy your next trip!",
      },
    ],
  },
  {
    key: 'marked-delivered',
    weight: 1.2,
    subjects: ['Tracking says delivered but nothing received', 'Order {order} marked as delivered – not here', 'Parcel not delivered'],
    channels: ['email', 'contact_form'],
    tags: ['shipping'],
    priority: 'high',
    team: 'logistics',
    turns: [
      {
        by: 'customer',
        text: "The tracking for order {order} says it was delivered yesterday at 14:12, but I never got anything. I was home all afternoon and my neighbours don't have it either.",
      },
      {
        by: 'agent',
        text: "I'm sorry about this. Sometimes {carrier} leaves a parcel at a pickup point or with a neighbour a few doors away and marks it as delivered. Could you check for a card in your letterbox? In the meantime I've asked {carrier} for the GPS location of the delivery scan.",
        then: 'on_hold',
      },
      { by: 'note', text: 'Asked {carrier} for proof of delivery, case {caseRef}.' },
      { by: 'customer', text: 'No card, and nobody on the street has it.' },
      { by: 'note', author: 'colleague', text: '{carrier} proof of delivery shows the scan 300 m away, at a different house number. Claim filed, OK to reship.', delay: 'days' },
      {
        by: 'agent',
        text: "Thanks for checking. {carrier} has confirmed that the driver delivered your parcel to the wrong address. I've sent you a new {item} today (tracking {tracking2}); we'll settle the claim with {carrier}, so there's nothing more you need to do.",
      },
    ],
    phone: {
      subjects: ['Phone: order {order} marked delivered, not received'],
      turns: [
        { by: 'customer', text: 'Customer called: tracking says order {order} was delivered yesterday, but nothing arrived. Checked with the neighbours, no card in the letterbox. Needs the {item} for the weekend.' },
        { by: 'note', text: 'Asked {carrier} for proof of delivery, case {caseRef}.', then: 'on_hold' },
        { by: 'note', author: 'colleague', text: '{carrier} proof of delivery shows the scan at a different house number. Claim filed, OK to reship.', delay: 'days' },
        {
          by: 'agent',
          text: "As promised on the phone, an update on order {order}: {carrier} has confirmed that the driver delivered your parcel to the wrong address. I've sent you a new {item} today (tracking {tracking2}); we'll settle the claim with {carrier}.",
        },
      ],
    },
  },
  {
    key: 'restock',
    weight: 1,
    subjects: ['When is the {item} back in stock?', 'Restock question', 'Size {size} sold out'],
    channels: ['chat', 'email', 'contact_form'],
    tags: ['product-question'],
    priority: 'low',
    team: 'tier1',
    items: ['shell', 'insulated', 'fleece', 'apparel', 'footwear'],
    sized: true,
    turns: [
      { by: 'customer', text: "Will the {item} be back in stock in size {size}? It's been sold out for weeks.", chat: 'hi, is the {item} coming back in {size}?' },
      {
        by: 'agent',
        text: 'Yes, the next delivery of the {item} in size {size} is expected in about two weeks. If you click "Notify me" on the product page you\'ll get an email the moment it\'s in. I can\'t reserve one for you, unfortunately, but it\'s a big restock.',
      },
    ],
  },
  {
    key: 'wrong-item',
    weight: 1.2,
    subjects: ['Received the wrong item', 'Wrong product in my parcel – order {order}'],
    channels: ['email', 'chat', 'contact_form'],
    tags: ['returns', 'exchange'],
    team: 'logistics',
    turns: [
      { by: 'customer', text: 'I ordered the {item} but received the {item2} instead. Order {order}.', chat: 'got the {item2} instead of the {item} I ordered 🤔 order {order}' },
      {
        by: 'agent',
        text: "Apologies for the mix-up! I've sent the {item} today with {carrier} (tracking {tracking2}). Could you send the {item2} back with the prepaid return label I've just emailed you? No rush.",
      },
      { by: 'customer', text: "The right one arrived today, thanks! I'll drop the other one at the post office this week.", delay: 'days' },
      { by: 'agent', text: 'Perfect, thanks {first}, and enjoy the {item}!' },
    ],
  },
  {
    key: 'payment-failed',
    weight: 1,
    subjects: ['Payment failed but money gone', 'Did my order go through?'],
    channels: ['chat', 'email'],
    tags: ['billing'],
    team: 'tier1',
    turns: [
      {
        by: 'customer',
        text: 'My payment failed at checkout, but the money has already left my account. Did my order go through?',
        chat: 'payment failed at checkout but the money is gone from my account?? did the order go through?',
      },
      {
        by: 'agent',
        text: "I can see the payment attempt, but it didn't complete an order, so your bank will automatically return the money within 1–2 working days. Your basket is still saved, so you can simply place the order again.",
      },
      { by: 'customer', text: "I placed it again and it worked this time: order {order}. Just want to make sure I'm not charged twice." },
      { by: 'agent', text: 'Confirmed: order {order} is paid, and the earlier attempt has been cancelled on our side. The first amount goes back to your account automatically.' },
    ],
  },
  {
    key: 'before-trip',
    weight: 1,
    subjects: ['Will it arrive before Friday?', 'Delivery time question', 'Express shipping?'],
    channels: ['chat', 'email'],
    tags: ['shipping', 'product-question'],
    priority: 'high',
    team: 'tier1',
    turns: [
      { by: 'customer', text: "If I order the {item} today, will it arrive by Friday? I'm leaving for a trip on Saturday.", chat: 'if I order the {item} now, will it be here by Friday? leaving Saturday' },
      {
        by: 'agent',
        text: 'If you order before 16:00 it ships today and {carrier} normally delivers in 1–2 working days, so Friday is very likely. To be on the safe side, choose Express at checkout (€6.95): that\'s guaranteed next-working-day delivery.',
      },
      { by: 'customer', text: 'Ordered with Express: order {order}. Thanks!', chat: 'ordered with express, {order}. thanks!' },
      { by: 'agent', text: "It's already packed and goes out this afternoon. Have a great trip!" },
    ],
  },
  {
    key: 'return-label',
    weight: 1,
    subjects: ['Return label not working', "Barcode on return label can't be scanned"],
    channels: ['email', 'contact_form'],
    tags: ['returns'],
    team: 'logistics',
    turns: [
      { by: 'customer', text: "The return label I received for order {order} doesn't work: the {carrier} shop says the barcode can't be scanned." },
      {
        by: 'agent',
        text: '',
        html: `<p>Sorry about that! I've created a new label for you: <a href="${DEMO_SITE}/returns/label/{order}">download the new return label</a>.</p><p>Please print it at <b>100% scale</b> (not "fit to page"), otherwise the barcode can get too small to scan.</p>`,
      },
      { by: 'customer', text: 'The new one worked, the parcel is on its way.', delay: 'days' },
      { by: 'agent', text: "It arrived today and I've refunded {price} to your {payment}. Thanks for your patience!", delay: 'days' },
    ],
  },
  {
    key: 'down-feathers',
    weight: 0.8,
    subjects: ['Losing feathers – is that normal?', 'Down coming out of my {item}'],
    channels: ['email', 'contact_form'],
    tags: ['warranty', 'product-question'],
    team: 'tier1',
    items: ['insulated'],
    turns: [
      { by: 'customer', text: "My {item} is losing feathers at the seams, a few every time I use it. I've had it for two months. Is that normal?" },
      {
        by: 'agent',
        text: "A few small feathers in the first months is normal for down: they work their way out through the stitching, and it stops after a while. Tip: if one pokes out, pull it back in from the other side rather than pulling it out. If it's more than a handful each time, or they all come from one spot, it may be a seam issue; then let us know and we'll take it in under warranty.",
      },
      { by: 'customer', text: "OK, it's only a few, mostly in the first days. I'll keep an eye on it." },
      { by: 'agent', text: 'Sounds completely normal then. Enjoy the warmth!' },
    ],
  },
  {
    key: 'gift-note',
    weight: 0.8,
    subjects: ['Gift note for my order', 'Order {order} is a present'],
    channels: ['chat', 'email'],
    tags: ['product-question'],
    priority: 'low',
    team: 'tier1',
    turns: [
      {
        by: 'customer',
        text: 'Order {order} is a birthday present for my brother. Could you leave the invoice out of the parcel and add a note saying "Happy birthday, see you on the trail!"?',
        chat: 'hi! order {order} is a birthday present. can you leave out the invoice and add a note "Happy birthday, see you on the trail!"?',
      },
      { by: 'agent', text: "Done! I've added your note to the order, and the invoice won't be in the parcel; we've emailed it to you instead. Order {order} ships tomorrow." },
    ],
  },
  {
    key: 'shipping-norway',
    weight: 0.8,
    subjects: ['Do you ship to Norway?', 'Shipping and customs to Norway'],
    channels: ['email', 'contact_form'],
    tags: ['shipping'],
    priority: 'low',
    team: 'tier1',
    turns: [
      { by: 'customer', text: "I'd like to send the {item} to a friend in Norway. Do you ship there? And will they have to pay import VAT or customs fees when the parcel arrives?" },
      {
        by: 'agent',
        text: '',
        html: `<p>Yes, we ship to Norway! A few things to know:</p><ul><li>Shipping costs €14.95, free from €150</li><li>At checkout, prices are shown <b>without EU VAT</b></li><li>Norwegian VAT (25%) and a small handling fee are collected by the courier on delivery</li><li>Returns are possible, but return shipping is at your own cost</li></ul><p>More details are on our <a href="${DEMO_SITE}/help/shipping-outside-eu">shipping page</a>.</p>`,
      },
    ],
  },
  {
    key: 'boots-blisters',
    weight: 0.8,
    subjects: ['Blisters from new boots', 'Break-in period for the {item}?'],
    channels: ['email', 'contact_form', 'chat'],
    tags: ['product-question', 'sizing'],
    team: 'tier1',
    items: ['footwear'],
    turns: [
      { by: 'customer', text: 'I bought the {item} {when}. After a 10 km walk I have blisters on both heels. Is there a break-in period, or are they too big?' },
      {
        by: 'agent',
        text: 'Sorry to hear that! Heel blisters usually mean the heel lifts a little with each step. Two things to try: lace them with a "heel lock" (there\'s a short video on the product page), and wear a thicker hiking sock. They also need 2–3 shorter walks to break in. If your heel still lifts after that, we\'ll exchange them for a size smaller, even worn outside, within 30 days.',
      },
      { by: 'customer', text: "The heel lock made a huge difference, thanks! No more blisters on today's walk.", delay: 'days' },
      { by: 'agent', text: 'Great to hear! Happy hiking.' },
    ],
  },
  {
    key: 'delete-account',
    weight: 0.6,
    subjects: ['Delete my account', 'GDPR: please delete my data'],
    channels: ['email', 'contact_form'],
    tags: ['account', 'privacy'],
    team: 'tier1',
    turns: [
      { by: 'customer', text: 'Please delete my account and all personal data you have about me.' },
      { by: 'note', text: 'Request came from the email address on the account, so identity confirmed. Deletion scheduled in the shop backend; order records are kept for 7 years (tax law).' },
      {
        by: 'agent',
        text: "Your account, saved addresses and newsletter subscription have been deleted. We're legally required to keep invoices for 7 years, so your past orders stay in our bookkeeping, but they're no longer linked to an account. If you order again in the future, you'll just need to create a new account.",
      },
    ],
  },
  {
    key: 'poles-snapped',
    weight: 0.8,
    subjects: ['Trekking pole snapped', 'Broken lower section – {item}'],
    channels: ['email', 'contact_form', 'chat'],
    tags: ['warranty'],
    team: 'logistics',
    item: 'Ridge Carbon Trekking Poles',
    turns: [
      { by: 'customer', text: 'One of my {item} snapped at the lower section on my first hike. I was just walking downhill, nothing special. Order {order}.' },
      {
        by: 'agent',
        text: "That shouldn't happen in normal use, sorry! We'll send you a replacement lower section; no need to return anything. Could you confirm that your address is still {address}, {city}?",
      },
      { by: 'customer', text: "Yes, that's still right. Thanks!" },
      { by: 'agent', text: 'The replacement section is on its way (tracking {tracking2}). It clicks into the middle section just like the original; tighten the lever until you feel some resistance.' },
    ],
  },
  {
    key: 'price-drop',
    weight: 0.8,
    subjects: ['Price dropped after I bought', 'Price difference refund?'],
    channels: ['email', 'chat'],
    tags: ['billing', 'refund'],
    team: 'tier1',
    turns: [
      { by: 'customer', text: "I bought the {item} {when} for {price} and now it's 20% off. Can I get the difference back?", chat: 'bought the {item} {when} for {price}, now it\'s 20% off 🙁 can I get the difference back?' },
      { by: 'note', text: 'Bought within 14 days, so the price guarantee applies.' },
      { by: 'agent', text: "Good news: we have a 14-day price guarantee, so I've refunded the difference of {diff} to your {payment}." },
    ],
  },
  {
    key: 'split-shipment',
    weight: 1,
    subjects: ['Only part of my order arrived', 'Rest of order {order}?'],
    channels: ['email', 'chat'],
    tags: ['shipping', 'order-status'],
    team: 'tier1',
    turns: [
      { by: 'customer', text: 'I only received part of my order {order}: the {item} arrived, but not the {item2}. Is the rest coming?', chat: 'only got half my order? {item} came but no {item2}. order {order}' },
      { by: 'agent', text: 'Yes! Your order was shipped in two parcels, because the {item2} came from our second warehouse. The second parcel is on its way with {carrier} (tracking {tracking2}) and should arrive tomorrow.' },
    ],
  },
  {
    key: 'when-ship',
    weight: 1,
    subjects: ['When will my order ship?', 'Order {order} status'],
    channels: ['chat'],
    tags: ['order-status'],
    priority: 'low',
    team: 'tier1',
    turns: [
      { by: 'customer', text: 'hi, when will order {order} ship?' },
      { by: 'agent', text: "Hi {first}! It's being packed right now and goes out with {carrier} this afternoon. You'll get an email with the tracking link tonight." },
      { by: 'customer', text: 'perfect, thanks!' },
      { by: 'agent', text: "You're welcome, have a nice day!" },
    ],
  },
  {
    key: 'care-instructions',
    weight: 0.8,
    subjects: ['How to wash my {item}?', 'Washing instructions'],
    channels: ['chat', 'email', 'contact_form'],
    tags: ['product-question'],
    priority: 'low',
    team: 'tier1',
    items: ['shell'],
    turns: [
      { by: 'customer', text: "How do I wash my {item}? I don't want to ruin the waterproofing.", chat: 'how do I wash my {item} without ruining the waterproofing?' },
      {
        by: 'agent',
        text: '',
        html: `<p>Good that you ask: washing actually helps the waterproofing. Here's how:</p><ol><li>Close all zips and Velcro tabs</li><li>Wash at 30°C with a liquid technical wash, <b>no fabric softener</b></li><li>Tumble dry on low for 20 minutes: the heat reactivates the water-repellent coating</li></ol><p>If water stops beading off after that, a spray-on reproofer restores it. Full guide: <a href="${DEMO_SITE}/help/care/waterproofs">caring for waterproofs</a>.</p>`,
      },
    ],
  },
  {
    key: 'gift-card-expired',
    weight: 0.6,
    subjects: ['Gift card says expired', 'Problem with gift card {giftcard}'],
    channels: ['email', 'chat'],
    tags: ['discount', 'billing'],
    team: 'tier1',
    turns: [
      { by: 'customer', text: 'My gift card {giftcard} says it has expired, but I only got it for Christmas. Can you help?' },
      { by: 'note', text: 'The December gift card batch was issued with a 1-year expiry instead of 2 years. Extended this one manually; @{lead} FYI, the rest of the batch needs fixing too.' },
      { by: 'agent', text: "Thanks for letting us know: some of our December gift cards were issued with the wrong expiry date. I've corrected yours, so {giftcard} is valid for two more years and the full balance is still on it." },
    ],
  },
  {
    key: 'pickup-point',
    weight: 0.8,
    subjects: ['Parcel delivered to pickup point', 'Can my parcel be delivered at home?'],
    channels: ['chat', 'email'],
    tags: ['shipping'],
    team: 'logistics',
    turns: [
      { by: 'customer', text: 'My parcel ({order}) was taken to a pickup point 5 km away instead of my home. Can it be delivered to my door instead?', chat: 'my parcel {order} went to a pickup point 5 km away?! can it be delivered to my door?' },
      {
        by: 'agent',
        text: "Once a parcel is at a pickup point, {carrier} won't take it out for delivery again, unfortunately. It stays there for 7 days, and you can collect it with the pickup code from the {carrier} email. If that's really not possible, let me know and we'll have it returned and sent again.",
      },
      { by: 'customer', text: "OK, I'll pick it up on Saturday." },
      { by: 'agent', text: 'Great, thanks {first}!' },
    ],
  },
  {
    key: 'group-order',
    weight: 0.5,
    subjects: ['Group order for our scouting club', 'Bulk order discount?'],
    channels: ['email', 'contact_form'],
    tags: ['product-question', 'b2b'],
    team: 'tier1',
    turns: [
      { by: 'customer', text: "We're a scouting group in {city} and would like to order 18 of the {item} for our leaders. Do you offer a group discount, and can we pay by invoice?" },
      { by: 'note', text: '@{lead} group order of 18 units: OK to offer 15% and payment on invoice?' },
      { by: 'note', author: 'lead', text: 'Yes, 15% and a 30-day invoice is fine. Set the discount on their account.' },
      {
        by: 'agent',
        text: 'Thanks for thinking of us! For an order of this size we can offer 15% off and payment by invoice within 30 days. I\'ve added the discount to your account, so it applies automatically at checkout; choose "Pay by invoice" as the payment method.',
      },
      { by: 'customer', text: "Wonderful, we've placed the order: {order}." },
      { by: 'agent', text: 'Thank you! It ships in two days; with 18 items it will come in two boxes.' },
    ],
  },
  {
    key: 'change-account-email',
    weight: 0.6,
    subjects: ['Change the email address of my account', 'New email address'],
    channels: ['email', 'chat', 'contact_form'],
    tags: ['account'],
    priority: 'low',
    team: 'tier1',
    turns: [
      { by: 'customer', text: "Can you change the email address on my account? I'm moving from my old work address to {email}. My order history should stay." },
      { by: 'agent', text: "Done! Your account now uses {email}, and all your orders are still there. From now on you sign in with the new address." },
    ],
  },
  {
    key: 'jacket-leaking',
    weight: 0.8,
    subjects: ['Jacket leaking at the shoulders', 'Is my {item} defective?'],
    channels: ['email', 'contact_form'],
    tags: ['warranty', 'complaint'],
    team: 'logistics',
    items: ['shell'],
    turns: [
      { by: 'customer', text: "My {item} lets water through at the shoulders, where the backpack straps sit. It's only six months old. Is that a defect?" },
      {
        by: 'agent',
        text: `Sorry to hear that! Damp shoulders under a backpack can be condensation, but it can also be a seam issue. Please send the jacket in with a warranty return (${RETURNS_URL}); our workshop will pressure-test the seams, and if it's a defect we'll replace it.`,
      },
      { by: 'customer', text: 'Posted it today, tracking {tracking}.', delay: 'days' },
      { by: 'agent', text: "It has arrived and it's in the workshop queue. I'll update you after the test.", then: 'on_hold', delay: 'days' },
      { by: 'note', author: 'colleague', text: 'Workshop: seam tape delaminated on the left shoulder. Not repairable, replace.', delay: 'days' },
      { by: 'agent', text: 'The workshop found that the seam tape had come loose on the left shoulder: a production fault, not something you did. We\'re sending you a brand-new {item} (tracking {tracking2}) under warranty.' },
    ],
  },
];

/** The shared views a demo team starts with; `team` is filled in with that team's id. */
export const DEMO_VIEWS: { name: string; filters: { tag?: string; priority?: string; status: string }; team?: DemoTeamKey }[] = [
  { name: 'VIP customers', filters: { tag: 'vip', status: 'new,open,pending,on_hold' } },
  { name: 'Urgent', filters: { priority: 'urgent', status: 'new,open,pending,on_hold' } },
  { name: 'Returns & Logistics queue', filters: { status: 'new,open,pending,on_hold' }, team: 'logistics' },
];
