import fs from 'node:fs/promises';
import path from 'node:path';
import { ForwardedError, NotAllowedError, NotFoundError } from '@plinth/errors';

/** The config key that lists the directories file: URLs may read. */
export const fileRootsConfigKey = 'backend.reading.fileRoots';

interface Root {
  /** As configured, resolved to an absolute path. */
  readonly resolved: string;
  /** With every symbolic link resolved. */
  readonly real: string;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) &&
      relative !== '..' &&
      !path.isAbsolute(relative))
  );
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function toRealPath(dir: string): Promise<string> {
  try {
    return await fs.realpath(dir);
  } catch {
    // A root that does not exist yet contains nothing; keep its name.
    return dir;
  }
}

/**
 * The directories that file: URLs may read below. A path is inside when it
 * lies below a root both as written and after every symbolic link on it is
 * resolved, so no link leads out of a root.
 */
export class FileRoots {
  readonly #roots: readonly Root[];

  /** Resolves the roots' own symbolic links once. */
  static async create(directories: readonly string[]): Promise<FileRoots> {
    const roots = await Promise.all(
      directories.map(async dir => {
        const resolved = path.resolve(dir);
        return { resolved, real: await toRealPath(resolved) };
      }),
    );
    return new FileRoots(roots);
  }

  private constructor(roots: readonly Root[]) {
    this.#roots = roots;
  }

  /** Whether a path with its links already resolved lies inside a root. */
  containsRealPath(realPath: string): boolean {
    return this.#roots.some(root => isInside(root.real, realPath));
  }

  /**
   * Resolves every symbolic link of `filePath` and returns the real path.
   * The path is checked before it is touched, so that nothing is learnt
   * about files outside the roots.
   *
   * @param url - the URL being read, masked by redactUrl, for messages.
   * @throws NotAllowedError when the path, or where its links lead, is
   *   outside every root; NotFoundError when nothing exists there.
   */
  async resolve(url: string, filePath: string): Promise<string> {
    const inside = this.#roots.some(
      root =>
        isInside(root.resolved, filePath) || isInside(root.real, filePath),
    );
    if (!inside) {
      throw new NotAllowedError(
        `Cannot read '${url}': '${filePath}' is outside the directories that file: URLs may read (${this.#describe()}). To allow it, add a directory that contains it to '${fileRootsConfigKey}'.`,
      );
    }
    let realPath: string;
    try {
      realPath = await fs.realpath(filePath);
    } catch (error) {
      if (isMissing(error)) {
        throw new NotFoundError(
          `Cannot read '${url}': nothing exists at '${filePath}'. Check the path in the URL.`,
        );
      }
      throw new ForwardedError(`Cannot read '${url}'`, error);
    }
    if (!this.containsRealPath(realPath)) {
      throw new NotAllowedError(
        `Cannot read '${url}': '${filePath}' leads through a symbolic link to '${realPath}', which is outside the directories that file: URLs may read (${this.#describe()}). To allow it, add a directory that contains the link's target to '${fileRootsConfigKey}'.`,
      );
    }
    return realPath;
  }

  #describe(): string {
    return this.#roots.length === 0
      ? 'none are configured'
      : this.#roots.map(root => `'${root.resolved}'`).join(', ');
  }
}
