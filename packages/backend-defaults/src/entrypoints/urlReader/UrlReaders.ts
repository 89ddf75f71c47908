import type {
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
import { InputError, redactUrl } from '@plinth/errors';
import { lookupHost, type HostLookup } from './fetch/HostLookup';
import { findRootDir } from '../rootConfig/findRootDir';
import type { UrlReaderPredicateTuple } from './ReaderFactory';
import { readReadingConfig, type ReadingConfig } from './readReadingConfig';

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
      const schemes = [...builtinReaders.keys()].map(s => `'${s}'`).join(', ');
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
