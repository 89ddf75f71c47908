import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { describeLocationRef, type Entity } from '@plinth/catalog-model';
import { toError } from '@plinth/errors';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorCache,
  type CatalogProcessorEmit,
  type CatalogProcessorParser,
  type CatalogProcessorResult,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import { isGlobLocation } from './isGlobLocation';

/** Bump when the shape of {@link CachedRead} changes. */
const CACHE_KEY = 'url-reader.v1';

type CachedEntity = {
  /** The URL of the file the entity was read from. */
  url: string;
  entity: Entity;
  locationKey?: string | null;
};

type CachedRead = {
  etag: string;
  entities: CachedEntity[];
};

interface ReadFiles {
  files: Array<{ url: string; data: Buffer }>;
  etag?: string;
}

function toCachedEntities(
  results: readonly CatalogProcessorResult[],
): CachedEntity[] | undefined {
  const entities: CachedEntity[] = [];
  for (const result of results) {
    // Only pure entity output can be replayed: errors are not JSON.
    if (result.type !== 'entity') {
      return undefined;
    }
    entities.push({
      url: result.location.target,
      entity: result.entity,
      ...('locationKey' in result ? { locationKey: result.locationKey } : {}),
    });
  }
  return entities;
}

function replay(cached: CachedRead, emit: CatalogProcessorEmit): void {
  for (const { url, entity, locationKey } of cached.entities) {
    const location = { type: 'url', target: url };
    emit(
      locationKey === undefined
        ? processingResult.entity(location, entity)
        : processingResult.entity(location, entity, { locationKey }),
    );
  }
}

/**
 * Reads `url` locations through the URL reader: one URL, or every file a
 * URL with a glob in its path matches.
 *
 * @remarks
 * What it read is cached with the entity together with the ETag; while the
 * source keeps that ETag the entities are emitted from the cache instead of
 * being read and parsed again.
 *
 * @internal
 */
export class UrlReaderProcessor implements CatalogProcessor {
  readonly #reader: UrlReaderService;

  constructor(options: { reader: UrlReaderService }) {
    this.#reader = options.reader;
  }

  getProcessorName(): string {
    return 'UrlReaderProcessor';
  }

  getPriority(): number {
    return 20;
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
    cache: CatalogProcessorCache,
  ): Promise<boolean> {
    if (location.type !== 'url') {
      return false;
    }
    const cached = await cache.get<CachedRead>(CACHE_KEY);
    try {
      const { files, etag } = await this.#read(location, cached?.etag);
      if (files.length === 0 && !optional) {
        emit(this.#notFound(location));
      }
      const results: CatalogProcessorResult[] = [];
      for (const file of files) {
        for await (const result of parser({
          data: file.data,
          location: { type: 'url', target: file.url },
        })) {
          results.push(result);
          emit(result);
        }
      }
      const entities = toCachedEntities(results);
      if (entities && etag && files.length > 0) {
        await cache.set<CachedRead>(CACHE_KEY, { etag, entities });
      }
    } catch (error) {
      const { name } = toError(error);
      if (name === 'NotModifiedError' && cached) {
        replay(cached, emit);
        // The cache only keeps what each run sets again.
        await cache.set<CachedRead>(CACHE_KEY, cached);
      } else if (name === 'NotFoundError') {
        if (!optional) {
          emit(this.#notFound(location));
        }
      } else {
        emit({ type: 'error', location, error: toError(error) });
      }
    }
    emit(processingResult.refresh(`url:${location.target}`));
    return true;
  }

  async #read(location: LocationSpec, etag?: string): Promise<ReadFiles> {
    if (isGlobLocation(location)) {
      const response = await this.#reader.search(location.target, { etag });
      const files = await Promise.all(
        response.files.map(async file => ({
          url: file.url,
          data: await file.content(),
        })),
      );
      files.sort((a, b) => a.url.localeCompare(b.url));
      return { files, etag: response.etag };
    }
    const response = await this.#reader.readUrl(location.target, { etag });
    return {
      files: [{ url: location.target, data: await response.buffer() }],
      etag: response.etag,
    };
  }

  #notFound(location: LocationSpec): CatalogProcessorResult {
    return processingResult.notFoundError(
      location,
      `Nothing exists at location '${describeLocationRef(location)}'. Check the URL, or give the location presence 'optional' if it may be missing.`,
    );
  }
}
