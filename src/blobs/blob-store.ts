/**
 * Blob storage: bytes that do not belong in database rows (raw emails, attachments).
 * Keys are content addresses (sha256 of the bytes), so writing the same bytes twice is
 * harmless and a retry after a crash finds what the first attempt wrote.
 * The local directory store is the default; an S3-compatible store can implement the same interface.
 */
import path from 'node:path';
import { LocalBlobStore } from './local-blob-store.ts';

/** What a put returns: the key to find the bytes again, their size and hash. */
export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/** A place for immutable bytes addressed by their hash. */
export interface BlobStore {
  /** Stores bytes durably (flushed before it resolves) and returns their key. */
  put(bytes: Uint8Array): Promise<StoredBlob>;
  /** The bytes under a key; throws BlobNotFoundError when absent. */
  get(key: string): Promise<Buffer>;
  /** Whether a key exists. */
  has(key: string): Promise<boolean>;
  /** Removes a blob (garbage collection); absent keys are ignored. */
  delete(key: string): Promise<void>;
}

/** Raised when a key has no blob. */
export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob ${key} was not found`);
    this.name = 'BlobNotFoundError';
  }
}

/** Whether a string is a valid blob key (guards paths built from keys). */
export function isBlobKey(key: string): boolean {
  return /^sha256-[0-9a-f]{64}$/.test(key);
}

const stores = new Map<string, BlobStore>();

/** The blob store of a data folder (blobs/ inside it), one instance per folder. */
export function blobStoreFor(config: { dataDir: string }): BlobStore {
  const dir = path.join(config.dataDir, 'blobs');
  let store = stores.get(dir);
  if (!store) {
    store = new LocalBlobStore(dir);
    stores.set(dir, store);
  }
  return store;
}
