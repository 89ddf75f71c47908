import type { Readable } from 'node:stream';

/**
 * Options for {@link UrlReaderService.readUrl}.
 *
 * @public
 */
export interface UrlReaderServiceReadUrlOptions {
  /** When the content still has this ETag, the read throws `NotModifiedError`. */
  etag?: string;
  /** When the content has not changed since, the read throws `NotModifiedError`. */
  lastModifiedAfter?: Date;
  signal?: AbortSignal;
}

/**
 * The content of one URL.
 *
 * @public
 */
export interface UrlReaderServiceReadUrlResponse {
  buffer(): Promise<Buffer>;
  stream?(): Readable;
  etag?: string;
  lastModifiedAt?: Date;
}

/**
 * Options for {@link UrlReaderService.readTree}.
 *
 * @public
 */
export interface UrlReaderServiceReadTreeOptions {
  /** Keeps only the files for which it returns true. */
  filter?(path: string, info?: { size: number }): boolean;
  etag?: string;
  signal?: AbortSignal;
}

/**
 * One file of a tree.
 *
 * @public
 */
export interface UrlReaderServiceReadTreeResponseFile {
  /** Relative to the root of the tree. */
  path: string;
  content(): Promise<Buffer>;
  lastModifiedAt?: Date;
}

/**
 * The files below a URL.
 *
 * @public
 */
export interface UrlReaderServiceReadTreeResponse {
  files(): Promise<UrlReaderServiceReadTreeResponseFile[]>;
  archive(): Promise<Readable>;
  /** Writes the files to a directory and returns its path. */
  dir(options?: { targetDir?: string }): Promise<string>;
  etag: string;
}

/**
 * Options for {@link UrlReaderService.search}.
 *
 * @public
 */
export interface UrlReaderServiceSearchOptions {
  etag?: string;
  signal?: AbortSignal;
}

/**
 * One file matched by a search.
 *
 * @public
 */
export interface UrlReaderServiceSearchResponseFile {
  url: string;
  content(): Promise<Buffer>;
  lastModifiedAt?: Date;
}

/**
 * The files matched by a glob URL.
 *
 * @public
 */
export interface UrlReaderServiceSearchResponse {
  files: UrlReaderServiceSearchResponseFile[];
  etag: string;
}

/**
 * Reads files and trees from `file:` and allowed `http(s):` locations.
 *
 * @public
 */
export interface UrlReaderService {
  readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse>;
  readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse>;
  /** Finds the files matched by a URL whose path holds glob patterns (`*`, `**`). */
  search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse>;
}
