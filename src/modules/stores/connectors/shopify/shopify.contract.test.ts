/**
 * The store connector contract, run against the Shopify connector talking to a fake Shopify
 * shop on loopback that validates every request against Shopify's published schema. The
 * fixture is seeded through the fake's admin seeding API; 'down' refuses connections. A dropped
 * answer after a write cannot be rolled back on a remote store, so the contract's
 * drop_after_write mode is not claimed here; shopify.connector.test.ts proves instead that a
 * retry after a dropped refund acts once.
 */
import { createTestDatabase } from '../../../../../test/harness.ts';
import { LiveBus } from '../../../../shared/live-bus.ts';
import { systemContext } from '../../../../shared/context.ts';
import { CONTRACT_RETRY_AFTER_SECONDS, describeConnectorContract, type ContractHarness } from '../contract/connector-contract.ts';
import { startFakeShopify } from './testing/fake-shopify.ts';
import { fakeConnector, fakeStoreInfo, seedContractFixture } from './testing/seed-contract.ts';

async function shopifyHarness(): Promise<ContractHarness> {
  const database = await createTestDatabase();
  const ctx = systemContext(database.db, new LiveBus(), 'contract');
  const fake = await startFakeShopify();
  const store = fakeStoreInfo(fake);
  const seeded = seedContractFixture(fake);
  const connector = fakeConnector(fake, store);
  const direct = fakeConnector(fake, store);
  return {
    connector,
    ctx,
    store,
    seeded,
    failureModes: ['down', 'rate_limited'],
    setUnreachable(mode) {
      fake.retryAfterSeconds = CONTRACT_RETRY_AFTER_SECONDS;
      fake.mode = mode === false ? 'up' : mode === 'rate_limited' ? 'throttled' : mode;
    },
    async readOrder(number) {
      const mode = fake.mode;
      fake.mode = 'up';
      try {
        return await direct.getOrder(ctx, number);
      } finally {
        fake.mode = mode;
      }
    },
    async close() {
      try {
        fake.assertNoSurprises();
      } finally {
        await fake.close();
        await database.close();
      }
    },
  };
}

describeConnectorContract('Shopify (fake shop following the Admin GraphQL schema)', shopifyHarness);
