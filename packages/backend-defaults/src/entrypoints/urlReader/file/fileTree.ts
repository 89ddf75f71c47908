import type { Dirent } from 'node:fs';
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
import {
  isForbiddenName,
  isMissingPathError,
  type FileRoots,
} from './FileRoots';

// The files below a local directory: the walk that lists them for trees
// and searches, and the tree response that serves them.

/** One file found below a directory. */
export interface FileEntry {
  /** Relative to the directory walked, with `/` separators. */
  readonly path: string;
  /** Where to read it: below the directory walked, possibly a link. */
  readonly absolutePath: string;
  readonly size: number;
  readonly lastModifiedAt: Date;
}

/**
 * Lists the regular files below `directory`, sorted by path, skipping
 * `node_modules`, hidden files and directories, `app-config*` files,
 * linked directories, and linked files whose target the roots do not
 * allow. Entries that vanish during the walk are left out.
 *
 * @param maxDepth - how many directory levels to descend; 0 lists only the
 *   directory's own files.
 * @throws the file system's error for any other failure to read a
 *   directory or an entry, such as `EACCES`, `EMFILE`, `EIO` or `ELOOP`.
 */
export async function walkFiles(
  directory: string,
  roots: FileRoots,
  maxDepth = Infinity,
): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  const pending: Array<{ dir: string; relativeDir: string; depth: number }> = [
    { dir: directory, relativeDir: '', depth: 0 },
  ];
  while (pending.length > 0) {
    const { dir, relativeDir, depth } = pending.pop()!;
    const dirents =
      (await unlessVanished(fs.readdir(dir, { withFileTypes: true }))) ?? [];
    for (const dirent of dirents) {
      const isDirectory = dirent.isDirectory();
      if (isForbiddenName(dirent.name, !isDirectory)) {
        continue;
      }
      if (isDirectory) {
        if (depth < maxDepth && !skippedDirectories.has(dirent.name)) {
          pending.push({
            dir: path.join(dir, dirent.name),
            relativeDir: relativeDir
              ? `${relativeDir}/${dirent.name}`
              : dirent.name,
            depth: depth + 1,
          });
        }
        continue;
      }
      const entry = await toEntry(dir, relativeDir, dirent, roots);
      if (entry) {
        entries.push(entry);
      }
    }
  }
  return entries.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}

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

/** Directories that are never part of a tree or a search. */
const skippedDirectories = new Set(['node_modules']);

/**
 * What a file system call gives, or `undefined` when its entry vanished
 * during the walk. Any other failure is thrown: an entry left out for an
 * `EACCES` or `EIO` would pass for a deleted file, and the catalog deletes
 * the entities of deleted files.
 */
async function unlessVanished<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isMissingPathError(error)) {
      return undefined;
    }
    throw error;
  }
}

async function toEntry(
  dir: string,
  relativeDir: string,
  dirent: Dirent,
  roots: FileRoots,
): Promise<FileEntry | undefined> {
  const absolutePath = path.join(dir, dirent.name);
  if (dirent.isSymbolicLink()) {
    // Linked files count when the roots allow their target; linked
    // directories never do, which also rules out cycles.
    const target = await unlessVanished(fs.realpath(absolutePath));
    if (!target || !roots.allowsRealPath(target)) {
      return undefined;
    }
  } else if (!dirent.isFile()) {
    return undefined;
  }
  const stats = await unlessVanished(fs.stat(absolutePath));
  if (!stats?.isFile()) {
    return undefined;
  }
  return {
    path: relativeDir ? `${relativeDir}/${dirent.name}` : dirent.name,
    absolutePath,
    size: stats.size,
    lastModifiedAt: stats.mtime,
  };
}
