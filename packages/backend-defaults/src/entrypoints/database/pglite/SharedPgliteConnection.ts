import type { PGlite } from '@electric-sql/pglite';
import { DatabaseAcquireTimeoutError } from '../../../errors';

interface Waiter {
  owner: string;
  grant(): void;
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

  #wait(owner: string, timeoutMillis: number): Promise<void> {
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
