/** API shapes for playbooks and suggestions, and their presenters. */
import { Type, type Static } from '@sinclair/typebox';
import type { Playbook, PlaybookInput, PlaybookSuggestions } from './playbooks.service.ts';

const Uuid = Type.String({ format: 'uuid' });

const RemedyActionSchema = Type.Union([
  Type.Literal('refund'), Type.Literal('reship'), Type.Literal('exchange'), Type.Literal('create_return'), Type.Literal('discount_code'),
  Type.Literal('store_credit'), Type.Literal('cancel'),
]);

/** One standard remedy. */
export const PlaybookRemedySchema = Type.Object(
  {
    action: RemedyActionSchema,
    label: Type.String({ minLength: 1, maxLength: 200, description: 'For people: "Reship the items, no return needed"' }),
    scope: Type.Optional(Type.Union([Type.Literal('order'), Type.Literal('lines'), Type.Literal('shipping'), Type.Literal('amount')], { description: 'refund: what it covers' })),
    percentage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'discount_code: percent off' })),
    amount: Type.Optional(Type.Integer({ minimum: 1, description: 'Minor units: refund (scope amount), store_credit, fixed discount' })),
  },
  { additionalProperties: false },
);

/** When a playbook applies; every condition given must hold. */
export const PlaybookConditionsSchema = Type.Object(
  {
    min_days_late: Type.Optional(Type.Integer({ minimum: 0, description: 'Undelivered and more than this many days past the promised date' })),
    delivered: Type.Optional(Type.Boolean({ description: 'The order has (true) or has not (false) been delivered' })),
    max_order_value: Type.Optional(Type.Integer({ minimum: 0, description: 'Order total at most this (minor units)' })),
    within_days_of_delivery: Type.Optional(Type.Integer({ minimum: 0 })),
    within_days_of_purchase: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** A playbook as the API shows it. */
export const PlaybookSchema = Type.Object({
  id: Uuid,
  store_id: Uuid,
  problem_kind: Type.String({ description: 'late_delivery, damaged_in_transit, wrong_item, missing_item, defective_warranty, price_drop, or a store’s own' }),
  name: Type.String(),
  description: Type.String(),
  keywords: Type.Array(Type.String(), { description: 'Words in a ticket’s tags or subject that point at this problem' }),
  conditions: PlaybookConditionsSchema,
  remedies: Type.Array(PlaybookRemedySchema),
  return_required: Type.Boolean(),
  is_active: Type.Boolean(),
  position: Type.Integer(),
  updated_at: Type.String({ format: 'date-time' }),
});

/** What a manager writes. */
export const PlaybookBody = Type.Object(
  {
    problem_kind: Type.String({ minLength: 1, maxLength: 60 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    keywords: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })),
    conditions: Type.Optional(PlaybookConditionsSchema),
    remedies: Type.Array(PlaybookRemedySchema, { minItems: 1, maxItems: 10 }),
    return_required: Type.Optional(Type.Boolean()),
    is_active: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

/** Suggestions for a ticket. */
export const SuggestionsSchema = Type.Object({
  order_number: Type.Union([Type.String(), Type.Null()]),
  problems: Type.Array(Type.Object({ kind: Type.String(), source: Type.String({ description: 'chosen, tag, subject or order' }) })),
  suggestions: Type.Array(Type.Object({
    playbook: PlaybookSchema,
    problem_source: Type.Union([Type.String(), Type.Null()]),
    fits: Type.Boolean({ description: 'Every condition holds for this order' }),
    met: Type.Array(Type.String()),
    unmet: Type.Array(Type.String()),
    remedies: Type.Array(Type.Object({
      ...PlaybookRemedySchema.properties,
      prefill: Type.Object({ action: Type.String(), params: Type.Record(Type.String(), Type.Unknown(), { description: 'Parameters for POST /tickets/{id}/order-actions: what can still be given' }) }),
      standing: Type.Union([
        Type.Object({
          state: Type.Union([Type.Literal('available'), Type.Literal('partial'), Type.Literal('given'), Type.Literal('awaiting_approval'), Type.Literal('unavailable')], {
            description: 'available: as the playbook says; partial: only what is left is pre-filled; given: already given on this order; awaiting_approval: asked for, a manager decides; unavailable: not possible on this order',
          }),
          note: Type.Union([Type.String(), Type.Null()], { description: 'One sentence for the agent when not simply available' }),
          by: Type.Union([Type.Object({ name: Type.Union([Type.String(), Type.Null()]), at: Type.String({ format: 'date-time' }) }), Type.Null()], { description: 'Who gave (or asked for) it and when, from storedesk’s records' }),
        }),
        Type.Null(),
      ], { description: 'How the remedy stands on this order; null without an order' }),
    })),
  })),
});

/** Presents a playbook. */
export function presentPlaybook(p: Playbook) {
  return {
    id: p.id, store_id: p.storeId, problem_kind: p.problemKind, name: p.name, description: p.description, keywords: p.keywords, conditions: p.conditions,
    remedies: p.remedies.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))) as Static<typeof PlaybookRemedySchema>[],
    return_required: p.returnRequired, is_active: p.isActive, position: p.position, updated_at: p.updatedAt.toISOString(),
  };
}

/** Presents suggestions. */
export function presentSuggestions(s: PlaybookSuggestions) {
  return {
    order_number: s.orderNumber,
    problems: s.problems,
    suggestions: s.suggestions.map((x) => ({
      playbook: presentPlaybook(x.playbook), problem_source: x.problemSource, fits: x.fits, met: x.met, unmet: x.unmet,
      remedies: x.remedies.map(({ prefill, standing, ...r }) => ({
        ...(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Static<typeof PlaybookRemedySchema>),
        prefill,
        standing: standing ? { state: standing.state, note: standing.note, by: standing.by ? { name: standing.by.name, at: standing.by.at.toISOString() } : null } : null,
      })),
    })),
  };
}

/** The service's input from the API's body. */
export function playbookInputFromBody(b: Static<typeof PlaybookBody>): PlaybookInput {
  return {
    problemKind: b.problem_kind, name: b.name, description: b.description, keywords: b.keywords, conditions: b.conditions, remedies: b.remedies,
    returnRequired: b.return_required, isActive: b.is_active, position: b.position,
  };
}
