/**
 * Configuration from the environment: the defaults a fresh `npm start` runs with, and a clear
 * error naming the variable for every value that cannot work.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs with nothing set: embedded database under ./data, demo on, SMTP on 2525, prepared statements, parse workers', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.demo).toBe(true);
    expect(c.smtpPort).toBe(2525);
    expect(c.emailMaxBytes).toBe(25 * 1024 * 1024);
    expect(c.databasePreparedStatements).toBe(true);
    expect(c.emailParseWorkers).toBe(Math.min(4, Math.max(1, os.availableParallelism() - 1)));
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.secureCookies).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads what is set', () => {
    const c = loadConfig({
      PORT: '8080', DATABASE_URL: 'postgres://sd@db/storedesk', DATABASE_PREPARED_STATEMENTS: 'off', EMAIL_PARSE_WORKERS: '0',
      STOREDESK_PUBLIC_URL: 'https://help.shop.test/', STOREDESK_DEMO: 'false', EMAIL_SENDER_HOURLY_LIMIT: '5',
    });
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBe('postgres://sd@db/storedesk');
    expect(c.databasePreparedStatements).toBe(false);
    expect(c.emailParseWorkers).toBe(0);
    expect(c.publicUrl).toBe('https://help.shop.test');
    // An https public address means cookies only travel over TLS.
    expect(c.secureCookies).toBe(true);
    expect(c.demo).toBe(false);
    expect(c.emailSenderHourlyLimit).toBe(5);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer between 0 and 65535, got "eighty"/],
    [{ PORT: '70000' }, /PORT must be an integer/],
    [{ DATABASE_URL: 'mysql://db/x' }, /DATABASE_URL must start with postgres:\/\//],
    [{ DATABASE_PREPARED_STATEMENTS: 'maybe' }, /DATABASE_PREPARED_STATEMENTS must be true or false, got "maybe"/],
    [{ EMAIL_PARSE_WORKERS: '-1' }, /EMAIL_PARSE_WORKERS must be an integer between 0 and 64/],
    [{ EMAIL_PARSE_WORKERS: '1.5' }, /EMAIL_PARSE_WORKERS must be an integer/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ STOREDESK_ADMIN_EMAIL: 'a@shop.test' }, /STOREDESK_ADMIN_EMAIL and STOREDESK_ADMIN_PASSWORD must be set together/],
    [{ STOREDESK_ADMIN_EMAIL: 'a@shop.test', STOREDESK_ADMIN_PASSWORD: 'short' }, /STOREDESK_ADMIN_PASSWORD must be at least 8 characters/],
    [{ EMAIL_MAX_BYTES: '10' }, /EMAIL_MAX_BYTES must be an integer between 1024/],
  ])('refuses %o with an error naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
