/**
 * API shapes for mailboxes and the local outbox, and the presenters that map domain objects to
 * them. Secrets go in, never out: responses say only whether a password or key is set.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Mailbox, MailboxInput } from './mailboxes.service.ts';
import type { OutboxEntry } from './email.service.ts';

const Uuid = Type.String({ format: 'uuid' });
const Email = Type.String({ format: 'email', maxLength: 320 });
const Host = Type.String({ minLength: 1, maxLength: 255 });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** Relay settings as sent by an admin. */
const SmtpInput = Type.Object(
  {
    host: Host,
    port: Port,
    security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')], { description: 'tls: implicit TLS (465); starttls: upgrade required (587); none: plain (local relays only)' }),
    user: Type.Optional(Nullable(Type.String({ maxLength: 320 }))),
    password: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Write-only. Omit to keep the stored password; null removes it.' }))),
  },
  { additionalProperties: false },
);

const DkimInput = Type.Object(
  {
    domain: Host,
    selector: Type.String({ minLength: 1, maxLength: 63 }),
    private_key: Type.Optional(Type.String({ maxLength: 10_000, description: 'Write-only PEM private key. Omit to keep the stored key.' })),
  },
  { additionalProperties: false },
);

const Secret = (description: string) => Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 8000, description }), Type.Null()]));

/** OAuth 2.0 login for IMAP, as sent by an admin. Secrets are write-only. */
const ImapOAuthInput = Type.Object(
  {
    access_token: Secret('Write-only static access token; replaces a stored refresh token. Omit to keep, null removes.'),
    refresh_token: Secret('Write-only refresh token; storedesk obtains and caches access tokens with it (replaces a static access token).'),
    client_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()])),
    client_secret: Secret('Write-only client secret, sent to the token endpoint with HTTP Basic authentication. Omit to keep, null for a public client.'),
    token_url: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 2000, description: 'Token endpoint (https://), e.g. https://oauth2.googleapis.com/token' }), Type.Null()])),
    scope: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 1000, description: 'Scope asked for on refresh; usually not needed' }), Type.Null()])),
  },
  { additionalProperties: false },
);

const ImapInput = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Poll this account for new mail' }),
    host: Host,
    port: Port,
    tls: Type.Boolean({ description: 'Implicit TLS (993) when true' }),
    user: Type.String({ minLength: 1, maxLength: 320 }),
    auth: Type.Optional(Type.Union([Type.Literal('password'), Type.Literal('oauth2')], { description: 'password (default) or oauth2 (XOAUTH2 / OAUTHBEARER with an access token)' })),
    password: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Write-only. Omit to keep the stored password.' }))),
    oauth: Type.Optional(Type.Union([ImapOAuthInput, Type.Null()], { description: 'OAuth settings for auth oauth2; omitted fields are kept, null removes them all' })),
    folder: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Folder to import from; INBOX by default' })),
    after_import: Type.Optional(Type.Union([Type.Literal('flag'), Type.Literal('move')], { description: 'flag: mark \\Seen and $StoredeskImported; move: move to move_to' })),
    move_to: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  },
  { additionalProperties: false },
);

const MailboxFields = {
  address: Email,
  display_name: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'Name shown in the From header' }))),
  accepted_addresses: Type.Optional(Type.Array(Email, { maxItems: 100, description: 'Other recipient addresses the SMTP listener accepts for this mailbox' })),
  accepted_domains: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 50, description: 'Whole domains accepted for this mailbox' })),
  signature: Type.Optional(Nullable(Type.String({ maxLength: 5000, description: 'Added under every reply sent from this mailbox' }))),
  is_default: Type.Optional(Type.Boolean({ description: 'Replies on tickets without a known mailbox are sent from the default one' })),
  store_id: Type.Optional(Uuid),
  smtp: Type.Optional(Type.Union([SmtpInput, Type.Null()], { description: 'Outbound relay; null keeps mail in the local outbox' })),
  dkim: Type.Optional(Type.Union([DkimInput, Type.Null()])),
  imap: Type.Optional(Type.Union([ImapInput, Type.Null()])),
};

/** Body of POST /mailboxes. */
export const CreateMailboxBody = Type.Object(MailboxFields, { additionalProperties: false });
export type CreateMailboxBodyT = Static<typeof CreateMailboxBody>;

/** Body of PATCH /mailboxes/:id. */
export const PatchMailboxBody = Type.Partial(Type.Object(MailboxFields), { additionalProperties: false, minProperties: 1 });
export type PatchMailboxBodyT = Static<typeof PatchMailboxBody>;

/** A mailbox as the API shows it. */
export const MailboxSchema = Type.Object({
  id: Uuid,
  store_id: Uuid,
  address: Type.String(),
  display_name: Type.Union([Type.String(), Type.Null()]),
  accepted_addresses: Type.Array(Type.String()),
  accepted_domains: Type.Array(Type.String()),
  signature: Type.Union([Type.String(), Type.Null()]),
  is_default: Type.Boolean(),
  smtp: Type.Union([
    Type.Object({ host: Type.String(), port: Type.Integer(), security: Type.String(), user: Type.Union([Type.String(), Type.Null()]), password_set: Type.Boolean() }),
    Type.Null(),
  ]),
  dkim: Type.Union([Type.Object({ domain: Type.String(), selector: Type.String(), private_key_set: Type.Boolean() }), Type.Null()]),
  imap: Type.Union([
    Type.Object({
      enabled: Type.Boolean(), host: Type.String(), port: Type.Integer(), tls: Type.Boolean(), user: Type.String(), password_set: Type.Boolean(),
      folder: Type.String(), after_import: Type.String(), move_to: Type.Union([Type.String(), Type.Null()]), last_uid: Type.Integer(),
      last_poll_at: Type.Union([DateTime, Type.Null()]), last_error: Type.Union([Type.String(), Type.Null()]),
      auth: Type.Union([Type.Literal('password'), Type.Literal('oauth2')]),
      oauth: Type.Union([
        Type.Object({
          mode: Type.Union([Type.Literal('static'), Type.Literal('refresh'), Type.Null()], { description: 'static access token, or refreshed with the refresh token' }),
          client_id: Type.Union([Type.String(), Type.Null()]),
          token_url: Type.Union([Type.String(), Type.Null()]),
          scope: Type.Union([Type.String(), Type.Null()]),
          access_token_set: Type.Boolean(),
          refresh_token_set: Type.Boolean(),
          client_secret_set: Type.Boolean(),
          access_token_expires_at: Type.Union([DateTime, Type.Null()], { description: 'When the cached access token runs out (refresh mode)' }),
        }),
        Type.Null(),
      ]),
    }),
    Type.Null(),
  ]),
  created_at: DateTime,
  updated_at: DateTime,
});

export const MailboxIdParam = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MessageIdParam = Type.Object({ id: Uuid }, { additionalProperties: false });
export const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Type.String({ pattern: '^[0-9a-f]{16}$' }) }, { additionalProperties: false });

/** One email in the local outbox. */
export const OutboxEntrySchema = Type.Object({
  id: Uuid,
  message_id: Uuid,
  ticket_id: Uuid,
  message_id_header: Type.String(),
  from: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  created_at: DateTime,
  sent_at: Type.Union([DateTime, Type.Null()]),
  raw_url: Type.String({ description: 'The .eml as it would have been sent' }),
});

export const OutboxQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false });

/** Maps API input to the service's input. */
export function mailboxInputFrom(b: PatchMailboxBodyT): MailboxInput {
  return {
    address: b.address,
    displayName: b.display_name,
    acceptedAddresses: b.accepted_addresses,
    acceptedDomains: b.accepted_domains,
    signature: b.signature,
    isDefault: b.is_default,
    storeId: b.store_id,
    smtp: b.smtp === undefined ? undefined : b.smtp && { host: b.smtp.host, port: b.smtp.port, security: b.smtp.security, user: b.smtp.user ?? null, password: b.smtp.password },
    dkim: b.dkim === undefined ? undefined : b.dkim && { domain: b.dkim.domain, selector: b.dkim.selector, privateKey: b.dkim.private_key },
    imap: b.imap === undefined ? undefined : b.imap && {
      enabled: b.imap.enabled, host: b.imap.host, port: b.imap.port, tls: b.imap.tls, user: b.imap.user, password: b.imap.password,
      folder: b.imap.folder, afterImport: b.imap.after_import, moveTo: b.imap.move_to, auth: b.imap.auth,
      oauth: b.imap.oauth === undefined ? undefined : b.imap.oauth && {
        accessToken: b.imap.oauth.access_token, refreshToken: b.imap.oauth.refresh_token, clientId: b.imap.oauth.client_id,
        clientSecret: b.imap.oauth.client_secret, tokenUrl: b.imap.oauth.token_url, scope: b.imap.oauth.scope,
      },
    },
  };
}

/** Presents a mailbox. */
export function presentMailbox(m: Mailbox) {
  return {
    id: m.id,
    store_id: m.storeId,
    address: m.address,
    display_name: m.displayName,
    accepted_addresses: m.acceptedAddresses,
    accepted_domains: m.acceptedDomains,
    signature: m.signature,
    is_default: m.isDefault,
    smtp: m.smtp && { host: m.smtp.host, port: m.smtp.port, security: m.smtp.security, user: m.smtp.user, password_set: m.smtp.passwordSet },
    dkim: m.dkim && { domain: m.dkim.domain, selector: m.dkim.selector, private_key_set: m.dkim.privateKeySet },
    imap: m.imap && {
      enabled: m.imap.enabled, host: m.imap.host, port: m.imap.port, tls: m.imap.tls, user: m.imap.user, password_set: m.imap.passwordSet,
      folder: m.imap.folder, after_import: m.imap.afterImport, move_to: m.imap.moveTo, last_uid: m.imap.lastUid,
      last_poll_at: m.imap.lastPollAt?.toISOString() ?? null, last_error: m.imap.lastError, auth: m.imap.auth,
      oauth: m.imap.oauth && {
        mode: m.imap.oauth.mode, client_id: m.imap.oauth.clientId, token_url: m.imap.oauth.tokenUrl, scope: m.imap.oauth.scope,
        access_token_set: m.imap.oauth.accessTokenSet, refresh_token_set: m.imap.oauth.refreshTokenSet, client_secret_set: m.imap.oauth.clientSecretSet,
        access_token_expires_at: m.imap.oauth.accessTokenExpiresAt?.toISOString() ?? null,
      },
    },
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}

/** Presents an outbox entry. */
export function presentOutboxEntry(o: OutboxEntry) {
  return {
    id: o.id,
    message_id: o.message_id,
    ticket_id: o.ticket_id,
    message_id_header: o.message_id_header,
    from: o.from_address,
    to: o.to_address,
    subject: o.subject,
    status: o.status,
    created_at: o.created_at.toISOString(),
    sent_at: o.sent_at?.toISOString() ?? null,
    raw_url: `/api/v1/outbox/${o.id}/raw`,
  };
}
