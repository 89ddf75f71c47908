import { CustomErrorBase } from '@plinth/errors';
import { remoteLockStaleMillis } from './pglite/lockHeartbeat';

const fix =
  'PGlite allows one process per directory; stop that process, or set backend.database.connection.directory to another directory.';

/**
 * A PGlite data directory is already open in another live process, or in
 * another database manager of this process.
 *
 * @public
 */
export class DatabaseLockedError extends CustomErrorBase {
  readonly name = 'DatabaseLockedError' as const;

  /**
   * Another database manager of this process has the directory open.
   *
   * @param directory - the absolute data directory.
   * @param lockFile - the absolute path of the lock file.
   */
  static heldByThisProcess(
    directory: string,
    lockFile: string,
  ): DatabaseLockedError {
    return new DatabaseLockedError(
      `Cannot open the PGlite data directory '${directory}': another database manager of this process (pid ${process.pid}) has it open. ` +
        'PGlite allows one instance per directory; close that database manager first, or set backend.database.connection.directory to another directory.',
      directory,
      lockFile,
      process.pid,
      undefined,
    );
  }

  /**
   * The lock file names another process that still runs, or one of another
   * host, which this host cannot check.
   *
   * @param hostname - the holder's host, when it is not this one.
   */
  static heldByProcess(
    directory: string,
    lockFile: string,
    pid: number,
    hostname?: string,
  ): DatabaseLockedError {
    const message =
      hostname === undefined
        ? `Cannot open the PGlite data directory '${directory}': it is in use by process ${pid} (lock file '${lockFile}'). ` +
          `${fix} If no such process runs, delete the lock file.`
        : `Cannot open the PGlite data directory '${directory}': it is in use by process ${pid} on host '${hostname}' (lock file '${lockFile}'). ` +
          `${fix} This host cannot see the processes of that one, so the lock is taken over once it has not been refreshed for ${remoteLockStaleMillis / 1000} seconds.`;
    return new DatabaseLockedError(message, directory, lockFile, pid, hostname);
  }

  /**
   * The lock file is empty or cut short: another process may be writing it.
   *
   * @param graceSeconds - the age from which such a file counts as stale.
   */
  static incompleteLockFile(
    directory: string,
    lockFile: string,
    graceSeconds: number,
  ): DatabaseLockedError {
    return new DatabaseLockedError(
      `Cannot open the PGlite data directory '${directory}': its lock file '${lockFile}' is empty or incomplete, so another process may be taking the lock right now. ` +
        `Start again later; once the file is ${graceSeconds} seconds old it counts as left behind and is taken over, or delete it if no process uses the directory.`,
      directory,
      lockFile,
      undefined,
      undefined,
    );
  }

  private constructor(
    message: string,
    /** The absolute data directory. */
    readonly directory: string,
    /** The absolute path of the lock file. */
    readonly lockFile: string,
    /** The process that holds the lock, when known. */
    readonly pid: number | undefined,
    /** The holder's host, when it is not this one. */
    readonly hostname: string | undefined,
  ) {
    super(message);
  }
}
