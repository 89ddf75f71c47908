import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type CatalogProcessorParser,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import { isGlobLocation } from './isGlobLocation';

interface FileContent {
  /** Absolute and normalized. */
  path: string;
  data: Buffer;
}

/**
 * Reads `file` locations: a path, absolute or relative to the working
 * directory, that may be a glob. Each matched file is parsed on its own and
 * its entities carry that file as their location.
 *
 * @remarks
 * Files are read through the URL reader as `file:` URLs, so only paths
 * inside `backend.reading.fileRoots` can be read.
 *
 * @internal
 */
export class FileReaderProcessor implements CatalogProcessor {
  readonly #reader: UrlReaderService;

  constructor(options: { reader: UrlReaderService }) {
    this.#reader = options.reader;
  }

  getProcessorName(): string {
    return 'FileReaderProcessor';
  }

  getPriority(): number {
    return 20;
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
  ): Promise<boolean> {
    if (location.type !== 'file') {
      return false;
    }
    try {
      const files = await this.#readFiles(location);
      if (files.length === 0 && !optional) {
        emit(
          processingResult.notFoundError(
            location,
            `No file exists at location 'file:${location.target}' (resolved to '${path.resolve(location.target)}'). Check the path, or give the location presence 'optional' if it may be missing.`,
          ),
        );
      }
      for (const file of files) {
        for await (const result of parser({
          data: file.data,
          location: { type: 'file', target: file.path },
        })) {
          emit(result);
        }
        emit(processingResult.refresh(`file:${file.path}`));
      }
    } catch (error) {
      emit({ type: 'error', location, error: toError(error) });
    }
    return true;
  }

  async #readFiles(location: LocationSpec): Promise<FileContent[]> {
    const filePath = path.resolve(location.target);
    const url = pathToFileURL(filePath).href;
    if (isGlobLocation(location)) {
      const { files } = await this.#reader.search(url);
      const contents = await Promise.all(
        files.map(async file => ({
          path: path.normalize(fileURLToPath(file.url)),
          data: await file.content(),
        })),
      );
      return contents.sort((a, b) => a.path.localeCompare(b.path));
    }
    try {
      const response = await this.#reader.readUrl(url);
      return [{ path: filePath, data: await response.buffer() }];
    } catch (error) {
      if (toError(error).name === 'NotFoundError') {
        return [];
      }
      throw error;
    }
  }
}
