// Runs PGlite (Postgres compiled to WASM) on its own thread so that no query blocks the
// server's event loop. Plain JavaScript on purpose: it loads the same way under tsx, vitest
// and plain node. The main thread sends {id, sql, params}; this answers {id, rows} or {id, error}.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const INT8 = 20;
const port = parentPort;
if (!port) throw new Error('pglite-worker must run as a worker thread');

/** @type {import('@electric-sql/pglite').PGlite | undefined} */
let db;

async function open() {
  const dataDir = workerData && workerData.dataDir ? workerData.dataDir : 'memory://';
  db = await PGlite.create(dataDir, {
    // int8 counts and identities fit in a JS number for any realistic store.
    parsers: { [INT8]: (value) => Number(value) },
    relaxedDurability: false,
  });
}

function toError(err) {
  const e = /** @type {Record<string, unknown>} */ (err ?? {});
  return {
    message: String(e.message ?? err),
    code: e.code,
    detail: e.detail,
    constraint: e.constraint,
    table: e.table,
    column: e.column,
  };
}

const ready = open();

port.on('message', async (msg) => {
  try {
    await ready;
    if (!db) throw new Error('database is not open');
    if (msg.type === 'close') {
      await db.close();
      port.postMessage({ id: msg.id, rows: [] });
      return;
    }
    if (msg.type === 'exec') {
      await db.exec(msg.sql);
      port.postMessage({ id: msg.id, rows: [] });
      return;
    }
    const result = await db.query(msg.sql, msg.params ?? []);
    port.postMessage({ id: msg.id, rows: result.rows, affectedRows: result.affectedRows ?? 0 });
  } catch (err) {
    port.postMessage({ id: msg.id, error: toError(err) });
  }
});

ready.then(
  () => port.postMessage({ id: 0, ready: true }),
  (err) => port.postMessage({ id: 0, error: toError(err) }),
);
