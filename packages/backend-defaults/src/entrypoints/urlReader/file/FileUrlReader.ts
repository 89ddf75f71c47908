import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  LoggerService,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@plinth/backend-plugin-api';
import {
  InputError,
  isError,
  NotModifiedError,
  redactUrl,
} from '@plinth/errors';
import picomatch from 'picomatch';
import { RuntimeServiceError } from '../../../errors';
import { FileRoots, toFileSystemError } from './FileRoots';
import { FileTreeResponse, walkFiles, type FileEntry } from './fileTree';

/** What {@link FileUrlReader} needs, read from `backend.reading`. */
export interface FileUrlReaderOptions {
  /** Absolute directories that file: URLs may read below. */
  fileRoots: readonly string[];
  /** Bytes; applies to single files, not to trees. */
  maxSize: number;
  /** Where refusals are logged with the roots and paths they concern. */
  logger?: LoggerService;
}

/**
 * Reads `file:` URLs inside the file roots (see {@link FileRoots}), never
 * hidden files or directories nor `app-config*` files.
 *
 * @remarks
 * A single file's ETag is the SHA-256 of its content. A tree's or a
 * search's ETag is the SHA-256 of each file's path, size and modification
 * time, so that checking it does not read every file. Trees and searches
 * skip `node_modules`, hidden and `app-config*` names and linked
 * directories, and fail, rather than leave files out, when a directory or
 * file below cannot be read.
 */
export class FileUrlReader implements UrlReaderService {
  readonly #roots: FileRoots;
  readonly #maxSize: number;

  static async create(options: FileUrlReaderOptions): Promise<FileUrlReader> {
    return new FileUrlReader(
      await FileRoots.create(options.fileRoots, options.logger),
      options.maxSize,
    );
  }

  private constructor(roots: FileRoots, maxSize: number) {
    this.#roots = roots;
    this.#maxSize = maxSize;
  }

  async readUrl(
    url: string,
    options: UrlReaderServiceReadUrlOptions = {},
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const safeUrl = redactUrl(url);
    const realPath = await this.#roots.resolve(safeUrl, toFilePath(url));
    const stats = await runFileSystemCall('read', safeUrl, () =>
      fs.stat(realPath),
    );
    if (stats.isDirectory()) {
      throw new InputError(
        `Cannot read '${safeUrl}': it is a directory. Use readTree() for a directory, or search() with a glob pattern.`,
      );
    }
    if (options.lastModifiedAfter && stats.mtime <= options.lastModifiedAfter) {
      throw new NotModifiedError(
        `'${safeUrl}' has not changed since ${options.lastModifiedAfter.toISOString()}.`,
      );
    }
    const buffer = await this.#readLimited(safeUrl, realPath, options.signal);
    const etag = createHash('sha256').update(buffer).digest('hex');
    assertChanged(safeUrl, etag, options.etag);
    return {
      buffer: async () => buffer,
      stream: () => Readable.from(buffer),
      etag,
      lastModifiedAt: stats.mtime,
    };
  }

  async readTree(
    url: string,
    options: UrlReaderServiceReadTreeOptions = {},
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const safeUrl = redactUrl(url);
    const action = 'read the tree at';
    const realPath = await this.#roots.resolve(safeUrl, toFilePath(url));
    const stats = await runFileSystemCall(action, safeUrl, () =>
      fs.stat(realPath),
    );
    if (!stats.isDirectory()) {
      throw new InputError(
        `Cannot read the tree at '${safeUrl}': it is a file, not a directory. Use readUrl() for a single file.`,
      );
    }
    const { filter } = options;
    const found = await runFileSystemCall(action, safeUrl, () =>
      walkFiles(realPath, this.#roots),
    );
    const entries = found.filter(
      entry => !filter || filter(entry.path, { size: entry.size }),
    );
    const etag = hashEntries(entries);
    assertChanged(safeUrl, etag, options.etag);
    return new FileTreeResponse({ directory: realPath, entries, etag });
  }

  /**
   * Finds the files that a URL with glob patterns in its path matches, such
   * as `file:///repo/**\/catalog-info.yaml`. A URL without patterns names
   * one file; a missing file, or a missing directory before the first
   * pattern, gives an empty result.
   */
  async search(
    url: string,
    options: UrlReaderServiceSearchOptions = {},
  ): Promise<UrlReaderServiceSearchResponse> {
    const safeUrl = redactUrl(url);
    const filePath = toFilePath(url);
    const scan = picomatch.scan(filePath);
    const base = scan.isGlob
      ? scan.base || path.parse(filePath).root
      : filePath;
    let realBase: string;
    try {
      realBase = await this.#roots.resolve(safeUrl, base);
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        return this.#toSearchResponse(safeUrl, base, [], options);
      }
      throw error;
    }
    if (!scan.isGlob) {
      const stats = await runFileSystemCall('search', safeUrl, () =>
        fs.stat(realBase),
      );
      if (stats.isDirectory()) {
        throw new InputError(
          `Cannot search '${safeUrl}': it is a directory and has no glob pattern. Add a pattern such as '**/catalog-info.yaml' to the URL.`,
        );
      }
      const entry = {
        path: path.basename(filePath),
        absolutePath: realBase,
        size: stats.size,
        lastModifiedAt: stats.mtime,
      };
      return this.#toSearchResponse(
        safeUrl,
        path.dirname(filePath),
        [entry],
        options,
      );
    }
    const isMatch = picomatch(scan.glob);
    const maxDepth = scan.glob.includes('**')
      ? Infinity
      : scan.glob.split('/').length - 1;
    const found = await runFileSystemCall('search', safeUrl, () =>
      walkFiles(realBase, this.#roots, maxDepth),
    );
    const entries = found.filter(entry => isMatch(entry.path));
    return this.#toSearchResponse(safeUrl, base, entries, options);
  }

  #toSearchResponse(
    safeUrl: string,
    base: string,
    entries: readonly FileEntry[],
    options: UrlReaderServiceSearchOptions,
  ): UrlReaderServiceSearchResponse {
    const etag = hashEntries(entries);
    assertChanged(safeUrl, etag, options.etag);
    return {
      etag,
      files: entries.map(entry => {
        const fileUrl = pathToFileURL(
          path.join(base, ...entry.path.split('/')),
        ).href;
        return {
          url: fileUrl,
          content: () => this.#readLimited(fileUrl, entry.absolutePath),
          lastModifiedAt: entry.lastModifiedAt,
        };
      }),
    };
  }

  async #readLimited(
    url: string,
    filePath: string,
    signal?: AbortSignal,
  ): Promise<Buffer> {
    const { size } = await runFileSystemCall('read', url, () =>
      fs.stat(filePath),
    );
    if (size > this.#maxSize) {
      throw tooLargeError(url, size, this.#maxSize);
    }
    const buffer = await runFileSystemCall('read', url, () =>
      fs.readFile(filePath, { signal }),
    );
    // The file may have grown since it was measured.
    if (buffer.length > this.#maxSize) {
      throw tooLargeError(url, buffer.length, this.#maxSize);
    }
    return buffer;
  }
}

/**
 * The local path of a file: URL. Node decodes its escapes, and refuses an
 * encoded `/` (`%2F`), so a decoded path can hide neither a separator nor a
 * `..` segment from the checks of {@link FileRoots}.
 */
function toFilePath(url: string): string {
  let filePath: string;
  try {
    filePath = fileURLToPath(url);
  } catch (error) {
    throw new InputError(
      `Cannot read '${redactUrl(url)}': it is not a local file URL (${isError(error) ? error.message : String(error)}). Use a URL such as 'file:///path/to/file.yaml'.`,
    );
  }
  if (filePath.includes('\0')) {
    throw new InputError(
      `Cannot read '${redactUrl(url)}': its path has an encoded NUL character ('%00'), which no file name may contain. Remove it from the URL.`,
    );
  }
  return filePath;
}

/** Runs a file system call, failing as {@link toFileSystemError} says. */
async function runFileSystemCall<T>(
  action: string,
  safeUrl: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // A caller's abort is no failure of the file system.
    throw isError(error) && error.name === 'AbortError'
      ? error
      : toFileSystemError(action, safeUrl, error);
  }
}

/**
 * An ETag for a set of files from each one's path, size and modification
 * time, so that an unchanged tree is recognised without reading it.
 */
function hashEntries(entries: readonly FileEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) {
    hash.update(
      `${entry.path}\0${entry.size}\0${entry.lastModifiedAt.getTime()}\n`,
    );
  }
  return hash.digest('hex');
}

function assertChanged(url: string, etag: string, previous?: string): void {
  if (previous !== undefined && previous === etag) {
    throw new NotModifiedError(
      `'${url}' has not changed: its content still has ETag '${etag}'.`,
    );
  }
}

/** A file is larger than `backend.reading.maxSize`. */
function tooLargeError(
  url: string,
  size: number,
  maxSize: number,
): RuntimeServiceError {
  return new RuntimeServiceError(
    'URL_READ_TOO_LARGE',
    `Cannot read '${url}': the file has ${size} bytes, more than the limit of ${maxSize} bytes. Raise 'backend.reading.maxSize' to read it.`,
  );
}
