import path from 'node:path';
import type {
  Config,
  LoggerService,
  RootConfigService,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@plinth/backend-plugin-api';
import { InputError, quoteList, redactUrl } from '@plinth/errors';
import picomatch from 'picomatch';
import { findRootDir } from '../../config';
import { readDurationFromConfig } from '../../config';
import { readSizeFromConfig } from '../../config';
import { HostAllowList } from './fetch/HostAllowList';
import { lookupHost, type HostLookup } from './fetch/resolveAllowedAddress';
import { fileRootsConfigKey } from './file/FileRoots';

/**
 * A reader and the URLs it serves; {@link UrlReaders} asks these before its
 * built-in file and http(s) readers.
 *
 * @public
 */
export interface UrlReaderPredicateTuple {
  /** Whether `reader` serves this URL. */
  predicate(url: URL): boolean;
  reader: UrlReaderService;
}

/**
 * Options for {@link UrlReaders.create}.
 *
 * @public
 */
export interface UrlReadersOptions {
  /** The whole config; `backend.reading` is read from it. */
  config: RootConfigService;
  /**
   * More readers, asked in order before the built-in ones.
   * @defaultValue `[]`
   */
  readers?: UrlReaderPredicateTuple[];
  /**
   * Resolves host names for http(s) reads.
   * @defaultValue the system resolver, `dns.promises.lookup`
   */
  lookup?: HostLookup;
  /**
   * The directory that relative `backend.reading.fileRoots` start from.
   * @defaultValue the nearest ancestor of the working directory whose
   *   `package.json` has `workspaces`, else the working directory
   */
  rootDirectory?: string;
  /**
   * Where refused reads are logged at warn level, with the file roots and
   * server paths that their messages leave out.
   * @defaultValue no logging
   */
  logger?: LoggerService;
}

/** What every {@link UrlReaders} made from one `create()` call shares. */
interface SharedState {
  readonly config: ReadingConfig;
  readonly lookup: HostLookup;
  readonly logger?: LoggerService;
  readonly loaded: Map<ReaderLoader, Promise<UrlReaderService>>;
}

type ReaderLoader = (shared: SharedState) => Promise<UrlReaderService>;

const loadFetchReader: ReaderLoader = async ({ config, lookup }) => {
  const { FetchUrlReader } = await import('./fetch/FetchUrlReader');
  return new FetchUrlReader({ ...config, lookup });
};

/** The built-in readers by URL scheme, loaded when first used. */
const builtinReaders: ReadonlyMap<string, ReaderLoader> = new Map([
  [
    'file:',
    async ({ config, logger }) => {
      const { FileUrlReader } = await import('./file/FileUrlReader');
      return FileUrlReader.create({ ...config, logger });
    },
  ],
  ['http:', loadFetchReader],
  ['https:', loadFetchReader],
]);

/**
 * The default {@link @plinth/backend-plugin-api#UrlReaderService}: hands
 * each URL to the first added reader whose predicate accepts it, else to
 * the built-in reader for its scheme, `file:` or `http(s):`.
 *
 * @remarks
 * `file:` URLs are read only inside `backend.reading.fileRoots`, by default
 * the directories of the `file` entries of `catalog.locations` (none
 * without such entries), after resolving symbolic links; hidden files and
 * directories and `app-config*` files are never read, and trees and
 * searches skip them. `http(s):` URLs are read only from hosts that
 * `backend.reading.allow` lists, and never from an address that is not
 * globally reachable (private, loopback, link-local, documentation...,
 * IPv6 forms of such IPv4 addresses included) unless the matching rule
 * names the host exactly. A rule's paths are compared with the decoded
 * path, and a redirect from https: to http: is refused. Reads are limited
 * to `backend.reading.maxSize` and, over http(s), to
 * `backend.reading.timeout`. Reading the tree at, or searching with globs,
 * an http(s) URL is not supported. Refusals name only the URL; with a
 * `logger`, the roots and server paths behind a refusal are logged at
 * warn level.
 *
 * @public
 */
export class UrlReaders implements UrlReaderService {
  readonly #shared: SharedState;
  readonly #readers: readonly UrlReaderPredicateTuple[];

  /**
   * Reads and checks `backend.reading` now; readers load on first use.
   *
   * @example
   * ```ts
   * const reader = UrlReaders.create({ config });
   * const response = await reader.readUrl('file:///repo/catalog-info.yaml');
   * const text = (await response.buffer()).toString('utf8');
   * ```
   * @throws {@link InvalidConfigError} when a `backend.reading` value is
   *   invalid.
   */
  static create(options: UrlReadersOptions): UrlReaders {
    const rootDirectory = options.rootDirectory ?? findRootDir(process.cwd());
    return new UrlReaders(
      {
        config: readReadingConfig(options.config, rootDirectory),
        lookup: options.lookup ?? lookupHost,
        logger: options.logger,
        loaded: new Map(),
      },
      options.readers ?? [],
    );
  }

  private constructor(
    shared: SharedState,
    readers: readonly UrlReaderPredicateTuple[],
  ) {
    this.#shared = shared;
    this.#readers = readers;
  }

  /**
   * A reader that asks `readers` first, then this one's readers; the
   * built-in readers are shared.
   */
  withReaders(readers: readonly UrlReaderPredicateTuple[]): UrlReaders {
    return readers.length === 0
      ? this
      : new UrlReaders(this.#shared, [...readers, ...this.#readers]);
  }

  /**
   * @throws InputError for an invalid URL or an unsupported scheme;
   *   otherwise as the reader for the URL throws.
   */
  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const reader = await this.#readerFor(url, 'read');
    return reader.readUrl(url, options);
  }

  /**
   * @throws InputError for an invalid URL or an unsupported scheme;
   *   otherwise as the reader for the URL throws.
   */
  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const reader = await this.#readerFor(url, 'read the tree at');
    return reader.readTree(url, options);
  }

  /**
   * @throws InputError for an invalid URL or an unsupported scheme;
   *   otherwise as the reader for the URL throws.
   */
  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const reader = await this.#readerFor(url, 'search');
    return reader.search(url, options);
  }

  async #readerFor(url: string, action: string): Promise<UrlReaderService> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(
        `Cannot ${action} '${redactUrl(url)}': it is not a valid absolute URL. Use a URL such as 'https://example.com/catalog-info.yaml' or 'file:///path/to/catalog-info.yaml'.`,
      );
    }
    const added = this.#readers.find(tuple => tuple.predicate(parsed));
    if (added) {
      return added.reader;
    }
    const loader = builtinReaders.get(parsed.protocol);
    if (!loader) {
      const schemes = quoteList(builtinReaders.keys());
      const more =
        this.#readers.length > 0 ? ', or a URL an added reader serves' : '';
      throw new InputError(
        `Cannot ${action} '${redactUrl(parsed)}': scheme '${parsed.protocol}' is not supported. Use one of ${schemes}${more}.`,
      );
    }
    const { loaded } = this.#shared;
    let reader = loaded.get(loader);
    if (!reader) {
      reader = loader(this.#shared);
      loaded.set(loader, reader);
    }
    return reader;
  }
}

/** `backend.reading`, parsed and checked. */
export interface ReadingConfig {
  allowList: HostAllowList;
  /** Absolute directories. */
  fileRoots: string[];
  /** Bytes. */
  maxSize: number;
  timeoutMs: number;
}

const defaultMaxSize = 20 * 1024 ** 2;
const defaultTimeoutMs = 60_000;

/**
 * The directories of the `file` entries of `catalog.locations`: for a
 * plain target the directory that holds it, for a glob its base directory
 * (`./catalog` for `./catalog/**\/*.yaml`), relative targets resolved
 * against the working directory as the catalog resolves them.
 *
 * @remarks
 * The catalog is the one built-in reader of local files, and its
 * configured locations say which files it is meant to read; the config is
 * global and written by the operator, so reading another plugin's key
 * trusts nothing a caller controls. Anything wider, such as the whole
 * repository, would let a caller of the catalog's API read the backend's
 * own config and secrets through `file:` URLs.
 */
function readCatalogFileDirectories(config: Config): string[] {
  const locations = config.getOptionalConfigArray('catalog.locations') ?? [];
  const directories = locations
    .filter(location => location.getOptionalString('type') === 'file')
    .map(location => {
      const target = path.resolve(location.getString('target'));
      const scan = picomatch.scan(target);
      if (!scan.isGlob) {
        return path.dirname(target);
      }
      return scan.base || path.parse(target).root;
    });
  return [...new Set(directories)];
}

/**
 * Reads `backend.reading`. Relative `fileRoots` are resolved against
 * `rootDirectory`; without `fileRoots`, the roots are the directories of
 * the `file` locations in `catalog.locations`, and without those, no
 * `file:` URL may be read.
 *
 * @throws {@link @plinth/backend-defaults#InvalidConfigError} naming the first
 *   invalid key.
 */
export function readReadingConfig(
  config: Config,
  rootDirectory: string,
): ReadingConfig {
  const fileRoots =
    config
      .getOptionalStringArray(fileRootsConfigKey)
      ?.map(root => path.resolve(rootDirectory, root)) ??
    readCatalogFileDirectories(config);
  const timeoutMs =
    readDurationFromConfig(config, 'backend.reading.timeout', {
      allowZero: false,
    }) ?? defaultTimeoutMs;
  return {
    allowList: HostAllowList.fromConfig(config),
    fileRoots,
    maxSize:
      readSizeFromConfig(config, 'backend.reading.maxSize') ?? defaultMaxSize,
    timeoutMs,
  };
}
