/**
 * API shapes for customers.
 */
import { Type } from '@sinclair/typebox';
import { TicketSummarySchema, presentTicketSummary } from '../tickets/tickets.schema.ts';
import type { TicketSummary } from '../tickets/tickets.service.ts';
import type { CustomerListItem, CustomerProfile } from './customers.service.ts';

const Uuid = Type.String({ format: 'uuid' });

export const IdentitySchema = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('email'), Type.Literal('phone'), Type.Literal('social')]),
  provider: Type.String({ description: 'For social identities: the network' }),
  value: Type.String(),
  is_primary: Type.Boolean(),
  undeliverable_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Set when mail to this address bounced' }),
});

/** A customer with identities and recent tickets. */
export const CustomerSchema = Type.Object({
  id: Uuid,
  name: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  identities: Type.Array(IdentitySchema),
  ticket_count: Type.Integer(),
  tickets: Type.Array(TicketSummarySchema),
});

export const CustomerListItemSchema = Type.Object({
  id: Uuid,
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  ticket_count: Type.Integer(),
});

export const ListCustomersQuery = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const PatchCustomerBody = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 5000, description: 'For the team only; customers never see it' }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const MergeBody = Type.Object({ source_id: Uuid }, { additionalProperties: false });

/** Presents a customer profile with their recent tickets. */
export function presentCustomerProfile(c: CustomerProfile, tickets: TicketSummary[]) {
  return {
    id: c.id,
    name: c.name,
    note: c.note,
    created_at: c.createdAt.toISOString(),
    identities: c.identities.map((i) => ({
      id: i.id, kind: i.kind, provider: i.provider, value: i.value, is_primary: i.isPrimary, undeliverable_at: i.undeliverableAt?.toISOString() ?? null,
    })),
    ticket_count: c.ticketCount,
    tickets: tickets.map(presentTicketSummary),
  };
}

/** Presents a customer list row. */
export function presentCustomerListItem(c: CustomerListItem) {
  return { id: c.id, name: c.name, email: c.email, created_at: c.createdAt.toISOString(), ticket_count: c.ticketCount };
}
