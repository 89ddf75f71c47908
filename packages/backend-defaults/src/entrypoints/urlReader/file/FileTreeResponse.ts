import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type {
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadTreeResponseFile,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import { create as createTar } from 'tar';
import type { FileEntry } from './walkFiles';

/**
 * The files below a local directory, as {@link FileUrlReader.readTree}
 * found them. Contents are read when asked for, not before.
 */
export class FileTreeResponse implements UrlReaderServiceReadTreeResponse {
  readonly etag: string;
  readonly #directory: string;
  readonly #entries: readonly FileEntry[];

  constructor(options: {
    /** The directory the entries' paths are relative to. */
    directory: string;
    entries: readonly FileEntry[];
    etag: string;
  }) {
    this.#directory = options.directory;
    this.#entries = options.entries;
    this.etag = options.etag;
  }

  async files(): Promise<UrlReaderServiceReadTreeResponseFile[]> {
    return this.#entries.map(entry => ({
      path: entry.path,
      content: () => fs.readFile(entry.absolutePath),
      lastModifiedAt: entry.lastModifiedAt,
    }));
  }

  /** An uncompressed tar stream of the files, with portable headers. */
  async archive(): Promise<Readable> {
    const output = new PassThrough();
    const pack = createTar(
      // The walk already vetted every linked file, so links are archived
      // as the files they point to.
      {
        cwd: this.#directory,
        portable: true,
        follow: true,
        noDirRecurse: true,
      },
      // tar reads a name starting with '@' as an archive to append.
      this.#entries.map(entry =>
        entry.path.startsWith('@') ? `./${entry.path}` : entry.path,
      ),
    );
    pack.on('error', (error: unknown) => output.destroy(toError(error)));
    pack.pipe(output);
    return output;
  }

  /**
   * Copies the files into `targetDir`, or into a new temporary directory
   * that the caller owns and should remove.
   */
  async dir(options?: { targetDir?: string }): Promise<string> {
    const target =
      options?.targetDir ??
      (await fs.mkdtemp(path.join(os.tmpdir(), 'plinth-tree-')));
    for (const entry of this.#entries) {
      const destination = path.join(target, ...entry.path.split('/'));
      await fs.mkdir(path.dirname(destination), { recursive: true });
      await fs.copyFile(entry.absolutePath, destination);
    }
    return target;
  }
}
