import type { JsonValue } from '@plinth/catalog-model';
import type { CatalogProcessorEmit } from './CatalogProcessor';

/**
 * What a placeholder resolver gets: the placeholder (`$text`), its value
 * (usually a relative or absolute URL) and ways to read it.
 *
 * @public
 */
export interface PlaceholderResolverParams {
  /** The placeholder without its `$`, such as `text`. */
  key: string;
  value: JsonValue;
  /** The location of the entity, against which relative values resolve. */
  baseUrl: string;
  /** Reads a URL through the backend's URL reader. */
  read(url: string): Promise<Buffer>;
  /** Resolves a possibly relative URL against a base. */
  resolveUrl(url: string, base: string): string;
  emit: CatalogProcessorEmit;
}

/**
 * Replaces a `{ $key: value }` placeholder in an entity with a value.
 *
 * @public
 */
export type PlaceholderResolver = (
  params: PlaceholderResolverParams,
) => Promise<JsonValue>;
