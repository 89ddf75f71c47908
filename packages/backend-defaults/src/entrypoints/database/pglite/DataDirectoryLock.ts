import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { databaseLockedErrors } from '../databaseErrors';
import { LockHolder } from './LockHolder';

/**
 * How often a holder refreshes its lock file's modification time. A lock
 * of another host, whose processes this one cannot see, counts as left
 * behind once it has not been refreshed for {@link remoteLockStaleMillis}:
 * hostnames change (a rescheduled container, a laptop on another network),
 * and a crashed holder must not lock the directory forever.
 */
export const lockHeartbeatMillis = 10_000;

/** How long a lock of another host lives without being refreshed. */
export const remoteLockStaleMillis = 3 * lockHeartbeatMillis;

/** The lock file's name inside the data directory. */
export const lockFileName = 'plinth.lock';

/**
 * How old an empty or cut-short lock file must be to count as left behind.
 * Plinth writes its lock file whole, but an older Plinth created it empty
 * and wrote it afterwards, and a crash may leave it so.
 */
export const incompleteLockGraceMillis = 10_000;

const heldDirectoriesKey = Symbol.for('plinth.pglite.heldDirectories');

/**
 * The real paths of the data directories this process holds or is taking.
 * A lock file with this process's pid whose directory is not here was left
 * by an earlier process that had the same pid, such as a container's
 * pid 1 before a restart. Kept on the global object so that two copies of
 * this package in one process share it.
 */
const heldDirectories = ((globalThis as { [heldDirectoriesKey]?: Set<string> })[
  heldDirectoriesKey
] ??= new Set<string>());

/**
 * Marks a PGlite data directory as open by this process. PGlite itself
 * lets two processes open one directory and then corrupts it, so the lock
 * file names the owner (see {@link LockHolder}); a lock whose process is
 * gone is taken over.
 */
export class DataDirectoryLock {
  readonly #realDirectory: string;
  readonly #lockFile: string;
  readonly #text: string;
  readonly #heartbeat: NodeJS.Timeout;
  #released = false;

  /**
   * Takes the lock, creating the directory when it does not exist.
   * @throws {@link @plinth/backend-defaults#DatabaseError} when this process, a live process
   * or a process of another host holds the lock, or the lock file is
   * incomplete and recent.
   */
  static async acquire(directory: string): Promise<DataDirectoryLock> {
    await fs.mkdir(directory, { recursive: true });
    const realDirectory = await fs.realpath(directory);
    const lockFile = path.join(directory, lockFileName);
    if (heldDirectories.has(realDirectory)) {
      throw databaseLockedErrors.heldByThisProcess(directory, lockFile);
    }
    heldDirectories.add(realDirectory);
    try {
      const text = (await LockHolder.current()).format();
      await takeLockFile(directory, lockFile, text);
      return new DataDirectoryLock(realDirectory, lockFile, text);
    } catch (error) {
      heldDirectories.delete(realDirectory);
      throw error;
    }
  }

  private constructor(realDirectory: string, lockFile: string, text: string) {
    this.#realDirectory = realDirectory;
    this.#lockFile = lockFile;
    this.#text = text;
    this.#heartbeat = setInterval(() => {
      const now = new Date();
      // A failed refresh only shortens how long another host waits.
      fs.utimes(lockFile, now, now).catch(() => {});
    }, lockHeartbeatMillis);
    this.#heartbeat.unref();
  }

  /** Removes the lock file, unless another process has taken it over. */
  async release(): Promise<void> {
    if (this.#released) {
      return;
    }
    this.#released = true;
    clearInterval(this.#heartbeat);
    try {
      if ((await readText(this.#lockFile)) === this.#text) {
        await fs.rm(this.#lockFile, { force: true });
      }
    } finally {
      heldDirectories.delete(this.#realDirectory);
    }
  }
}

async function takeLockFile(
  directory: string,
  lockFile: string,
  text: string,
): Promise<void> {
  // Ends: each turn takes the lock, throws, or moves a stale lock file
  // away, and only live processes create lock files.
  for (;;) {
    if (await createLockFile(lockFile, text)) {
      return;
    }
    const found = await readLockFile(lockFile);
    if (found !== undefined) {
      await assertStale(directory, lockFile, found);
      await moveStaleLockFile(lockFile, found.text);
    }
  }
}

/**
 * Writes the lock file whole under another name, then links it into place,
 * which fails when a lock file exists: no one ever reads it half written.
 * @returns false when a lock file exists.
 */
async function createLockFile(
  lockFile: string,
  text: string,
): Promise<boolean> {
  const draft = `${lockFile}.${randomUUID()}.tmp`;
  try {
    await fs.writeFile(draft, text, { flag: 'wx' });
    await fs.link(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
}

interface FoundLockFile {
  text: string;
  modifiedMillis: number;
}

async function readLockFile(
  lockFile: string,
): Promise<FoundLockFile | undefined> {
  try {
    const text = await fs.readFile(lockFile, 'utf8');
    const { mtimeMs } = await fs.stat(lockFile);
    return { text, modifiedMillis: mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

/** @throws {@link @plinth/backend-defaults#DatabaseError} unless the lock file was left behind. */
async function assertStale(
  directory: string,
  lockFile: string,
  found: FoundLockFile,
): Promise<void> {
  const holder = LockHolder.parse(found.text);
  if (holder === undefined) {
    if (Date.now() - found.modifiedMillis < incompleteLockGraceMillis) {
      throw databaseLockedErrors.incompleteLockFile(
        directory,
        lockFile,
        incompleteLockGraceMillis / 1000,
      );
    }
    return;
  }
  if (holder.isElsewhere()) {
    if (Date.now() - found.modifiedMillis > remoteLockStaleMillis) {
      return;
    }
    throw databaseLockedErrors.heldByProcess(
      directory,
      lockFile,
      holder.pid,
      holder.hostname,
      remoteLockStaleMillis / 1000,
    );
  }
  // This process's own lock was ruled out by heldDirectories.
  if (holder.pid !== process.pid && (await holder.isRunning())) {
    throw databaseLockedErrors.heldByProcess(directory, lockFile, holder.pid);
  }
}

/**
 * Moves a stale lock file away under a unique name, then checks that it
 * moved the file it judged: another process may have taken the lock over
 * between the read and the move, and then gets its lock file back.
 * (Should a third process create a lock file in that moment, the second
 * one's file is lost; three processes must start at once for that.)
 */
async function moveStaleLockFile(
  lockFile: string,
  judgedText: string,
): Promise<void> {
  const moved = `${lockFile}.${randomUUID()}.stale`;
  try {
    await fs.rename(lockFile, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return;
    }
    throw error;
  }
  try {
    if ((await fs.readFile(moved, 'utf8')) !== judgedText) {
      await fs.link(moved, lockFile).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') {
          throw error;
        }
      });
    }
  } finally {
    await fs.rm(moved, { force: true });
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
