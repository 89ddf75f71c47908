import type { JsonObject, JsonValue } from '@plinth/catalog-model';
import type { CatalogProcessorCache } from '@plinth/plugin-catalog-node';

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
    const old: JsonObject =
      typeof previous === 'object' &&
      previous !== null &&
      !Array.isArray(previous)
        ? previous
        : {};
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
