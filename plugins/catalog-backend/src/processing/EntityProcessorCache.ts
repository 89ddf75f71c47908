import type { JsonObject, JsonValue } from '@plinth/catalog-model';
import type { CatalogProcessorCache } from '@plinth/plugin-catalog-node';

/** How many failed runs in a row a processor cache survives. */
export const processorCacheTtl = 5;

/**
 * The processor caches of an entity as `refresh_state.cache` holds them:
 * the caches by scope, and how many failed runs they still survive.
 */
export interface StoredProcessorCache {
  /** Failed runs left before the caches are dropped. */
  ttl: number;
  /** The caches by scope (see {@link EntityProcessorCache}). */
  cache: JsonObject;
}

/**
 * Reads `refresh_state.cache`; nothing else reads that column.
 *
 * @remarks
 * Earlier versions stored `{ ttl, state: { cache } }`, and rows they wrote
 * remain after an upgrade. Those are read too, rather than dropped: a
 * dropped cache would make every processor read its sources again in
 * full at the first run after the upgrade. A row takes the current shape
 * the next time its caches are written. Anything else reads as no cache,
 * which is safe: a processor without its cache reads its source again.
 */
export function readStoredProcessorCache(
  text: string | null,
): StoredProcessorCache | undefined {
  if (text === null) {
    return undefined;
  }
  const parsed = JSON.parse(text) as {
    ttl?: unknown;
    cache?: unknown;
    state?: { cache?: unknown } | null;
  } | null;
  if (parsed === null || typeof parsed.ttl !== 'number') {
    return undefined;
  }
  const cache = 'cache' in parsed ? parsed.cache : parsed.state?.cache;
  return isJsonObject(cache) ? { ttl: parsed.ttl, cache } : undefined;
}

/**
 * The processor caches of one entity, one scope per processor (and per
 * location target for reads). A scope a processor writes to in a run
 * replaces its previous content; a scope it does not write to keeps it.
 */
export class EntityProcessorCache {
  readonly #previous: JsonObject;
  readonly #written = new Map<string, JsonObject>();

  constructor(previous: JsonObject) {
    this.#previous = previous;
  }

  /** The cache of one scope, such as a processor's name. */
  forScope(scope: string): CatalogProcessorCache {
    const previous = this.#previous[scope];
    const old: JsonObject = isJsonObject(previous) ? previous : {};
    return {
      get: async <T extends JsonValue>(key: string) => {
        const written = this.#written.get(scope);
        const value = written && key in written ? written[key] : old[key];
        return value as T | undefined;
      },
      set: async <T extends JsonValue>(key: string, value: T) => {
        const written = this.#written.get(scope) ?? {};
        written[key] = value;
        this.#written.set(scope, written);
      },
    };
  }

  /** The state to store: what was written this run over what was kept. */
  collect(): JsonObject {
    return { ...this.#previous, ...Object.fromEntries(this.#written) };
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
