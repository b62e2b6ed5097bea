/**
 * Mailboxes: the support addresses a store receives at and sends from. Each says which
 * recipient addresses and domains the SMTP listener accepts for it, how replies leave (relay,
 * DKIM) and which IMAP account, if any, is polled. Secrets are encrypted at rest and never shown.
 */
import type { ImapAuthMethod, MailboxRow, SmtpSecurity } from '../../../db/schema.ts';
import { AppError, notFound } from '../../../shared/errors.ts';
import { inTransaction, requireRole, type Ctx } from '../../../shared/context.ts';
import { resolveStoreId } from '../../stores/stores.service.ts';
import { decryptSecret, encryptSecret } from '../../../shared/secrets.ts';
import { imapOAuthMode, isAcceptableTokenUrl } from './imap-oauth.ts';
import * as q from './email.queries.ts';

/** Relay settings for outbound mail. */
export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  /** Undefined keeps the stored password, null removes it. */
  password?: string | null | undefined;
}

/** DKIM signing settings. */
export interface DkimSettings {
  domain: string;
  selector: string;
  /** PEM private key; undefined keeps the stored key. */
  privateKey?: string | undefined;
}

/**
 * OAuth 2.0 login settings for IMAP. Secrets are write-only: undefined keeps the stored value,
 * null removes it. Either a static access token, or a refresh token with the client id, (for a
 * confidential client) its secret, and the token endpoint storedesk refreshes access tokens at.
 */
export interface ImapOAuthSettings {
  /** A static access token; replaces any refresh token. */
  accessToken?: string | null | undefined;
  /** A refresh token; replaces any static access token. */
  refreshToken?: string | null | undefined;
  clientId?: string | null | undefined;
  clientSecret?: string | null | undefined;
  tokenUrl?: string | null | undefined;
  /** Scope asked for on refresh (e.g. https://mail.google.com/); none by default. */
  scope?: string | null | undefined;
}

/** IMAP polling settings. */
export interface ImapSettings {
  enabled: boolean;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  /** Password (the default) or an OAuth access token (XOAUTH2 / OAUTHBEARER). */
  auth?: ImapAuthMethod | undefined;
  password?: string | null | undefined;
  oauth?: ImapOAuthSettings | null | undefined;
  folder?: string | undefined;
  afterImport?: 'flag' | 'move' | undefined;
  moveTo?: string | null | undefined;
}

/** What an admin sends to create or change a mailbox. */
export interface MailboxInput {
  address?: string | undefined;
  displayName?: string | null | undefined;
  acceptedAddresses?: string[] | undefined;
  acceptedDomains?: string[] | undefined;
  signature?: string | null | undefined;
  isDefault?: boolean | undefined;
  storeId?: string | undefined;
  smtp?: SmtpSettings | null | undefined;
  dkim?: DkimSettings | null | undefined;
  imap?: ImapSettings | null | undefined;
}

/** A mailbox as the API shows it: secrets replaced by whether they are set. */
export interface Mailbox {
  id: string;
  storeId: string;
  address: string;
  displayName: string | null;
  acceptedAddresses: string[];
  acceptedDomains: string[];
  signature: string | null;
  isDefault: boolean;
  smtp: { host: string; port: number; security: SmtpSecurity; user: string | null; passwordSet: boolean } | null;
  dkim: { domain: string; selector: string; privateKeySet: boolean } | null;
  imap: {
    enabled: boolean; host: string; port: number; tls: boolean; user: string; passwordSet: boolean; folder: string;
    afterImport: 'flag' | 'move'; moveTo: string | null; lastUid: number; lastPollAt: Date | null; lastError: string | null;
    auth: ImapAuthMethod;
    oauth: {
      mode: 'static' | 'refresh' | null; clientId: string | null; tokenUrl: string | null; scope: string | null;
      accessTokenSet: boolean; refreshTokenSet: boolean; clientSecretSet: boolean; accessTokenExpiresAt: Date | null;
    } | null;
  } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Maps a row to the API's view of a mailbox. */
export function toMailbox(r: MailboxRow): Mailbox {
  return {
    id: r.id,
    storeId: r.store_id,
    address: r.address,
    displayName: r.display_name,
    acceptedAddresses: r.accepted_addresses,
    acceptedDomains: r.accepted_domains,
    signature: r.signature,
    isDefault: r.is_default,
    smtp: r.smtp_host ? { host: r.smtp_host, port: r.smtp_port ?? 587, security: r.smtp_security, user: r.smtp_user, passwordSet: Boolean(r.smtp_password_enc) } : null,
    dkim: r.dkim_domain && r.dkim_selector ? { domain: r.dkim_domain, selector: r.dkim_selector, privateKeySet: Boolean(r.dkim_private_key_enc) } : null,
    imap: r.imap_host
      ? {
          enabled: r.imap_enabled, host: r.imap_host, port: r.imap_port ?? 993, tls: r.imap_tls, user: r.imap_user ?? '', passwordSet: Boolean(r.imap_password_enc),
          folder: r.imap_folder, afterImport: r.imap_after_import, moveTo: r.imap_move_to, lastUid: r.imap_last_uid, lastPollAt: r.imap_last_poll_at,
          lastError: r.imap_last_error,
          auth: r.imap_auth,
          oauth: r.imap_auth === 'oauth2'
            ? {
                mode: imapOAuthMode(r), clientId: r.imap_oauth_client_id, tokenUrl: r.imap_oauth_token_url, scope: r.imap_oauth_scope,
                accessTokenSet: Boolean(r.imap_oauth_access_token_enc), refreshTokenSet: Boolean(r.imap_oauth_refresh_token_enc),
                clientSecretSet: Boolean(r.imap_oauth_client_secret_enc), accessTokenExpiresAt: r.imap_oauth_refresh_token_enc ? r.imap_oauth_expires_at : null,
              }
            : null,
        }
      : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const lower = (list: string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))];

/** Turns API input into column values, encrypting secrets. */
function columnsOf(input: MailboxInput, key: Buffer, current?: MailboxRow) {
  const cols: Partial<Record<string, unknown>> = {};
  if (input.address !== undefined) cols.address = input.address.trim().toLowerCase();
  if (input.displayName !== undefined) cols.display_name = input.displayName?.trim() || null;
  if (input.acceptedAddresses !== undefined) cols.accepted_addresses = lower(input.acceptedAddresses);
  if (input.acceptedDomains !== undefined) cols.accepted_domains = lower(input.acceptedDomains);
  if (input.signature !== undefined) cols.signature = input.signature || null;
  if (input.isDefault !== undefined) cols.is_default = input.isDefault;
  if (input.smtp === null) {
    Object.assign(cols, { smtp_host: null, smtp_port: null, smtp_user: null, smtp_password_enc: null });
  } else if (input.smtp) {
    const s = input.smtp;
    Object.assign(cols, { smtp_host: s.host.trim(), smtp_port: s.port, smtp_security: s.security, smtp_user: s.user?.trim() || null });
    if (s.password !== undefined) cols.smtp_password_enc = s.password ? encryptSecret(key, s.password) : null;
  }
  if (input.dkim === null) {
    Object.assign(cols, { dkim_domain: null, dkim_selector: null, dkim_private_key_enc: null });
  } else if (input.dkim) {
    const d = input.dkim;
    if (!d.privateKey && !current?.dkim_private_key_enc) {
      throw new AppError('validation_failed', 'A DKIM private key is needed.', { errors: [{ field: 'dkim.private_key', message: 'is required' }] });
    }
    if (d.privateKey && !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(d.privateKey)) {
      throw new AppError('validation_failed', 'The DKIM key must be a PEM private key.', { errors: [{ field: 'dkim.private_key', message: 'is not a PEM private key' }] });
    }
    Object.assign(cols, { dkim_domain: d.domain.trim().toLowerCase(), dkim_selector: d.selector.trim() });
    if (d.privateKey) cols.dkim_private_key_enc = encryptSecret(key, d.privateKey);
  }
  if (input.imap === null) {
    Object.assign(cols, { imap_enabled: false, imap_host: null, imap_port: null, imap_user: null, imap_password_enc: null, imap_auth: 'password', ...oauthColumnsCleared });
  } else if (input.imap) {
    const i = input.imap;
    if (i.afterImport === 'move' && !i.moveTo && !current?.imap_move_to) {
      throw new AppError('validation_failed', 'Name the folder imported mail moves to.', { errors: [{ field: 'imap.move_to', message: 'is required when after_import is move' }] });
    }
    Object.assign(cols, { imap_enabled: i.enabled, imap_host: i.host.trim(), imap_port: i.port, imap_tls: i.tls, imap_user: i.user.trim() });
    if (i.folder !== undefined) cols.imap_folder = i.folder;
    if (i.afterImport !== undefined) cols.imap_after_import = i.afterImport;
    if (i.moveTo !== undefined) cols.imap_move_to = i.moveTo;
    if (i.password !== undefined) cols.imap_password_enc = i.password ? encryptSecret(key, i.password) : null;
    if (i.auth !== undefined) cols.imap_auth = i.auth;
    Object.assign(cols, oauthColumnsOf(i, key, current));
    if (current && (current.imap_host !== i.host.trim() || current.imap_user !== i.user.trim() || (i.folder !== undefined && i.folder !== current.imap_folder))) {
      // Another account or folder: its UIDs mean something else.
      Object.assign(cols, { imap_uid_validity: null, imap_last_uid: 0 });
    }
  }
  return cols;
}

const oauthColumnsCleared = {
  imap_oauth_access_token_enc: null, imap_oauth_expires_at: null, imap_oauth_refresh_token_enc: null, imap_oauth_client_id: null,
  imap_oauth_client_secret_enc: null, imap_oauth_token_url: null, imap_oauth_scope: null,
};

const invalid = (field: string, message: string, detail: string) => new AppError('validation_failed', detail, { errors: [{ field, message }] });

/** Column values for a mailbox's OAuth login, checked against what is already stored. */
function oauthColumnsOf(i: ImapSettings, key: Buffer, current?: MailboxRow): Partial<Record<string, unknown>> {
  const cols: Partial<Record<string, unknown>> = {};
  const o = i.oauth;
  // Switching the login method drops the other method's secrets: nothing unused is kept.
  if (i.auth === 'password') return { ...oauthColumnsCleared };
  if (i.auth === 'oauth2' && !i.password) cols.imap_password_enc = null;
  if (o === null) Object.assign(cols, oauthColumnsCleared);
  else if (o) {
    if (o.accessToken && o.refreshToken) throw invalid('imap.oauth', 'has both tokens', 'Give either a static access token or a refresh token, not both.');
    if (o.tokenUrl && !isAcceptableTokenUrl(o.tokenUrl)) {
      throw invalid('imap.oauth.token_url', 'must be an https:// address', 'The token endpoint must be an https:// address (plain http only on this machine), without credentials in it.');
    }
    if (o.clientId !== undefined) cols.imap_oauth_client_id = o.clientId?.trim() || null;
    if (o.clientSecret !== undefined) cols.imap_oauth_client_secret_enc = o.clientSecret ? encryptSecret(key, o.clientSecret) : null;
    if (o.tokenUrl !== undefined) cols.imap_oauth_token_url = o.tokenUrl?.trim() || null;
    if (o.scope !== undefined) cols.imap_oauth_scope = o.scope?.trim() || null;
    if (o.accessToken !== undefined) {
      // A static token: no refresh, no expiry known.
      Object.assign(cols, { imap_oauth_access_token_enc: o.accessToken ? encryptSecret(key, o.accessToken) : null, imap_oauth_expires_at: null });
      if (o.accessToken) cols.imap_oauth_refresh_token_enc = null;
    }
    if (o.refreshToken !== undefined) cols.imap_oauth_refresh_token_enc = o.refreshToken ? encryptSecret(key, o.refreshToken) : null;
    const changed = (col: 'imap_oauth_client_id' | 'imap_oauth_token_url' | 'imap_oauth_scope') => col in cols && cols[col] !== (current?.[col] ?? null);
    const grantChanged = Boolean(o.refreshToken) || o.clientSecret !== undefined || changed('imap_oauth_client_id') || changed('imap_oauth_token_url') || changed('imap_oauth_scope');
    if (!o.accessToken && grantChanged && (o.refreshToken || current?.imap_oauth_refresh_token_enc)) {
      // The cached access token belongs to the old grant.
      Object.assign(cols, { imap_oauth_access_token_enc: null, imap_oauth_expires_at: null });
    }
  }
  const auth = i.auth ?? current?.imap_auth ?? 'password';
  if (auth === 'oauth2') {
    const has = (col: keyof MailboxRow) => (col in cols ? Boolean(cols[col]) : Boolean(current?.[col]));
    const refresh = has('imap_oauth_refresh_token_enc');
    if (!refresh && !has('imap_oauth_access_token_enc')) {
      throw invalid('imap.oauth', 'needs a token', 'OAuth login needs an access token, or a refresh token with the client id and token endpoint.');
    }
    if (refresh && !has('imap_oauth_client_id')) throw invalid('imap.oauth.client_id', 'is required with a refresh token', 'A refresh token needs the OAuth client id.');
    if (refresh && !has('imap_oauth_token_url')) throw invalid('imap.oauth.token_url', 'is required with a refresh token', 'A refresh token needs the token endpoint address.');
  }
  return cols;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** All mailboxes. */
export async function listMailboxes(ctx: Ctx): Promise<Mailbox[]> {
  requireRole(ctx, 'admin');
  return (await q.listMailboxes(ctx.db)).map(toMailbox);
}

/** One mailbox. */
export async function getMailbox(ctx: Ctx, id: string): Promise<Mailbox> {
  requireRole(ctx, 'admin');
  const row = await q.findMailbox(ctx.db, id);
  if (!row) throw notFound('The mailbox');
  return toMailbox(row);
}

/** Creates a mailbox; the first one of a store becomes its default. */
export async function createMailbox(ctx: Ctx, key: Buffer, input: MailboxInput & { address: string }): Promise<Mailbox> {
  requireRole(ctx, 'admin');
  try {
    return await inTransaction(ctx, async (tx) => {
      const storeId = await resolveStoreId(tx, input.storeId);
      const hasDefault = Boolean(await q.findDefaultMailbox(tx.db, storeId));
      const cols = columnsOf({ ...input, isDefault: input.isDefault ?? !hasDefault }, key);
      const row = await q.insertMailbox(tx.db, { ...cols, store_id: storeId, address: input.address.trim().toLowerCase() });
      if (row.is_default) await q.clearDefaultMailbox(tx.db, storeId, row.id);
      return toMailbox(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('already_exists', `A mailbox for ${input.address} already exists.`, { errors: [{ field: 'address', message: 'is already used' }] });
    throw err;
  }
}

/** Changes a mailbox; omitted fields and omitted passwords stay as they are. */
export async function updateMailbox(ctx: Ctx, key: Buffer, id: string, input: MailboxInput): Promise<Mailbox> {
  requireRole(ctx, 'admin');
  try {
    return await inTransaction(ctx, async (tx) => {
      const current = await q.findMailbox(tx.db, id);
      if (!current) throw notFound('The mailbox');
      const row = await q.updateMailbox(tx.db, id, columnsOf(input, key, current));
      if (!row) throw notFound('The mailbox');
      if (row.is_default) await q.clearDefaultMailbox(tx.db, row.store_id, row.id);
      return toMailbox(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('already_exists', 'Another mailbox already uses this address.', { errors: [{ field: 'address', message: 'is already used' }] });
    throw err;
  }
}

/** Deletes a mailbox; mail it received stays on its tickets. */
export async function deleteMailbox(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'admin');
  if (!(await q.deleteMailbox(ctx.db, id))) throw notFound('The mailbox');
}

/** The mailbox that accepts mail for a recipient address: exact address, extra address, or domain. */
export function matchMailbox(mailboxes: readonly MailboxRow[], recipient: string): MailboxRow | undefined {
  const rcpt = recipient.trim().toLowerCase();
  const domain = rcpt.split('@')[1] ?? '';
  return (
    mailboxes.find((m) => m.address === rcpt) ??
    mailboxes.find((m) => m.accepted_addresses.includes(rcpt)) ??
    mailboxes.find((m) => m.accepted_domains.includes(domain))
  );
}

/** A mailbox's secrets in clear, for the sender and the poller only. */
export function mailboxSecrets(row: MailboxRow, key: Buffer): { smtpPassword: string | null; imapPassword: string | null; dkimPrivateKey: string | null } {
  return {
    smtpPassword: row.smtp_password_enc ? decryptSecret(key, row.smtp_password_enc) : null,
    imapPassword: row.imap_password_enc ? decryptSecret(key, row.imap_password_enc) : null,
    dkimPrivateKey: row.dkim_private_key_enc ? decryptSecret(key, row.dkim_private_key_enc) : null,
  };
}
