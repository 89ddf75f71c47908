import { CustomErrorBase } from '@plinth/errors';

/**
 * A PGlite data directory is already open in another live process, or in
 * another database manager of this process.
 *
 * @public
 */
export class DatabaseLockedError extends CustomErrorBase {
  readonly name = 'DatabaseLockedError' as const;

  /**
   * @param directory - the absolute data directory.
   * @param pid - the process that holds the lock.
   * @param lockFile - the absolute path of the lock file.
   */
  constructor(
    readonly directory: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    const holder =
      pid === process.pid
        ? `this process (pid ${pid}) through another database manager`
        : `process ${pid}`;
    super(
      `Cannot open the PGlite data directory '${directory}': it is in use by ${holder} (lock file '${lockFile}'). ` +
        'PGlite allows one process per directory; stop that process, or set backend.database.connection.directory to another directory. ' +
        'If no such process runs, delete the lock file.',
    );
  }
}
