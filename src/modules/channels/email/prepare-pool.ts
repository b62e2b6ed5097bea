/**
 * Where inbound emails are prepared (`prepare.ts`: MIME parsing, blob writes, reply extraction,
 * HTML sanitizing): on worker threads when the blob store is a local folder, so that the
 * server's main thread keeps only the transaction and the SMTP protocol; on the calling thread
 * otherwise (another blob store, or EMAIL_PARSE_WORKERS=0).
 *
 * Nothing is lost if a worker dies: its emails fail with an error (SMTP answers 451 and the
 * sender retries; IMAP leaves them unflagged for the next poll), and the next email starts a
 * fresh worker. Blob writes are content-addressed, so a retry rewrites nothing.
 */
import { Worker } from 'node:worker_threads';
import type { BlobStore } from '../../../blobs/blob-store.ts';
import { LocalBlobStore } from '../../../blobs/local-blob-store.ts';
import { prepareEmail, type PreparedEmail, type PrepareOptions } from './prepare.ts';

/** Prepares emails, wherever it does so. */
export interface EmailPreparer {
  prepare(raw: Buffer, options: PrepareOptions): Promise<PreparedEmail>;
  /** Starts what it needs now rather than on the first email (a worker loads its modules in about a second). */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

/** What a worker is started with. */
export interface PrepareWorkerData {
  blobDir: string;
}

/** One email sent to a worker. */
export interface PrepareRequest {
  id: number;
  raw: Uint8Array;
  options: PrepareOptions;
}

/** A worker's answer to one request. */
export type PrepareReply = { id: number; prepared: PreparedEmail; error?: undefined } | { id: number; error: string; prepared?: undefined };

/** Preparation on the calling thread. */
export function inThreadPreparer(blobs: BlobStore): EmailPreparer {
  return { prepare: (raw, options) => prepareEmail(raw, blobs, options), warmUp: async () => {}, close: async () => {} };
}

/** A raised error from a worker, with the worker's message. */
export class PrepareWorkerError extends Error {
  override name = 'PrepareWorkerError';
}

interface Pending {
  resolve: (p: PreparedEmail) => void;
  reject: (e: Error) => void;
}

/** One worker thread and the emails it is preparing. */
class PrepareWorker {
  readonly pending = new Map<number, Pending>();
  /** Settles when the worker has loaded its modules (or died trying). */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  dead = false;

  constructor(blobDir: string) {
    this.worker = new Worker(new URL('./prepare-worker.mjs', import.meta.url), { workerData: { blobDir } satisfies PrepareWorkerData });
    // An idle worker does not keep the process alive.
    this.worker.unref();
    let markReady = () => {};
    this.ready = new Promise<void>((resolve) => (markReady = resolve));
    this.worker.on('message', (msg: PrepareReply | { ready: true }) => {
      if (!('id' in msg)) return markReady();
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) this.worker.unref();
      if (msg.error !== undefined) p.reject(new PrepareWorkerError(msg.error));
      else p.resolve(msg.prepared);
    });
    const fail = (why: string) => {
      if (this.dead) return;
      this.dead = true;
      markReady();
      for (const p of this.pending.values()) p.reject(new PrepareWorkerError(why));
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(`the email preparation worker failed: ${err.message}`));
    this.worker.on('exit', (code) => fail(`the email preparation worker stopped (exit code ${code})`));
  }

  send(id: number, raw: Buffer, options: PrepareOptions): Promise<PreparedEmail> {
    return new Promise<PreparedEmail>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      // The bytes are copied (structured clone): the caller keeps its Buffer.
      this.worker.postMessage({ id, raw, options } satisfies PrepareRequest);
    });
  }

  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

/** Preparation on `size` worker threads sharing a local blob folder; the least busy one takes each email. */
export class WorkerPreparer implements EmailPreparer {
  private readonly workers: Array<PrepareWorker | undefined>;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly blobDir: string,
    size: number,
  ) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => undefined);
  }

  /** The worker in slot i, started on first use and again after it died. */
  private slot(i: number): PrepareWorker {
    const w = this.workers[i];
    if (w && !w.dead) return w;
    const fresh = new PrepareWorker(this.blobDir);
    this.workers[i] = fresh;
    return fresh;
  }

  async warmUp(): Promise<void> {
    if (this.closed) return;
    await Promise.all(this.workers.map((_, i) => this.slot(i).ready));
  }

  private pick(): PrepareWorker {
    let best = -1;
    for (let i = 0; i < this.workers.length; i++) {
      const w = this.workers[i];
      if (!w || w.dead) return this.slot(i);
      if (best < 0 || w.pending.size < (this.workers[best]?.pending.size ?? Infinity)) best = i;
    }
    const chosen = this.workers[best];
    if (!chosen) throw new Error('no email preparation worker');
    return chosen;
  }

  prepare(raw: Buffer, options: PrepareOptions): Promise<PreparedEmail> {
    if (this.closed) return Promise.reject(new PrepareWorkerError('the email preparation workers are stopped'));
    return this.pick().send(this.nextId++, raw, options);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w?.terminate()));
  }
}

/** Workers for a local blob folder (when `workers` > 0), the calling thread otherwise. */
export function emailPreparerFor(blobs: BlobStore, workers: number): EmailPreparer {
  if (workers > 0 && blobs instanceof LocalBlobStore) return new WorkerPreparer(blobs.dir, workers);
  return inThreadPreparer(blobs);
}
