import type {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@plinth/backend-plugin-api';
import { InputError, NotFoundError, NotModifiedError } from '@plinth/errors';
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';

function etagOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/**
 * A {@link @plinth/backend-plugin-api#UrlReaderService} for tests that
 * serves fixed content by URL, so code that reads locations runs without
 * a network or files: `readUrl` with ETags, `search` with glob URLs, and
 * `readTree` of every URL below a prefix. Unknown URLs are
 * `NotFoundError`s; `readTree`'s `archive()` and `dir()` are not
 * supported and say so.
 *
 * @example
 * ```ts
 * const reader = new MockUrlReader({
 *   'https://git.example.com/repo/catalog-info.yaml': 'kind: Component\n',
 * });
 * ```
 * @public
 */
export class MockUrlReader implements UrlReaderService {
  readonly #files: Map<string, string | Buffer>;

  /** `files` maps each URL to its content; change it with {@link MockUrlReader.set}. */
  constructor(files: Record<string, string | Buffer> = {}) {
    this.#files = new Map(Object.entries(files));
  }

  /** Adds or replaces the content at `url`; `undefined` removes it. */
  set(url: string, content: string | Buffer | undefined): void {
    if (content === undefined) {
      this.#files.delete(url);
    } else {
      this.#files.set(url, content);
    }
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const content = this.#files.get(url);
    if (content === undefined) {
      throw new NotFoundError(
        `The mock URL reader has no content at '${url}'; add it with new MockUrlReader({ '${url}': ... }).`,
      );
    }
    const etag = etagOf(content);
    if (options?.etag === etag) {
      throw new NotModifiedError(`'${url}' has not changed.`);
    }
    return { buffer: async () => Buffer.from(content), etag };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const prefix = url.endsWith('/') ? url : `${url}/`;
    const entries = [...this.#files].filter(([u]) => u.startsWith(prefix));
    if (entries.length === 0) {
      throw new NotFoundError(
        `The mock URL reader has no content below '${prefix}'.`,
      );
    }
    const etag = etagOfSet(entries);
    if (options?.etag === etag) {
      throw new NotModifiedError(`Nothing below '${prefix}' has changed.`);
    }
    const unsupported = (what: string) => async () => {
      throw new InputError(
        `The mock URL reader does not support readTree(...).${what}(); use files().`,
      );
    };
    return {
      files: async () =>
        entries.map(([u, content]) => ({
          path: u.slice(prefix.length),
          content: async () => Buffer.from(content),
        })),
      archive: unsupported('archive'),
      dir: unsupported('dir'),
      etag,
    };
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const matches = picomatch(url);
    const entries = [...this.#files].filter(([u]) => matches(u));
    const etag = etagOfSet(entries);
    if (options?.etag === etag) {
      throw new NotModifiedError(`Nothing '${url}' matches has changed.`);
    }
    return {
      files: entries.map(([u, content]) => ({
        url: u,
        content: async () => Buffer.from(content),
      })),
      etag,
    };
  }
}

function etagOfSet(entries: Array<[string, string | Buffer]>): string {
  return etagOf(entries.map(([u, c]) => `${u}:${etagOf(c)}`).join('\n'));
}
