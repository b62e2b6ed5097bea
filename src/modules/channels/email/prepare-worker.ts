/**
 * The email preparation worker: receives raw emails from `prepare-pool.ts`, prepares them with
 * `prepareEmail` against its own handle on the same local blob folder, and answers with plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LocalBlobStore } from '../../../blobs/local-blob-store.ts';
import { prepareEmail } from './prepare.ts';
import type { PrepareReply, PrepareRequest, PrepareWorkerData } from './prepare-pool.ts';

const port = parentPort;
if (!port) throw new Error('prepare-worker runs only as a worker thread');
const { blobDir } = workerData as PrepareWorkerData;
const blobs = new LocalBlobStore(blobDir);

port.on('message', (req: PrepareRequest) => {
  const raw = Buffer.from(req.raw.buffer, req.raw.byteOffset, req.raw.byteLength);
  prepareEmail(raw, blobs, req.options).then(
    (prepared) => port.postMessage({ id: req.id, prepared } satisfies PrepareReply),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies PrepareReply),
  );
});
port.postMessage({ ready: true });
