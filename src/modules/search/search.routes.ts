/**
 * HTTP: global search.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { TicketSummarySchema, presentTicketSummary } from '../tickets/tickets.schema.ts';
import { searchAll } from './search.service.ts';

export async function searchRoutes(app: App) {
  app.get(
    '/search',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['search'],
        summary: 'Search tickets, messages and customers, ranked (web-search syntax: "quoted phrase", or, -exclude)',
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            tickets: Type.Array(TicketSummarySchema),
            messages: Type.Array(Type.Object({
              id: Type.String(), ticket_id: Type.String(), ticket_number: Type.Integer(), ticket_subject: Type.String(),
              kind: Type.String(), snippet: Type.String({ description: 'Plain text with <mark> around matches; escape everything else' }), created_at: Type.String(),
            })),
            customers: Type.Array(Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) })),
          }),
        },
      },
    },
    async (request) => {
      const r = await searchAll(request.ctx, request.query.q, request.query.limit ?? 20);
      return {
        tickets: r.tickets.map(presentTicketSummary),
        messages: r.messages.map((m) => ({ ...m, snippet: escapeSnippet(m.snippet), created_at: m.created_at.toISOString() })),
        customers: r.customers,
      };
    },
  );
}

/** Escapes a snippet's text while keeping the <mark> highlights ts_headline added. */
function escapeSnippet(snippet: string): string {
  return snippet
    .split(/(<mark>|<\/mark>)/)
    .map((part) => (part === '<mark>' || part === '</mark>' ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}
