// The Medusa server storedesk's CI runs to test the Medusa connector against: PostgreSQL only
// (no Redis: Medusa falls back to its in-memory event bus, cache, locking and workflow engine),
// and no admin dashboard (nothing here needs it, and it saves building it).
const { defineConfig } = require('@medusajs/framework/utils');

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/storedesk_medusa',
    databaseDriverOptions: { connection: { ssl: false } },
    workerMode: 'shared',
    http: {
      storeCors: 'http://127.0.0.1:9100',
      adminCors: 'http://127.0.0.1:9100',
      authCors: 'http://127.0.0.1:9100',
      jwtSecret: process.env.JWT_SECRET || 'storedesk-ci-jwt-secret',
      cookieSecret: process.env.COOKIE_SECRET || 'storedesk-ci-cookie-secret',
    },
  },
  admin: { disable: true },
});
