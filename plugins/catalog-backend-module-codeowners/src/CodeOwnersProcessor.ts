import path from 'node:path';
import type {
  Config,
  LoggerService,
  UrlReaderService,
} from '@plinth/backend-plugin-api';
import {
  stringifyEntityRef,
  stringifyLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import { ForwardedError, InputError } from '@plinth/errors';
import {
  ConfigFileReader,
  type CatalogProcessor,
  type CatalogProcessorCache,
  type CatalogProcessorEmit,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import {
  findLocalCodeOwners,
  findRepositoryCodeOwners,
  readOptionalUrl,
  type CodeOwnersFile,
} from './CodeOwnersFile';
import {
  findCodeOwnersRule,
  parseCodeOwners,
  toOwnerRef,
} from './parseCodeOwners';

/** The kinds that have a `spec.owner`, which is filled by default. */
const defaultKinds: readonly string[] = [
  'Component',
  'API',
  'Resource',
  'System',
  'Domain',
];

/** Bump when the shape of {@link CachedOwner} changes. */
const CACHE_KEY = 'codeowners.v1';

/** What a url location's entity learnt last time, to check with one read. */
type CachedOwner = {
  /** The entity's location target the entry is for. */
  location: string;
  url: string;
  etag: string;
  owner: string | null;
};

/**
 * Options of {@link CodeOwnersProcessor}.
 *
 * @public
 */
export interface CodeOwnersProcessorOptions {
  reader: UrlReaderService;
  logger: LoggerService;
  /**
   * CODEOWNERS handles to entity refs, such as
   * `{ '@acme/team-a': 'group:default/team-a' }`.
   * @defaultValue `{}`
   */
  mappings?: Readonly<Record<string, string>>;
  /**
   * The kinds whose missing `spec.owner` is filled, compared
   * case-insensitively.
   * @defaultValue `['Component', 'API', 'Resource', 'System', 'Domain']`
   */
  kinds?: readonly string[];
  /**
   * Reads CODEOWNERS files of entities from config file locations from
   * disk when `reader` refuses `file:` URLs, as Backstage's does.
   * @defaultValue local files are read through `reader` only
   */
  files?: ConfigFileReader;
}

function readMappings(config: Config): Record<string, string> {
  const key = 'catalog.codeowners.mappings';
  const value = config.getOptional<unknown>(key);
  if (value === undefined) {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      `Invalid config at '${key}': expected an object of CODEOWNERS handles to entity refs, such as { '@acme/team-a': 'group:default/team-a' }, got ${JSON.stringify(value)}.`,
    );
  }
  for (const [handle, ref] of Object.entries(value)) {
    if (typeof ref !== 'string' || ref === '') {
      throw new InputError(
        `Invalid config at '${key}': the handle '${handle}' maps to ${JSON.stringify(ref)}, but it must map to an entity ref such as 'group:default/team-a'.`,
      );
    }
  }
  return value as Record<string, string>;
}

/**
 * Fills the missing `spec.owner` of an entity from the CODEOWNERS file
 * that covers the file the entity came from, before the entity is
 * validated.
 *
 * @remarks
 * For a `file` location the nearest CODEOWNERS file is used, looking in
 * each folder from the entity file's own upwards within the reader's file
 * roots, outside hidden folders. For a
 * `url` location of a GitHub- or GitLab-style file URL, the repository's
 * CODEOWNERS file is used, and the found file and its ETag are cached with
 * the entity, so that later runs check it with one conditional read. The
 * last rule matching the entity file decides; its first owner that
 * {@link toOwnerRef} understands becomes the owner.
 *
 * @public
 */
export class CodeOwnersProcessor implements CatalogProcessor {
  readonly #reader: UrlReaderService;
  readonly #logger: LoggerService;
  readonly #mappings: ReadonlyMap<string, string>;
  readonly #kinds: ReadonlySet<string>;
  readonly #files?: ConfigFileReader;

  /**
   * Reads `catalog.codeowners.mappings` and `catalog.codeowners.kinds`.
   *
   * @throws InputError when the mappings are not an object of strings.
   */
  static fromConfig(
    config: Config,
    options: { reader: UrlReaderService; logger: LoggerService },
  ): CodeOwnersProcessor {
    return new CodeOwnersProcessor({
      ...options,
      files: ConfigFileReader.fromConfig({ config, ...options }),
      mappings: readMappings(config),
      kinds: config.getOptionalStringArray('catalog.codeowners.kinds'),
    });
  }

  constructor(options: CodeOwnersProcessorOptions) {
    this.#reader = options.reader;
    this.#logger = options.logger;
    this.#files = options.files;
    this.#mappings = new Map(
      Object.entries(options.mappings ?? {}).map(([handle, ref]) => [
        handle.toLowerCase(),
        ref,
      ]),
    );
    this.#kinds = new Set(
      (options.kinds ?? defaultKinds).map(kind => kind.toLowerCase()),
    );
  }

  getProcessorName(): string {
    return 'CodeOwnersProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    _emit: CatalogProcessorEmit,
    originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    if (!this.#kinds.has(entity.kind.toLowerCase()) || entity.spec?.owner) {
      return entity;
    }
    const owner = await this.#findOwner(
      entity,
      location,
      originLocation,
      cache,
    );
    if (!owner) {
      this.#logger.debug(
        `No CODEOWNERS rule names an owner for entity '${stringifyEntityRef(entity)}' from '${stringifyLocationRef(location)}'; its spec.owner stays empty.`,
      );
      return entity;
    }
    return { ...entity, spec: { ...entity.spec, owner } };
  }

  async #findOwner(
    entity: Entity,
    location: LocationSpec,
    originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<string | undefined> {
    try {
      if (location.type === 'file') {
        const file = await findLocalCodeOwners(
          this.#files
            ? { files: this.#files, origin: originLocation }
            : { reader: this.#reader },
          path.resolve(location.target),
        );
        return file && this.#ownerIn(file);
      }
      if (location.type === 'url') {
        return await this.#findRepositoryOwner(location.target, cache);
      }
      return undefined;
    } catch (error) {
      throw new ForwardedError(
        `Could not read the CODEOWNERS file for entity '${stringifyEntityRef(entity)}' from '${stringifyLocationRef(location)}'`,
        error,
      );
    }
  }

  async #findRepositoryOwner(
    target: string,
    cache: CatalogProcessorCache,
  ): Promise<string | undefined> {
    const cached = await cache.get<CachedOwner>(CACHE_KEY);
    if (cached?.location === target) {
      const found = await readOptionalUrl(
        this.#reader,
        cached.url,
        cached.etag,
      );
      if (found === 'unchanged') {
        await cache.set<CachedOwner>(CACHE_KEY, cached);
        return cached.owner ?? undefined;
      }
    }
    // Changed or gone: search again, as another candidate may now win.
    const file = await findRepositoryCodeOwners(this.#reader, target);
    if (!file) {
      return undefined;
    }
    const owner = this.#ownerIn(file);
    if (file.etag) {
      await cache.set<CachedOwner>(CACHE_KEY, {
        location: target,
        url: file.url,
        etag: file.etag,
        owner: owner ?? null,
      });
    }
    return owner;
  }

  #ownerIn(file: CodeOwnersFile): string | undefined {
    const rule = findCodeOwnersRule(
      parseCodeOwners(file.content),
      file.entityPath,
    );
    for (const handle of rule?.owners ?? []) {
      const ref = toOwnerRef(handle, this.#mappings);
      if (ref) {
        return ref;
      }
    }
    return undefined;
  }
}
