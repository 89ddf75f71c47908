import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseLockedError } from '../DatabaseLockedError';

/** The lock file's name inside the data directory. */
export const lockFileName = 'plinth.lock';

/**
 * Marks a PGlite data directory as open by this process. PGlite itself
 * lets two processes open one directory and then corrupts it, so the lock
 * file holds the owner's pid; a lock whose process is gone is taken over.
 */
export class DataDirectoryLock {
  readonly #lockFile: string;

  /**
   * Takes the lock, creating the directory when it does not exist.
   * @throws {@link DatabaseLockedError} when a live process holds the lock.
   */
  static async acquire(directory: string): Promise<DataDirectoryLock> {
    await fs.mkdir(directory, { recursive: true });
    const lockFile = path.join(directory, lockFileName);
    // Ends: each turn takes the lock, throws, or removes a stale lock file,
    // and only a live process writes a lock file.
    for (;;) {
      try {
        await fs.writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' });
        return new DataDirectoryLock(lockFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw error;
        }
      }
      const pid = await readLockPid(lockFile);
      if (pid !== undefined && isProcessAlive(pid)) {
        throw new DatabaseLockedError(directory, pid, lockFile);
      }
      await fs.rm(lockFile, { force: true });
    }
  }

  private constructor(lockFile: string) {
    this.#lockFile = lockFile;
  }

  /** Removes the lock file, unless another process has taken it over. */
  async release(): Promise<void> {
    if ((await readLockPid(this.#lockFile)) === process.pid) {
      await fs.rm(this.#lockFile, { force: true });
    }
  }
}

async function readLockPid(lockFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await fs.readFile(lockFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
