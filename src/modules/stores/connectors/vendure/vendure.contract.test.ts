/**
 * The store connector contract, run against a real Vendure 3 server (started by
 * .ci/setup-vendure.sh, which prints the variables below). The fixture is seeded through
 * Vendure's own Admin API with a customer unique to this run, because both database runs of CI
 * and every rerun share one Vendure. Outages go through a loopback proxy that cuts connections
 * ('down') or lets a write reach Vendure and cuts its answer ('drop_after_write').
 */
import { describe } from 'vitest';
import { createTestDatabase } from '../../../../../test/harness.ts';
import { systemContext } from '../../../../shared/context.ts';
import { LiveBus } from '../../../../shared/live-bus.ts';
import { describeConnectorContract, type ContractHarness } from '../contract/connector-contract.ts';
import { createVendureClient } from './vendure.client.ts';
import { createVendureConnector } from './vendure.connector.ts';
import { startOutageProxy } from './testing/outage-proxy.ts';
import { seedContractFixture, vendureTestStore } from './testing/vendure-seed.ts';

const env = {
  url: process.env.STOREDESK_TEST_VENDURE_URL ?? '',
  user: process.env.STOREDESK_TEST_VENDURE_USER ?? '',
  pass: process.env.STOREDESK_TEST_VENDURE_PASS ?? '',
};
if (process.env.CI && !env.url) throw new Error('CI must run .ci/setup-vendure.sh: STOREDESK_TEST_VENDURE_URL is not set');

async function vendureHarness(): Promise<ContractHarness> {
  const database = await createTestDatabase();
  const ctx = systemContext(database.db, new LiveBus(), 'contract');
  const credentials = { username: env.user, password: env.pass };
  const seeded = await seedContractFixture(createVendureClient({ apiUrl: env.url, auth: { kind: 'password', username: env.user, password: env.pass } }));
  const proxy = await startOutageProxy(env.url);
  const store = vendureTestStore(proxy.url);
  const direct = createVendureConnector(vendureTestStore(env.url), credentials);
  return {
    connector: createVendureConnector(store, credentials, { timeoutMs: 20_000 }),
    ctx,
    store,
    seeded,
    failureModes: ['down', 'drop_after_write', 'rate_limited'],
    dropAfterWriteKeepsWrite: true,
    setUnreachable(mode) {
      proxy.mode = mode === false ? 'up' : mode;
    },
    readOrder: (number) => direct.getOrder(ctx, number),
    close: async () => {
      await proxy.close();
      await database.close();
    },
  };
}

describe.runIf(Boolean(env.url))('Vendure (real server)', () => {
  describeConnectorContract('Vendure', vendureHarness);
});
