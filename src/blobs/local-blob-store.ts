/**
 * Blobs as files in a local directory: `<dir>/ab/cd/sha256-<hex>`. Writes go to a temporary
 * file that is flushed and renamed into place, and the folder is flushed after the rename, so a
 * reader never sees a half-written blob, a blob that `put` returned survives a power cut, and a
 * crash leaves at worst an orphaned temporary file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BlobNotFoundError, isBlobKey, type BlobStore, type StoredBlob } from './blob-store.ts';

/** A blob store on the local file system. */
export class LocalBlobStore implements BlobStore {
  /** Folders known to exist (there are at most 65,536): creating them again costs a system call per write. */
  private readonly folders = new Set<string>();

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    if (!isBlobKey(key)) throw new BlobNotFoundError(key);
    const hex = key.slice('sha256-'.length);
    return path.join(this.dir, hex.slice(0, 2), hex.slice(2, 4), key);
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `sha256-${sha256}`;
    const target = this.pathOf(key);
    const stored = { key, size: bytes.byteLength, sha256 };
    if (await this.has(key)) return stored;
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      await fs.mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temp, 'w', 0o600).catch(async (err: NodeJS.ErrnoException) => {
      // The folder went away behind our back (cleaned up by hand): make it again once.
      if (err.code !== 'ENOENT') throw err;
      await fs.mkdir(folder, { recursive: true });
      return fs.open(temp, 'w', 0o600);
    });
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    // The rename is durable only once the folder's entry is on disk.
    const dirHandle = await fs.open(folder, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
    return stored;
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}
