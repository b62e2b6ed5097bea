/**
 * HTTP for the email channel: mailbox administration, the local outbox, and agents' access to
 * attachments, original emails and failed deliveries.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../../../http/app.ts';
import { blobStoreFor } from '../../../blobs/blob-store.ts';
import { secretKeyFor } from '../../../shared/secrets.ts';
import {
  AttachmentParams, CreateMailboxBody, MailboxIdParam, MailboxSchema, MessageIdParam, OutboxEntrySchema, OutboxQuery, PatchMailboxBody,
  mailboxInputFrom, presentMailbox, presentOutboxEntry,
} from './email.schema.ts';
import { createMailbox, deleteMailbox, getMailbox, listMailboxes, updateMailbox } from './mailboxes.service.ts';
import { getAttachment, getOutboxRaw, getRawEmail, isInlineSafe, listOutbox } from './email.service.ts';
import { retryMessageDelivery } from './outbound.service.ts';

/** A Content-Disposition value that survives any file name. */
function disposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function emailRoutes(app: App) {
  const config = app.storedesk.config;
  const blobs = blobStoreFor(config);
  const key = () => secretKeyFor(config, (line) => app.log.warn(line));

  app.get(
    '/mailboxes',
    { config: { auth: 'admin' }, schema: { tags: ['email'], summary: 'All mailboxes', response: { 200: Type.Object({ items: Type.Array(MailboxSchema) }) } } },
    async (request) => ({ items: (await listMailboxes(request.ctx)).map(presentMailbox) }),
  );

  app.post(
    '/mailboxes',
    {
      config: { auth: 'admin' },
      schema: { tags: ['email'], summary: 'Add a mailbox: address, accepted recipients, relay, DKIM and IMAP settings', body: CreateMailboxBody, response: { 201: MailboxSchema } },
    },
    async (request, reply) => {
      const created = await createMailbox(request.ctx, key(), { ...mailboxInputFrom(request.body), address: request.body.address });
      return reply.status(201).header('location', `/api/v1/mailboxes/${created.id}`).send(presentMailbox(created));
    },
  );

  app.get(
    '/mailboxes/:id',
    { config: { auth: 'admin' }, schema: { tags: ['email'], summary: 'One mailbox (secrets are never returned)', params: MailboxIdParam, response: { 200: MailboxSchema } } },
    async (request) => presentMailbox(await getMailbox(request.ctx, request.params.id)),
  );

  app.patch(
    '/mailboxes/:id',
    {
      config: { auth: 'admin' },
      schema: { tags: ['email'], summary: 'Change a mailbox; omitted passwords are kept', params: MailboxIdParam, body: PatchMailboxBody, response: { 200: MailboxSchema } },
    },
    async (request) => presentMailbox(await updateMailbox(request.ctx, key(), request.params.id, mailboxInputFrom(request.body))),
  );

  app.delete(
    '/mailboxes/:id',
    { config: { auth: 'admin' }, schema: { tags: ['email'], summary: 'Remove a mailbox (its mail stays on the tickets)', params: MailboxIdParam } },
    async (request, reply) => {
      await deleteMailbox(request.ctx, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/outbox',
    {
      config: { auth: 'admin' },
      schema: { tags: ['email'], summary: 'Mail kept on this machine because no relay is configured', querystring: OutboxQuery, response: { 200: Type.Object({ items: Type.Array(OutboxEntrySchema) }) } },
    },
    async (request) => ({ items: (await listOutbox(request.ctx, request.query.limit ?? 50)).map(presentOutboxEntry) }),
  );

  app.get(
    '/outbox/:id/raw',
    { config: { auth: 'admin' }, schema: { tags: ['email'], summary: 'One outbox email as .eml', params: MailboxIdParam } },
    async (request, reply) => {
      const bytes = await getOutboxRaw(request.ctx, blobs, request.params.id);
      return reply.type('message/rfc822').header('content-disposition', disposition('attachment', `${request.params.id}.eml`)).header('x-content-type-options', 'nosniff').send(bytes);
    },
  );

  app.get(
    '/messages/:id/attachments/:attachmentId',
    { config: { auth: 'agent' }, schema: { tags: ['email'], summary: 'Download an attachment (anything a browser could run is served as a download)', params: AttachmentParams } },
    async (request, reply) => {
      const { meta, bytes } = await getAttachment(request.ctx, blobs, request.params.id, request.params.attachmentId);
      const inline = isInlineSafe(meta.content_type);
      return reply
        .type(inline ? meta.content_type : 'application/octet-stream')
        .header('content-disposition', disposition(inline ? 'inline' : 'attachment', meta.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(bytes);
    },
  );

  app.get(
    '/messages/:id/raw',
    { config: { auth: 'agent' }, schema: { tags: ['email'], summary: 'The original email (.eml) of a message', params: MessageIdParam } },
    async (request, reply) => {
      const bytes = await getRawEmail(request.ctx, blobs, request.params.id);
      return reply.type('message/rfc822').header('content-disposition', disposition('attachment', `message-${request.params.id}.eml`)).header('x-content-type-options', 'nosniff').send(bytes);
    },
  );

  app.post(
    '/messages/:id/retry',
    {
      config: { auth: 'agent' },
      schema: { tags: ['email'], summary: 'Send a failed email again', params: MessageIdParam, response: { 202: Type.Object({ delivery_status: Type.Literal('queued') }) } },
    },
    async (request, reply) => {
      await retryMessageDelivery(request.ctx, request.params.id);
      return reply.status(202).send({ delivery_status: 'queued' as const });
    },
  );
}
