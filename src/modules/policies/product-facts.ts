/**
 * Where the policy learns what a product is (its product id, category and tags) to match
 * exceptions like "final sale" or "warranty on Footwear". One small strategy per platform: the
 * built-in store reads its own catalogue; a platform without one answers nothing, and policies
 * there match by SKU or SKU prefix, which works everywhere.
 */
import type { Ctx } from '../../shared/context.ts';
import type { StoreInfo, StorePlatform } from '../stores/connectors/connector.ts';
import type { ProductFacts } from './eligibility.ts';
import { findBuiltinProductFacts } from './policies.queries.ts';

/** Reads product facts for SKUs (upper case) of one store. */
export type ProductFactsSource = (ctx: Ctx, store: StoreInfo, skus: readonly string[]) => Promise<Map<string, ProductFacts>>;

const builtinFacts: ProductFactsSource = async (ctx, store, skus) => {
  const rows = await findBuiltinProductFacts(ctx.db, store.id, skus);
  return new Map(rows.map((r) => [r.sku.toUpperCase(), { productId: r.product_id, category: r.category, tags: r.tags.map((t) => t.toLowerCase()) }]));
};

const sources = new Map<StorePlatform, ProductFactsSource>([['builtin', builtinFacts]]);

/** Registers the facts source of a platform (its connector module calls this). */
export function registerProductFactsSource(platform: StorePlatform, source: ProductFactsSource): void {
  sources.set(platform, source);
}

/** Facts for the SKUs, from the store's platform; empty where the platform keeps none. */
export async function productFactsFor(ctx: Ctx, store: StoreInfo, skus: readonly string[]): Promise<Map<string, ProductFacts>> {
  const unique = [...new Set(skus.map((s) => s.trim().toUpperCase()).filter(Boolean))];
  const source = sources.get(store.platform);
  if (!source || unique.length === 0) return new Map();
  return source(ctx, store, unique);
}
