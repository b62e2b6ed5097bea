/**
 * Test support: the SMTP listener in a process of its own, so a test can kill it with SIGKILL
 * at a chosen moment. STOREDESK_TEST_PAUSE=before-commit|before-ack stops it there (and says so
 * on stdout) until it is killed. Prints `READY <port>` once it accepts mail.
 */
import { loadConfig } from '../../../../config.ts';
import { openDatabase } from '../../../../db/database.ts';
import { migrateToLatest } from '../../../../db/migrator.ts';
import { LiveBus } from '../../../../shared/live-bus.ts';
import { systemContext } from '../../../../shared/context.ts';
import { ensureDefaultStore } from '../../../stores/stores.service.ts';
import { blobStoreFor } from '../../../../blobs/blob-store.ts';
import { startSmtpListener } from '../smtp-listener.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: `${config.dataDir}/pglite`, poolSize: 2 });
await migrateToLatest(database.db);
const live = new LiveBus();
const storeId = await ensureDefaultStore(systemContext(database.db, live, 'child'));
if (!(await database.db.selectFrom('mailboxes').select('id').where('address', '=', 'support@shop.test').executeTakeFirst())) {
  await database.db.insertInto('mailboxes').values({ store_id: storeId, address: 'support@shop.test', is_default: true }).execute();
}

const pause = process.env.STOREDESK_TEST_PAUSE;
const stall = (where: string) => async () => {
  if (pause !== where) return;
  process.stdout.write(`PAUSED ${where}\n`);
  await new Promise(() => {});
};
const smtp = await startSmtpListener({
  db: database.db, live, blobs: blobStoreFor(config), port: 0, host: '127.0.0.1', maxBytes: config.emailMaxBytes,
  senderHourlyLimit: 1000, hooks: { beforeCommit: stall('before-commit'), beforeAck: stall('before-ack') },
});
process.stdout.write(`READY ${smtp.port}\n`);
process.on('SIGTERM', () => {
  void smtp.close().then(() => database.close()).then(() => process.exit(0));
});
