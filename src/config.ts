/**
 * Configuration, read once from the environment at boot, validated, and frozen.
 * Every variable is documented in the README's configuration table.
 */
import os from 'node:os';
import path from 'node:path';

/** The parsed, frozen configuration of one storedesk process. */
export interface Config {
  /** HTTP port of the API and the workspace. */
  readonly port: number;
  /** Interface the HTTP server binds to. */
  readonly host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  readonly databaseUrl: string | undefined;
  /** Whether PostgreSQL connections keep their statements prepared (off behind PgBouncer in transaction mode). */
  readonly databasePreparedStatements: boolean;
  /** Folder for the embedded database, blobs and other local state. */
  readonly dataDir: string;
  /** Whether the demo may load by itself into an empty embedded database. */
  readonly demo: boolean;
  /** First admin created at start when no admin exists. */
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  /** Public base URL used in links (emails, printed URL). */
  readonly publicUrl: string;
  /** Log level for the server logger. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Whether session cookies carry the Secure flag. */
  readonly secureCookies: boolean;
  /** How long an agent session lasts, in hours. */
  readonly sessionHours: number;
  /** Login attempts allowed per IP per minute. */
  readonly loginRateLimit: number;
  /** Email channel: SMTP listener port (0 picks a free port), bind address, and STARTTLS certificate. */
  readonly smtpPort: number;
  readonly smtpHost: string;
  readonly smtpTlsKeyFile: string | undefined;
  readonly smtpTlsCertFile: string | undefined;
  /** Largest inbound email accepted, in bytes (refused with 552 at SMTP time above it). */
  readonly emailMaxBytes: number;
  /** Inbound emails one sender may send per hour before being rate limited. */
  readonly emailSenderHourlyLimit: number;
  /** Worker threads that parse inbound email and write its blobs (0: the main thread does it). */
  readonly emailParseWorkers: number;
  /** Key that encrypts mailbox secrets at rest; when absent a key file in the data folder is used. */
  readonly secretKey: string | undefined;
}

/** Raised when an environment variable has an unusable value; names the variable. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses the environment into a frozen Config, failing fast with the variable's name. */
export function loadConfig(env: Env = process.env): Config {
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase();
  const level = LOG_LEVELS.find((l) => l === logLevel);
  if (!level) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const adminEmail = env.STOREDESK_ADMIN_EMAIL || undefined;
  const adminPassword = env.STOREDESK_ADMIN_PASSWORD || undefined;
  if ((adminEmail && !adminPassword) || (!adminEmail && adminPassword)) {
    throw new ConfigError('STOREDESK_ADMIN_EMAIL', 'and STOREDESK_ADMIN_PASSWORD must be set together');
  }
  if (adminPassword && adminPassword.length < 8) {
    throw new ConfigError('STOREDESK_ADMIN_PASSWORD', 'must be at least 8 characters');
  }
  const host = env.HOST || '0.0.0.0';
  const publicUrl = (env.STOREDESK_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  return Object.freeze({
    port,
    host,
    databaseUrl,
    databasePreparedStatements: readBool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    dataDir: path.resolve(env.STOREDESK_DATA_DIR || './data'),
    demo: readBool(env, 'STOREDESK_DEMO', true),
    adminEmail,
    adminPassword,
    publicUrl,
    logLevel: level,
    secureCookies: readBool(env, 'STOREDESK_SECURE_COOKIES', publicUrl.startsWith('https://')),
    sessionHours: readInt(env, 'STOREDESK_SESSION_HOURS', 24 * 14, 1, 24 * 365),
    loginRateLimit: readInt(env, 'STOREDESK_LOGIN_RATE_LIMIT', 10, 1, 10000),
    smtpPort: readInt(env, 'SMTP_PORT', 2525, 0, 65535),
    smtpHost: env.SMTP_HOST || '0.0.0.0',
    smtpTlsKeyFile: env.SMTP_TLS_KEY_FILE || undefined,
    smtpTlsCertFile: env.SMTP_TLS_CERT_FILE || undefined,
    emailMaxBytes: readInt(env, 'EMAIL_MAX_BYTES', 25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    emailSenderHourlyLimit: readInt(env, 'EMAIL_SENDER_HOURLY_LIMIT', 60, 1, 1_000_000),
    // One core stays for the main thread (and, usually, PostgreSQL); one worker at least.
    emailParseWorkers: readInt(env, 'EMAIL_PARSE_WORKERS', Math.min(4, Math.max(1, os.availableParallelism() - 1)), 0, 64),
    secretKey: env.STOREDESK_SECRET_KEY || undefined,
  });
}
