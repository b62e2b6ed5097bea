import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobNotFoundError } from './blob-store.ts';
import { LocalBlobStore } from './local-blob-store.ts';

describe('local blob store', () => {
  const store = new LocalBlobStore(path.join(os.tmpdir(), `storedesk-blobs-${randomBytes(4).toString('hex')}`));

  it('gives back exactly the bytes it stored, under a key derived from them', async () => {
    const bytes = randomBytes(10_000);
    const a = await store.put(bytes);
    const b = await store.put(bytes);
    expect(a.key).toBe(b.key);
    expect(a.key).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect((await store.get(a.key)).equals(bytes)).toBe(true);
  });

  it('answers a missing or malformed key with a not-found error, never a path outside the store', async () => {
    await expect(store.get(`sha256-${'0'.repeat(64)}`)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get('../../etc/passwd')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.has('../x')).toBe(false);
  });
});
