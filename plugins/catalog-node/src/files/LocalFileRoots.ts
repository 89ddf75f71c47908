import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoggerService } from '@plinth/backend-plugin-api';
import { ForwardedError, NotAllowedError, NotFoundError } from '@plinth/errors';

/**
 * Whether a file or directory of this name is never read: hidden names
 * hold tools' state and secrets (`.git`, `.env`), `app-config*` files the
 * backend's own keys. Case is ignored, as some file systems ignore it.
 */
function isForbiddenName(name: string, isFile: boolean): boolean {
  return (
    name.startsWith('.') ||
    (isFile && name.toLowerCase().startsWith('app-config'))
  );
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (relative !== '..' &&
      !relative.startsWith(`..${path.sep}`) &&
      !path.isAbsolute(relative))
  );
}

/** Whether some root holds `target` without a forbidden name below it. */
function isAllowed(roots: readonly string[], target: string): boolean {
  return roots.some(root => {
    if (!isInside(root, target)) {
      return false;
    }
    const segments = path.relative(root, target).split(path.sep);
    const last = segments.length - 1;
    return segments.every(
      (segment, i) => segment === '' || !isForbiddenName(segment, i === last),
    );
  });
}

/**
 * The error for a file system call that failed on an allowed path: the
 * URL and the error code only, since the OS message names server paths.
 */
export function toFileSystemError(url: string, error: unknown): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new NotFoundError(
      `Cannot read '${url}': nothing exists there. Check the path.`,
    );
  }
  const known = typeof code === 'string' ? code : 'no error code';
  return new ForwardedError(
    `Cannot read '${url}': it could not be read (${known}). Check that the backend's host can read the files there.`,
    Object.assign(new Error(known), typeof code === 'string' ? { code } : {}),
  );
}

/**
 * The directories that config file locations may read below, with the
 * rules of Plinth's `file:` URL reader: a path must lie below a root both
 * as written and with its links resolved, and neither form may have a
 * hidden segment below that root or end in an `app-config*` name.
 */
export class LocalFileRoots {
  readonly #roots: readonly string[];
  readonly #logger?: LoggerService;
  #realRoots?: Promise<string[]>;

  constructor(roots: readonly string[], logger?: LoggerService) {
    this.#roots = roots;
    this.#logger = logger;
  }

  /**
   * Checks `filePath` before touching it, then resolves its links and
   * checks where they lead; returns the real path.
   *
   * @throws NotAllowedError when a rule refuses it; NotFoundError when
   *   nothing exists there.
   */
  async resolve(url: string, filePath: string): Promise<string> {
    const realRoots = await this.#getRealRoots();
    if (!isAllowed([...this.#roots, ...realRoots], filePath)) {
      throw this.#refuse(url, filePath);
    }
    let realPath: string;
    try {
      realPath = await fs.realpath(filePath);
    } catch (error) {
      throw toFileSystemError(url, error);
    }
    if (!isAllowed(realRoots, realPath)) {
      throw this.#refuse(url, filePath);
    }
    return realPath;
  }

  /**
   * The files below a real directory, as paths relative to it with `/`,
   * leaving out forbidden names and links that lead out of the roots.
   */
  async listFiles(realDir: string): Promise<string[]> {
    const realRoots = await this.#getRealRoots();
    const files: string[] = [];
    // A link may lead back to a folder above it; each folder is read once.
    const visited = new Set<string>();
    const visit = async (dir: string, prefix: string): Promise<void> => {
      if (visited.has(dir)) {
        return;
      }
      visited.add(dir);
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        let real = full;
        let isDirectory = entry.isDirectory();
        if (entry.isSymbolicLink()) {
          real = await fs.realpath(full).catch(() => '');
          isDirectory = real !== '' && (await fs.stat(real)).isDirectory();
        }
        if (
          isForbiddenName(entry.name, !isDirectory) ||
          entry.name === 'node_modules' ||
          real === '' ||
          !isAllowed(realRoots, real)
        ) {
          continue;
        }
        const relative = `${prefix}${entry.name}`;
        if (isDirectory) {
          await visit(real, `${relative}/`);
        } else {
          files.push(relative);
        }
      }
    };
    await visit(realDir, '');
    return files;
  }

  #getRealRoots(): Promise<string[]> {
    this.#realRoots ??= Promise.all(
      this.#roots.map(root => fs.realpath(root).catch(() => root)),
    );
    return this.#realRoots;
  }

  /** The message names only the URL; the log adds the roots and path. */
  #refuse(url: string, filePath: string): NotAllowedError {
    const message = `Cannot read '${url}': config file locations read only files below 'backend.reading.fileRoots' (by default the folders of the file entries of 'catalog.locations'), never hidden files or folders nor 'app-config*' files, as written or through a link.`;
    this.#logger?.warn(message, {
      path: filePath,
      fileRoots: [...this.#roots],
    });
    return new NotAllowedError(message);
  }
}
