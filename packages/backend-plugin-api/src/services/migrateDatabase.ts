import { ForwardedError } from '@plinth/errors';
import type { Knex } from 'knex';

/**
 * Options for {@link migrateDatabase}.
 *
 * @public
 */
export interface MigrateDatabaseOptions {
  /**
   * Migrations by name; they run in the order of their names, all in one
   * transaction (a migration's `config.transaction = false` is not
   * honoured).
   */
  migrations: Record<string, Knex.Migration>;
  /** Where knex records what ran; its lock table is `<tableName>_lock`. */
  tableName: string;
  /** Starts the error message, such as `Could not migrate the todo database`. */
  failure: string;
  /** How to fix a failure that is not a wait for another process. */
  fix: string;
  /**
   * How long to wait while another process migrates the same table.
   * @defaultValue 30 seconds
   */
  lockWaitMs?: number;
}

// How often a waiting process asks for the advisory lock again.
const LOCK_POLL_MS = 100;

/**
 * Runs a plugin's migrations from modules rather than files found on disk,
 * so they run the same under ts-jest, sucrase and a bundle.
 *
 * @remarks
 * Processes migrating the same table (replicas starting together) take
 * turns under a PostgreSQL session-level advisory lock, keyed by the
 * schema and the table name and held on one connection for the whole
 * migration, so they wait for each other instead of failing. The server
 * frees that lock when the connection ends, so a crashed process never
 * leaves it behind. The pending migrations run in one transaction on the
 * same connection: an interrupted migration leaves nothing behind. While
 * holding the lock, a knex lock row left locked (by a process that
 * crashed while running migrations outside a transaction, or by an older
 * version) is known stale: it is freed, with a warning on knex's logger.
 * The same holds on PGlite, which has advisory locks too.
 *
 * @example
 * ```ts
 * await migrateDatabase(knex, {
 *   migrations: { '20260101000000_init': init },
 *   tableName: 'todo__knex_migrations',
 *   failure: 'Could not migrate the todo database',
 *   fix: "Check that the database is reachable and that its user may create tables.",
 * });
 * ```
 * @throws {@link @plinth/errors#ForwardedError} when migrating fails,
 *   naming the migrations table and the fix, with the database error as
 *   its cause; its name is `MigrationLocked` when another process held the
 *   lock past `lockWaitMs`.
 * @public
 */
export async function migrateDatabase(
  knex: Knex,
  options: MigrateDatabaseOptions,
): Promise<void> {
  const { tableName } = options;
  const describe = (fix: string, cause: unknown) =>
    new ForwardedError(
      `${options.failure} (migrations table '${tableName}'). ${fix}`,
      cause,
    );
  const lockWaitMs = options.lockWaitMs ?? 30_000;
  let lock: MigrationLock;
  try {
    lock = await MigrationLock.acquire(knex, tableName, lockWaitMs);
  } catch (error) {
    if (error instanceof LockWaitError) {
      throw describe(
        `Another process has been migrating it for more than ${lockWaitMs / 1000} s (it holds PostgreSQL advisory lock ${error.key}); wait for it to finish, or find it with SELECT pid FROM pg_locks WHERE locktype = 'advisory' and stop it.`,
        error,
      );
    }
    throw describe(options.fix, error);
  }
  try {
    await lock.freeStaleKnexLock();
    await lock.warnAboutNewerMigrations(Object.keys(options.migrations));
    await knex.transaction(
      trx =>
        trx.migrate.latest({
          migrationSource: sourceOf(options.migrations),
          tableName,
          // Migrations are forward-only: an older replica restarting
          // during a rolling upgrade starts on the newer schema (with the
          // warning above) rather than refusing to start.
          disableMigrationsListValidation: true,
        }),
      { connection: lock.connection },
    );
  } catch (error) {
    throw describe(options.fix, error);
  } finally {
    await lock.release();
  }
}

function sourceOf(
  migrations: Record<string, Knex.Migration>,
): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => Object.keys(migrations).sort(),
    getMigrationName: name => name,
    getMigration: async name => migrations[name],
  };
}

/** Another process held the advisory lock for the whole wait. */
class LockWaitError extends Error {
  override readonly name = 'MigrationLocked';

  constructor(readonly key: string) {
    super(`Timed out waiting for PostgreSQL advisory lock ${key}`);
  }
}

/**
 * The advisory lock of one migrations table, held by the session of one
 * connection taken out of the pool for the whole migration.
 */
class MigrationLock {
  readonly #knex: Knex;
  readonly #tableName: string;
  readonly #key: string;
  readonly connection: unknown;

  private constructor(
    knex: Knex,
    tableName: string,
    key: string,
    connection: unknown,
  ) {
    this.#knex = knex;
    this.#tableName = tableName;
    this.#key = key;
    this.connection = connection;
  }

  /**
   * Takes a connection and waits for the lock on it; the connection goes
   * back to the pool if the lock is not had.
   *
   * @throws LockWaitError after `waitMs`; the database's error otherwise.
   */
  static async acquire(
    knex: Knex,
    tableName: string,
    waitMs: number,
  ): Promise<MigrationLock> {
    const client = knex.client as Knex.Client;
    const connection: unknown = await client.acquireConnection();
    try {
      // 64 bits of a hash of where the table lives: the same table in
      // another schema or database is another lock.
      const key = await firstValue<string>(
        knex
          .raw(
            `SELECT CAST(CAST(CAST('x' || substr(md5(current_schema() || '.' || ?), 1, 16) AS bit(64)) AS bigint) AS text) AS value`,
            [tableName],
          )
          .connection(connection),
      );
      const deadline = Date.now() + waitMs;
      while (
        !(await firstValue<boolean>(
          knex
            .raw('SELECT pg_try_advisory_lock(CAST(? AS bigint)) AS value', [
              key,
            ])
            .connection(connection),
        ))
      ) {
        if (Date.now() >= deadline) {
          throw new LockWaitError(key);
        }
        await new Promise(resolve => setTimeout(resolve, LOCK_POLL_MS));
      }
      return new MigrationLock(knex, tableName, key, connection);
    } catch (error) {
      await client.releaseConnection(connection);
      throw error;
    }
  }

  /**
   * Frees knex's own lock row when it says locked, or when a race of an
   * older version inserted it twice (knex then fails on every start): only
   * a process holding the advisory lock migrates, so nobody holds it.
   */
  async freeStaleKnexLock(): Promise<void> {
    const lockTable = `${this.#tableName}_lock`;
    const exists = await firstValue<boolean>(
      this.#knex
        .raw('SELECT to_regclass(?) IS NOT NULL AS value', [lockTable])
        .connection(this.connection),
    );
    if (!exists) {
      return;
    }
    const rows = await this.#knex(lockTable)
      .connection(this.connection)
      .select<Array<{ is_locked: number }>>('is_locked');
    if (rows.length === 1 && rows[0].is_locked === 0) {
      return;
    }
    (this.#knex.client as Knex.Client).logger.warn?.(
      `Freed the knex migration lock in '${lockTable}', which was left locked (${rows.length} rows, ${rows.filter(r => r.is_locked).length} locked) by a process that stopped while migrating: no other process is migrating '${this.#tableName}', as this one holds its PostgreSQL advisory lock ${this.#key}.`,
    );
    await this.#knex(lockTable).connection(this.connection).delete();
    await this.#knex(lockTable)
      .connection(this.connection)
      .insert({ is_locked: 0 });
  }

  /**
   * Warns when the migrations table lists migrations this version does
   * not have: a newer version ran them, and this one, older, runs on its
   * schema.
   */
  async warnAboutNewerMigrations(known: string[]): Promise<void> {
    const exists = await firstValue<boolean>(
      this.#knex
        .raw('SELECT to_regclass(?) IS NOT NULL AS value', [this.#tableName])
        .connection(this.connection),
    );
    if (!exists) {
      return;
    }
    const unknown = await this.#knex(this.#tableName)
      .connection(this.connection)
      .whereNotIn('name', known)
      .orderBy('id')
      .pluck<string[]>('name');
    if (unknown.length > 0) {
      (this.#knex.client as Knex.Client).logger.warn?.(
        `The migrations table '${this.#tableName}' lists migrations this version does not have (${unknown.map(n => `'${n}'`).join(', ')}): a newer version ran them, and this one starts on the newer schema, as during a rolling upgrade. Migrations are forward-only; to go back to this version for good, restore a backup taken before the upgrade.`,
      );
    }
  }

  /**
   * Frees the lock and returns the connection to the pool. A failed
   * unlock means the connection is broken, and its session, with the
   * lock, ends with it.
   */
  async release(): Promise<void> {
    try {
      await this.#knex
        .raw('SELECT pg_advisory_unlock(CAST(? AS bigint))', [this.#key])
        .connection(this.connection);
    } catch {
      // The session is gone, and the lock with it.
    }
    await (this.#knex.client as Knex.Client).releaseConnection(this.connection);
  }
}

async function firstValue<T>(query: Knex.Raw): Promise<T> {
  const result = (await query) as { rows: Array<{ value: T }> };
  return result.rows[0].value;
}
