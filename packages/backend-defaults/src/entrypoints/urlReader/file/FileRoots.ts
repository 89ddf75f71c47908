import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoggerService } from '@plinth/backend-plugin-api';
import { ForwardedError, NotAllowedError, NotFoundError } from '@plinth/errors';

/** The config key that lists the directories file: URLs may read. */
export const fileRootsConfigKey = 'backend.reading.fileRoots';

interface Root {
  /** As configured, resolved to an absolute path. */
  readonly resolved: string;
  /** With every symbolic link resolved. */
  readonly real: string;
}

/** A name below a root that file: URLs never read. */
interface ForbiddenName {
  readonly kind: 'hidden' | 'config';
  readonly name: string;
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

/**
 * Whether a file or directory of this name is never read, wherever it is:
 * hidden names hold tools' state and secrets (`.git`, `.env`, `.plinth`),
 * and `app-config*` files hold the backend's own keys and passwords. Case
 * is ignored, since some file systems ignore it.
 */
export function isForbiddenName(name: string, isFile: boolean): boolean {
  return (
    name.startsWith('.') ||
    (isFile && name.toLowerCase().startsWith('app-config'))
  );
}

/**
 * The first name on the way from `root` down to `target` that is never
 * read. The last segment counts as a file, since the path has not been
 * looked at yet.
 */
function findForbiddenName(
  root: string,
  target: string,
): ForbiddenName | undefined {
  const relative = path.relative(root, target);
  if (relative === '') {
    return undefined;
  }
  const segments = relative.split(path.sep);
  const hidden = segments.find(segment => isForbiddenName(segment, false));
  if (hidden !== undefined) {
    return { kind: 'hidden', name: hidden };
  }
  const last = segments[segments.length - 1];
  return isForbiddenName(last, true)
    ? { kind: 'config', name: last }
    : undefined;
}

/**
 * Whether the error says that nothing is there: the path, or a directory
 * on it, does not exist or vanished.
 */
export function isMissingPathError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The error for a file system call that failed on a path the checks
 * allowed. It names the URL and the error code only: the OS error's own
 * message names the server path, and errors of reads reach callers (an
 * entity's `status.items`, an API response), so its cause keeps only the
 * code and the system call.
 */
export function toFileSystemError(
  action: string,
  safeUrl: string,
  error: unknown,
): Error {
  if (isMissingPathError(error)) {
    return new NotFoundError(
      `Cannot ${action} '${safeUrl}': nothing exists there. Check the path in the URL.`,
    );
  }
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  const known = typeof code === 'string' ? code : 'no error code';
  const cause = Object.assign(
    new Error(
      typeof syscall === 'string' ? `${known} during ${syscall}` : known,
    ),
    typeof code === 'string' ? { code } : {},
  );
  return new ForwardedError(
    `Cannot ${action} '${safeUrl}': a file or directory there could not be read (${known}). Check that the backend's host can read the files there.`,
    cause,
  );
}

async function toRealPath(dir: string): Promise<string> {
  try {
    return await fs.realpath(dir);
  } catch {
    // A root that does not exist yet contains nothing; keep its name.
    return dir;
  }
}

const maxLoggedPaths = 1000;

/**
 * The directories that file: URLs may read below. A path may be read when
 * it lies below a root both as written and after every symbolic link on it
 * is resolved, so no link leads out of a root, and when neither form has a
 * hidden segment below that root or ends in an `app-config*` name.
 *
 * @remarks
 * Refusals are thrown with messages that name only the URL, since they
 * reach callers of the catalog's API; the roots and the server paths go to
 * the logger at warn level, once per path: a processor that looks for a
 * file in every folder up to the root (a CODEOWNERS file) is refused at
 * the same folders on every run.
 */
export class FileRoots {
  readonly #roots: readonly Root[];
  readonly #logger?: LoggerService;
  /** Paths whose refusal was logged, oldest first; at most 1000. */
  readonly #logged = new Set<string>();

  /** Resolves the roots' own symbolic links once. */
  static async create(
    directories: readonly string[],
    logger?: LoggerService,
  ): Promise<FileRoots> {
    const roots = await Promise.all(
      directories.map(async dir => {
        const resolved = path.resolve(dir);
        return { resolved, real: await toRealPath(resolved) };
      }),
    );
    return new FileRoots(roots, logger);
  }

  private constructor(roots: readonly Root[], logger?: LoggerService) {
    this.#roots = roots;
    this.#logger = logger;
  }

  /**
   * Whether a path with its links already resolved lies inside a root,
   * without a name below it that is never read.
   */
  allowsRealPath(realPath: string): boolean {
    return this.#findRealProblem(realPath) === undefined;
  }

  /**
   * Resolves every symbolic link of `filePath` and returns the real path.
   * The path is checked before it is touched, so that nothing is learnt
   * about files outside the roots or below hidden directories.
   *
   * @param url - the URL being read, masked by redactUrl, for messages.
   * @throws NotAllowedError when the path, or where its links lead, is
   *   outside every root, hidden or a config file; NotFoundError when
   *   nothing exists there.
   */
  async resolve(url: string, filePath: string): Promise<string> {
    const writtenProblem = this.#findWrittenProblem(filePath);
    if (writtenProblem === 'outside') {
      throw this.#refuse(
        `Cannot read '${url}': it is outside the directories that file: URLs may read. To allow it, add a directory that contains it to '${fileRootsConfigKey}'.`,
        { path: filePath },
      );
    }
    if (writtenProblem) {
      throw this.#refuse(
        writtenProblem.kind === 'hidden'
          ? `Cannot read '${url}': its path has the hidden segment '${writtenProblem.name}', and file: URLs never read hidden files or directories. Keep the files to read outside hidden directories.`
          : `Cannot read '${url}': '${writtenProblem.name}' is named like a backend config file, and file: URLs never read files whose name starts with 'app-config'. Keep the files to read under other names.`,
        { path: filePath },
      );
    }
    let realPath: string;
    try {
      realPath = await fs.realpath(filePath);
    } catch (error) {
      throw toFileSystemError('read', url, error);
    }
    const realProblem = this.#findRealProblem(realPath);
    if (realProblem === 'outside') {
      throw this.#refuse(
        `Cannot read '${url}': it leads through a symbolic link outside the directories that file: URLs may read. To allow it, add a directory that contains the link's target to '${fileRootsConfigKey}'.`,
        { path: filePath, realPath },
      );
    }
    if (realProblem) {
      throw this.#refuse(
        realProblem.kind === 'hidden'
          ? `Cannot read '${url}': it leads through a symbolic link to a hidden file or directory, and file: URLs never read those. Point the link at a file outside hidden directories.`
          : `Cannot read '${url}': it leads through a symbolic link to a file named like a backend config file, and file: URLs never read files whose name starts with 'app-config'. Point the link at another file.`,
        { path: filePath, realPath },
      );
    }
    return realPath;
  }

  /**
   * What keeps a path as written from being read: `'outside'` every root,
   * or a forbidden name below each root that holds it. Both the configured
   * and the real form of a root count, as a URL may use either.
   */
  #findWrittenProblem(filePath: string): 'outside' | ForbiddenName | undefined {
    return this.#findProblem(
      this.#roots.flatMap(root => [root.resolved, root.real]),
      filePath,
    );
  }

  #findRealProblem(realPath: string): 'outside' | ForbiddenName | undefined {
    return this.#findProblem(
      this.#roots.map(root => root.real),
      realPath,
    );
  }

  #findProblem(
    directories: readonly string[],
    target: string,
  ): 'outside' | ForbiddenName | undefined {
    const holding = directories.filter(dir => isInside(dir, target));
    if (holding.length === 0) {
      return 'outside';
    }
    // A root may itself lie below a hidden directory, or inside another
    // root; a path is fine when one root holds it without a forbidden name.
    const problems = holding.map(dir => findForbiddenName(dir, target));
    return problems.includes(undefined) ? undefined : problems[0];
  }

  /** Logs what the message leaves out: the roots and the server paths. */
  #refuse(
    message: string,
    paths: { path: string } | { path: string; realPath: string },
  ): NotAllowedError {
    if (!this.#logged.has(paths.path)) {
      this.#logged.add(paths.path);
      if (this.#logged.size > maxLoggedPaths) {
        this.#logged.delete(this.#logged.values().next().value as string);
      }
      this.#logger?.warn(message, {
        ...paths,
        fileRoots: this.#roots.map(root => root.resolved),
      });
    }
    return new NotAllowedError(message);
  }
}
