import type { PGlite } from '@electric-sql/pglite';
import { DatabaseAcquireTimeoutError, DatabaseError } from '../../../errors';

interface Waiter {
  owner: string;
  grant(): void;
  refuse(error: Error): void;
  timer?: NodeJS.Timeout;
}

/**
 * What knex needs of an external pool (`connectionPool`), including the
 * counters it uses to tell a tarn pool from a driver's native pool.
 */
export interface PgliteSchemaPool {
  acquire(): { promise: Promise<PGlite> };
  release(connection: PGlite): boolean;
  destroy(): Promise<void>;
  numFree(): number;
  numUsed(): number;
  numPendingAcquires(): number;
}

/**
 * The one connection of a PGlite instance, lent to one borrower at a time
 * in arrival order. Every plugin's knex borrows it through its own
 * {@link PgliteSchemaPool}, so a transaction holds it from `BEGIN` to the
 * end and statements of different plugins never interleave. `search_path`
 * is session state, so it is set to the borrower's schema whenever it
 * differs from the previous borrower's.
 */
export class SharedPgliteConnection {
  readonly #pglite: PGlite;
  readonly #waiters: Waiter[] = [];
  #holder: string | undefined;
  #schema: string | undefined;
  #closed = false;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /**
   * A knex pool for one schema. `owner` names the borrower in errors, such
   * as `plugin 'catalog'`.
   */
  poolFor(
    schema: string,
    owner: string,
    acquireTimeoutMillis: number,
  ): PgliteSchemaPool {
    let used = 0;
    return {
      acquire: () => ({
        promise: this.#acquire(schema, owner, acquireTimeoutMillis).then(
          connection => {
            used += 1;
            return connection;
          },
        ),
      }),
      release: () => {
        used -= 1;
        this.#release();
        return true;
      },
      destroy: async () => {},
      numFree: () => (this.#holder === undefined ? 1 : 0),
      numUsed: () => used,
      numPendingAcquires: () =>
        this.#waiters.filter(w => w.owner === owner).length,
    };
  }

  async #acquire(
    schema: string,
    owner: string,
    timeoutMillis: number,
  ): Promise<PGlite> {
    await this.#wait(owner, timeoutMillis);
    if (this.#schema !== schema) {
      try {
        await this.#pglite.query(
          `SET search_path TO "${schema.replace(/"/g, '""')}"`,
        );
      } catch (error) {
        this.#release();
        throw error;
      }
      this.#schema = schema;
    }
    return this.#pglite;
  }

  /**
   * Refuses every borrower still waiting and every later one, so that a
   * plugin querying while the backend closes its databases fails at once
   * instead of waiting out the acquire timeout for a connection that is
   * never released. The current holder keeps the connection until it
   * releases it.
   */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.refuse(closedError(waiter.owner));
    }
  }

  #wait(owner: string, timeoutMillis: number): Promise<void> {
    if (this.#closed) {
      return Promise.reject(closedError(owner));
    }
    if (this.#holder === undefined) {
      this.#holder = owner;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        grant: () => {
          clearTimeout(waiter.timer);
          this.#holder = owner;
          resolve();
        },
        refuse: error => {
          clearTimeout(waiter.timer);
          reject(error);
        },
      };
      waiter.timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(
          new DatabaseAcquireTimeoutError(
            owner,
            this.#holder ?? 'nobody',
            timeoutMillis,
          ),
        );
      }, timeoutMillis);
      this.#waiters.push(waiter);
    });
  }

  #release() {
    this.#holder = undefined;
    this.#waiters.shift()?.grant();
  }
}

function closedError(owner: string): DatabaseError {
  return new DatabaseError(
    'DATABASE_CLOSED',
    `${owner} asked for the embedded database connection after the database was closed. ` +
      'The backend closes its databases once every plugin has stopped; stop background work (timers, loops, ' +
      "scheduled tasks) in the plugin's lifecycle 'addShutdownHook' so that it does not query past its stop.",
  );
}
