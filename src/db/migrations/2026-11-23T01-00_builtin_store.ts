/**
 * Stores and their orders: which platform serves each store (store_connections), the built-in
 * store's own catalogue, accounts and orders (shop_*), the change feed of orders that lands on
 * customers' timelines (store_order_events), and the audit of actions agents take on orders
 * (order_actions, one row per idempotency key).
 * Frozen: never edit after release; add a new migration instead.
 */
import { sql, type Kysely } from 'kysely';

/** Runs a DDL script one statement at a time (the embedded database takes one per call). */
async function run(db: Kysely<any>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await run(db, `
    -- A store without a row here is served by the built-in store with default order numbers.
    create table store_connections (
      store_id uuid primary key references stores (id) on delete cascade,
      platform text not null default 'builtin' check (platform in ('builtin', 'vendure', 'medusa', 'shopify')),
      order_number_prefix text,
      order_number_pattern text,
      settings jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table shop_products (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      handle text not null,
      title text not null,
      description text,
      category text,
      tags text[] not null default '{}',
      created_at timestamptz not null default now(),
      unique (store_id, handle)
    );
    create index shop_products_tags_idx on shop_products using gin (tags);

    create table shop_variants (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      product_id uuid not null references shop_products (id) on delete cascade,
      sku text not null,
      title text not null,
      options jsonb not null default '{}',
      price_minor integer not null check (price_minor >= 0),
      inventory_quantity integer,
      created_at timestamptz not null default now(),
      unique (store_id, sku)
    );
    create index shop_variants_product_idx on shop_variants (product_id);

    create table shop_customers (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      email text,
      phone text,
      name text,
      created_at timestamptz not null default now()
    );
    create unique index shop_customers_email_key on shop_customers (store_id, email) where email is not null;
    create index shop_customers_phone_idx on shop_customers (store_id, phone) where phone is not null;

    create table shop_orders (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      number text not null,
      customer_id uuid references shop_customers (id) on delete set null,
      email text,
      currency char(3) not null,
      taxes_included boolean not null default true,
      subtotal_minor integer not null,
      discount_minor integer not null default 0,
      shipping_minor integer not null default 0,
      shipping_tax_minor integer not null default 0,
      tax_minor integer not null default 0,
      total_minor integer not null,
      discount_codes text[] not null default '{}',
      shipping_method text,
      shipping_address jsonb,
      placed_at timestamptz not null default now(),
      expected_delivery_at timestamptz,
      cancelled_at timestamptz,
      cancel_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (store_id, number)
    );
    create index shop_orders_customer_idx on shop_orders (customer_id, placed_at desc, id desc);
    create index shop_orders_store_placed_idx on shop_orders (store_id, placed_at desc, id desc);

    create table shop_order_lines (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references shop_orders (id) on delete cascade,
      position integer not null,
      variant_id uuid references shop_variants (id) on delete set null,
      product_title text not null,
      variant_title text,
      sku text,
      quantity integer not null check (quantity > 0),
      unit_price_minor integer not null check (unit_price_minor >= 0),
      discount_minor integer not null default 0,
      tax_minor integer not null default 0,
      tax_rate_bp integer not null default 0,
      total_minor integer not null
    );
    create index shop_order_lines_order_idx on shop_order_lines (order_id, position);

    create table shop_payments (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references shop_orders (id) on delete cascade,
      method text not null,
      method_detail text,
      amount_minor integer not null check (amount_minor >= 0),
      status text not null check (status in ('pending', 'authorized', 'captured', 'voided', 'failed')),
      created_at timestamptz not null default now(),
      captured_at timestamptz
    );
    create index shop_payments_order_idx on shop_payments (order_id);

    create table shop_refunds (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references shop_orders (id) on delete cascade,
      payment_id uuid references shop_payments (id) on delete set null,
      amount_minor integer not null check (amount_minor > 0),
      shipping_minor integer not null default 0,
      destination text not null default 'original_payment' check (destination in ('original_payment', 'store_credit')),
      reason text,
      note text,
      created_by text,
      created_at timestamptz not null default now()
    );
    create index shop_refunds_order_idx on shop_refunds (order_id);

    create table shop_refund_lines (
      refund_id uuid not null references shop_refunds (id) on delete cascade,
      line_id uuid not null references shop_order_lines (id) on delete cascade,
      quantity integer not null check (quantity > 0),
      amount_minor integer not null,
      primary key (refund_id, line_id)
    );

    create table shop_fulfillments (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references shop_orders (id) on delete cascade,
      kind text not null default 'shipment' check (kind in ('shipment', 'reship', 'exchange')),
      status text not null default 'pending'
        check (status in ('pending', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender')),
      carrier text,
      service text,
      tracking_number text,
      tracking_url text,
      shipped_at timestamptz,
      estimated_delivery_at timestamptz,
      delivered_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index shop_fulfillments_order_idx on shop_fulfillments (order_id, created_at);
    create index shop_fulfillments_tracking_idx on shop_fulfillments (tracking_number) where tracking_number is not null;

    create table shop_fulfillment_lines (
      id uuid primary key default gen_random_uuid(),
      fulfillment_id uuid not null references shop_fulfillments (id) on delete cascade,
      line_id uuid references shop_order_lines (id) on delete cascade,
      variant_id uuid references shop_variants (id) on delete set null,
      sku text,
      title text not null,
      quantity integer not null check (quantity > 0)
    );
    create index shop_fulfillment_lines_fulfillment_idx on shop_fulfillment_lines (fulfillment_id);

    create table shop_returns (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references shop_orders (id) on delete cascade,
      rma_number text not null,
      kind text not null default 'return' check (kind in ('return', 'exchange')),
      status text not null default 'requested' check (status in ('requested', 'in_transit', 'received', 'closed', 'cancelled')),
      reason text,
      created_at timestamptz not null default now(),
      received_at timestamptz,
      unique (order_id, rma_number)
    );

    create table shop_return_lines (
      id uuid primary key default gen_random_uuid(),
      return_id uuid not null references shop_returns (id) on delete cascade,
      line_id uuid not null references shop_order_lines (id) on delete cascade,
      quantity integer not null check (quantity > 0),
      reason text,
      replacement_variant_id uuid references shop_variants (id) on delete set null,
      replacement_sku text
    );
    create index shop_return_lines_return_idx on shop_return_lines (return_id);

    create table shop_store_credits (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      customer_id uuid not null references shop_customers (id) on delete cascade,
      order_id uuid references shop_orders (id) on delete set null,
      amount_minor integer not null,
      currency char(3) not null,
      reason text,
      expires_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index shop_store_credits_customer_idx on shop_store_credits (customer_id, created_at);

    create table shop_discount_codes (
      id uuid primary key default gen_random_uuid(),
      store_id uuid not null references stores (id) on delete cascade,
      code text not null,
      discount_type text not null check (discount_type in ('percentage', 'fixed_amount', 'free_shipping')),
      value integer not null default 0 check (value >= 0),
      currency char(3),
      customer_id uuid references shop_customers (id) on delete cascade,
      order_id uuid references shop_orders (id) on delete set null,
      usage_limit integer,
      times_used integer not null default 0,
      expires_at timestamptz,
      created_at timestamptz not null default now(),
      unique (store_id, code)
    );

    create table shop_order_notes (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references shop_orders (id) on delete cascade,
      body text not null,
      author text,
      created_at timestamptz not null default now()
    );
    create index shop_order_notes_order_idx on shop_order_notes (order_id, created_at);

    -- The built-in store's own idempotency record: an action with a key it has seen answers
    -- with the first result, whoever asks (as a remote platform's idempotency keys do).
    create table shop_idempotency_keys (
      store_id uuid not null references stores (id) on delete cascade,
      key text not null,
      action text not null,
      order_id uuid references shop_orders (id) on delete cascade,
      result jsonb not null,
      created_at timestamptz not null default now(),
      primary key (store_id, key)
    );

    -- The change feed: what happened to orders, from any platform, for customers' timelines.
    create table store_order_events (
      id bigint generated always as identity primary key,
      store_id uuid not null references stores (id) on delete cascade,
      order_number text not null,
      customer_email text,
      type text not null check (type in ('order.created', 'order.paid', 'order.shipped', 'order.delivered', 'order.cancelled', 'order.refunded', 'order.returned')),
      occurred_at timestamptz not null,
      data jsonb not null default '{}',
      source_id text not null,
      received_at timestamptz not null default now(),
      unique (store_id, source_id)
    );
    create index store_order_events_email_idx on store_order_events (customer_email, occurred_at desc) where customer_email is not null;
    create index store_order_events_order_idx on store_order_events (store_id, order_number, occurred_at);

    -- What agents did to orders from tickets: who, what, how much, and the store's answer.
    create table order_actions (
      id uuid primary key default gen_random_uuid(),
      idempotency_key text not null unique,
      request_hash text not null,
      store_id uuid not null references stores (id) on delete cascade,
      ticket_id uuid references tickets (id) on delete set null,
      order_number text not null,
      action text not null
        check (action in ('refund', 'cancel', 'create_return', 'exchange', 'reship', 'discount_code', 'store_credit', 'add_note')),
      params jsonb not null default '{}',
      status text not null check (status in ('pending', 'succeeded', 'refused', 'failed')),
      amount_minor integer,
      currency char(3),
      summary text,
      store_reference text,
      result jsonb,
      error text,
      actor_type text not null check (actor_type in ('agent', 'customer', 'system', 'integration')),
      actor_id uuid,
      actor_name text,
      attempts integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz
    );
    create index order_actions_ticket_idx on order_actions (ticket_id, created_at);
    create index order_actions_store_order_idx on order_actions (store_id, order_number, created_at);
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, `
    drop table if exists order_actions, store_order_events, shop_idempotency_keys, shop_order_notes, shop_discount_codes,
      shop_store_credits, shop_return_lines, shop_returns, shop_fulfillment_lines, shop_fulfillments, shop_refund_lines,
      shop_refunds, shop_payments, shop_order_lines, shop_orders, shop_customers, shop_variants, shop_products,
      store_connections cascade;
  `);
}
