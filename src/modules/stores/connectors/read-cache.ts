/**
 * A short-lived cache of what stores answered to reads (a customer's account, their orders, one
 * order), so that an agent opening ticket after ticket does not wait on the store each time.
 * It is a convenience, never the truth: entries live seconds, actions and change-feed events on a
 * store drop that store's entries, and actions always read the order fresh.
 * Concurrent reads of the same key share one call to the store. Failures are not cached.
 */

interface Entry {
  storeId: string;
  expiresAt: number;
  value: Promise<unknown>;
}

/** Cache counters, for the benchmark and for diagnosing a slow store. */
export interface ReadCacheStats {
  hits: number;
  misses: number;
  entries: number;
}

/** An in-process LRU cache with a time to live, keyed per store. */
export class StoreReadCache {
  private readonly entries = new Map<string, Entry>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value for (store, key), or the loader's, which is then cached. */
  async get<T>(storeId: string, key: string, load: () => Promise<T>): Promise<T> {
    const k = `${storeId}\u0000${key}`;
    const hit = this.entries.get(k);
    if (hit && hit.expiresAt > this.now()) {
      this.hits++;
      // Refresh its place in the LRU order.
      this.entries.delete(k);
      this.entries.set(k, hit);
      return hit.value as Promise<T>;
    }
    this.misses++;
    const value = load();
    const entry: Entry = { storeId, expiresAt: this.now() + this.ttlMs, value };
    this.entries.delete(k);
    this.entries.set(k, entry);
    this.evict();
    value.catch(() => {
      if (this.entries.get(k) === entry) this.entries.delete(k);
    });
    return value;
  }

  /** Drops everything cached for a store (after an action, an import or a change-feed event). */
  invalidateStore(storeId: string): void {
    for (const [k, e] of this.entries) if (e.storeId === storeId) this.entries.delete(k);
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
  }

  /** Hits, misses and size since start. */
  stats(): ReadCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size };
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}

/** How long a store's answer is reused. */
export const READ_CACHE_TTL_MS = 30_000;

/** The process-wide cache of store reads. */
export const storeReadCache = new StoreReadCache(READ_CACHE_TTL_MS, 5_000);
