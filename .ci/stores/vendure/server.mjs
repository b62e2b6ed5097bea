// A real Vendure 3 server for storedesk's Vendure connector tests, started by .ci/setup-vendure.sh.
// It listens on 127.0.0.1 (admin API /admin-api, shop API /shop-api), keeps its data in a
// PostgreSQL database of its own, and on every start makes sure the store is set up the way the
// tests expect: euro prices with tax included, Dutch VAT at 21 %, a test card payment method
// (Vendure's dummy handler, settled at once) and two shipping methods. Products, customers and
// orders are seeded by the tests themselves, through Vendure's own APIs.
import pg from 'pg';
import { bootstrap, dummyPaymentHandler, manualFulfillmentHandler } from '@vendure/core';

process.env.VENDURE_DISABLE_TELEMETRY = 'true';

const port = Number(process.env.VENDURE_PORT ?? 3100);
const dbUrl = new URL(process.env.VENDURE_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/storedesk_vendure');
const database = decodeURIComponent(dbUrl.pathname.slice(1)) || 'storedesk_vendure';
const superadmin = {
  identifier: process.env.VENDURE_SUPERADMIN_USER ?? 'superadmin',
  password: process.env.VENDURE_SUPERADMIN_PASS ?? 'superadmin',
};

const log = (...args) => console.error('[vendure-ci]', ...args);

/** Creates the server's database on first start. */
async function ensureDatabase() {
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      log(`creating database ${database}`);
      await client.query(`create database "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

await ensureDatabase();

const app = await bootstrap({
  apiOptions: {
    hostname: '127.0.0.1',
    port,
    adminApiPath: 'admin-api',
    shopApiPath: 'shop-api',
  },
  authOptions: {
    // Bearer tokens and API keys for API clients (storedesk), cookies for browsers.
    tokenMethod: ['bearer', 'cookie', 'api-key'],
    superadminCredentials: superadmin,
    requireVerification: false,
    cookieOptions: { secret: 'storedesk-ci-vendure' },
  },
  dbConnectionOptions: {
    type: 'postgres',
    host: dbUrl.hostname,
    port: Number(dbUrl.port || 5432),
    username: decodeURIComponent(dbUrl.username || 'postgres'),
    password: decodeURIComponent(dbUrl.password || ''),
    database,
    // A throw-away test server: the schema follows the installed Vendure version.
    synchronize: true,
    logging: false,
  },
  paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
  shippingOptions: { fulfillmentHandlers: [manualFulfillmentHandler] },
  plugins: [],
});

// ---------------------------------------------------------------------------------------------
// Store settings, through the Admin API like an admin would (idempotent).

const adminUrl = `http://127.0.0.1:${port}/admin-api`;
let token = '';

async function gql(query, variables = {}) {
  const res = await fetch(adminUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const next = res.headers.get('vendure-auth-token');
  if (next) token = next;
  const body = await res.json();
  if (body.errors?.length) throw new Error(`Admin API: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

/** Throws when a mutation answered one of Vendure's ErrorResults. */
function ok(result, what) {
  if (result && typeof result === 'object' && 'errorCode' in result) throw new Error(`${what}: ${result.errorCode} ${result.message}`);
  return result;
}

async function configureStore() {
  ok((await gql(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { ... on CurrentUser { id } ... on ErrorResult { errorCode message } } }`,
    { u: superadmin.identifier, p: superadmin.password })).login, 'login');

  const en = 'en';
  let { countries } = await gql(`{ countries(options: { filter: { code: { eq: "NL" } } }) { items { id } } }`);
  let nlId = countries.items[0]?.id;
  if (!nlId) {
    nlId = (await gql(`mutation($i: CreateCountryInput!) { createCountry(input: $i) { id } }`,
      { i: { code: 'NL', enabled: true, translations: [{ languageCode: en, name: 'Netherlands' }] } })).createCountry.id;
  }
  const { zones } = await gql(`{ zones(options: { filter: { name: { eq: "Europe" } } }) { items { id } } }`);
  let zoneId = zones.items[0]?.id;
  if (!zoneId) zoneId = (await gql(`mutation($i: CreateZoneInput!) { createZone(input: $i) { id } }`, { i: { name: 'Europe', memberIds: [nlId] } })).createZone.id;

  const { taxCategories } = await gql(`{ taxCategories { items { id name } } }`);
  let categoryId = taxCategories.items.find((c) => c.name === 'Standard')?.id;
  if (!categoryId) {
    categoryId = (await gql(`mutation($i: CreateTaxCategoryInput!) { createTaxCategory(input: $i) { id } }`, { i: { name: 'Standard', isDefault: true } })).createTaxCategory.id;
  }
  const { taxRates } = await gql(`{ taxRates { items { id name } } }`);
  if (!taxRates.items.some((r) => r.name === 'NL standard 21%')) {
    await gql(`mutation($i: CreateTaxRateInput!) { createTaxRate(input: $i) { id } }`,
      { i: { name: 'NL standard 21%', enabled: true, value: 21, categoryId, zoneId } });
  }

  const { activeChannel } = await gql(`{ activeChannel { id code token defaultCurrencyCode pricesIncludeTax defaultTaxZone { id } } }`);
  if (activeChannel.defaultCurrencyCode !== 'EUR' || !activeChannel.pricesIncludeTax || !activeChannel.defaultTaxZone) {
    ok((await gql(`mutation($i: UpdateChannelInput!) { updateChannel(input: $i) { ... on Channel { id } ... on ErrorResult { errorCode message } } }`, {
      i: {
        id: activeChannel.id, defaultCurrencyCode: 'EUR', availableCurrencyCodes: ['EUR'], pricesIncludeTax: true,
        defaultTaxZoneId: zoneId, defaultShippingZoneId: zoneId, defaultLanguageCode: en,
      },
    })).updateChannel, 'updateChannel');
  }

  const { paymentMethods } = await gql(`{ paymentMethods { items { id code } } }`);
  const methods = [
    { code: 'test-card', settle: true, name: 'Test card', description: 'Settled at once (Vendure dummy handler)' },
    { code: 'test-card-authorize', settle: false, name: 'Test card (authorize only)', description: 'Authorized, captured later (Vendure dummy handler)' },
  ];
  for (const m of methods) {
    if (paymentMethods.items.some((x) => x.code === m.code)) continue;
    await gql(`mutation($i: CreatePaymentMethodInput!) { createPaymentMethod(input: $i) { id } }`, {
      i: {
        code: m.code, enabled: true,
        handler: { code: dummyPaymentHandler.code, arguments: [{ name: 'automaticSettle', value: String(m.settle) }] },
        translations: [{ languageCode: en, name: m.name, description: m.description }],
      },
    });
  }

  const { shippingMethods } = await gql(`{ shippingMethods { items { id code } } }`);
  for (const m of [{ code: 'standard', name: 'Standard (PostNL)', rate: 495 }, { code: 'free', name: 'Free shipping', rate: 0 }]) {
    if (shippingMethods.items.some((x) => x.code === m.code)) continue;
    await gql(`mutation($i: CreateShippingMethodInput!) { createShippingMethod(input: $i) { id } }`, {
      i: {
        code: m.code, fulfillmentHandler: manualFulfillmentHandler.code,
        checker: { code: 'default-shipping-eligibility-checker', arguments: [{ name: 'orderMinimum', value: '0' }, { name: 'useSubTotalWithTax', value: 'true' }] },
        calculator: {
          code: 'default-shipping-calculator',
          arguments: [{ name: 'rate', value: String(m.rate) }, { name: 'includesTax', value: 'include' }, { name: 'taxRate', value: '21' }],
        },
        translations: [{ languageCode: en, name: m.name, description: '' }],
      },
    });
  }
  log(`configured: channel ${activeChannel.code}, EUR prices with 21% VAT included, payment test-card and test-card-authorize, shipping standard (4.95) and free`);
}

try {
  await configureStore();
  log(`ready on ${adminUrl}`);
  console.error('VENDURE_CI_READY');
} catch (err) {
  log('could not configure the store:', err);
  await app.close();
  process.exit(1);
}
