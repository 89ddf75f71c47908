import path from 'node:path';
import { toError } from '@plinth/errors';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type CatalogProcessorParser,
  type ConfigFile,
  type ConfigFileReader,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import { originLocationScope } from '../processing/originLocationScope';
import { isGlobLocation } from './isGlobLocation';

/**
 * Reads `file` locations: a path, absolute or relative to the working
 * directory, that may be a glob. Each matched file is parsed on its own and
 * its entities carry that file as their location.
 *
 * @remarks
 * Files are read through the URL reader as `file:` URLs, so only paths
 * inside `backend.reading.fileRoots` can be read; when the URL reader
 * refuses `file:` URLs (Backstage's does), {@link ConfigFileReader} reads
 * them from disk under the same rules, for entities whose origin is a
 * file location from config.
 *
 * @internal
 */
export class FileReaderProcessor implements CatalogProcessor {
  readonly #files: ConfigFileReader;

  constructor(options: { files: ConfigFileReader }) {
    this.#files = options.files;
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

  async #readFiles(location: LocationSpec): Promise<ConfigFile[]> {
    const filePath = path.resolve(location.target);
    const origin = originLocationScope.getStore();
    if (isGlobLocation(location)) {
      return this.#files.search(filePath, origin);
    }
    try {
      return [
        { path: filePath, data: await this.#files.readFile(filePath, origin) },
      ];
    } catch (error) {
      if (toError(error).name === 'NotFoundError') {
        return [];
      }
      throw error;
    }
  }
}
