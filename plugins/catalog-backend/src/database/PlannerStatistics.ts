import type { LoggerService } from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import type { Knex } from 'knex';

/**
 * The tables that entity reads and the processing queue filter and join:
 * their planner statistics decide whether a permission-filtered facet reads
 * a few hundred buffers or tens of thousands. And the stitch queue, whose
 * every row a stitch inserts, updates and deletes: vacuumed once drained,
 * its claims do not step over an ingestion's dead rows.
 */
const hotTables = [
  'final_entities',
  'search',
  'relations',
  'refresh_state',
  'stitch_queue',
];

/** Options of {@link PlannerStatistics}. */
export interface PlannerStatisticsOptions {
  knex: Knex;
  logger: LoggerService;
  /**
   * The entities stitched since the last refresh that make one due, on top
   * of a tenth of the entities served then, as autovacuum adds
   * `autovacuum_analyze_scale_factor` of a table to its base threshold.
   * @defaultValue 1000
   */
  analyzeAfterRows?: number;
  /** The least time between two refreshes. @defaultValue 10 seconds */
  minIntervalMs?: number;
}

/**
 * Keeps the planner statistics of the catalog's hot tables fresh after
 * large writes. PGlite has no autovacuum, so without this its tables are
 * never analyzed; PostgreSQL's autovacuum may run minutes after an
 * ingestion, or be off. Until then the planner guesses row counts some
 * hundred times off and permission-filtered queries read whole tables.
 *
 * The stitcher counts the entities it writes and asks for a refresh when it
 * runs out of work, so an ingestion is analyzed once at its end rather than
 * batch by batch. A refresh is a `VACUUM (ANALYZE)`: the analysis samples a
 * bounded number of rows; the vacuum reads each table once, drops the dead
 * rows the queue's updates leave (some ten per entity in an ingestion,
 * which grew `refresh_state` to 1.3 GB for 100,000 entities with
 * autovacuum off), and sets the visibility map, which lets the covering
 * search index answer facets, counts and filters without reading the
 * table. On PostgreSQL it runs under a session-level advisory lock, so
 * replicas that finish stitching together refresh once: concurrent
 * `ANALYZE` of one table can fail with "tuple concurrently updated".
 */
export class PlannerStatistics {
  readonly #options: Required<PlannerStatisticsOptions>;
  #writtenRows = 0;
  /** Entities served at the last refresh, as the planner counted them. */
  #servedRows = 0;
  #lastRefreshAt = Number.NEGATIVE_INFINITY;
  #isPglite: boolean | undefined;

  constructor(options: PlannerStatisticsOptions) {
    this.#options = {
      ...options,
      analyzeAfterRows: options.analyzeAfterRows ?? 1000,
      minIntervalMs: options.minIntervalMs ?? 10_000,
    };
  }

  /** Counts entities whose stitched form was written. */
  recordWrites(rows: number): void {
    this.#writtenRows += rows;
  }

  /** Whether enough entities were written since the last refresh, and the interval passed. */
  get due(): boolean {
    const { analyzeAfterRows, minIntervalMs } = this.#options;
    return (
      this.#writtenRows >= analyzeAfterRows + 0.1 * this.#servedRows &&
      Date.now() - this.#lastRefreshAt >= minIntervalMs
    );
  }

  /**
   * Refreshes the statistics when enough entities were written since the
   * last refresh and the interval passed; otherwise does nothing. Never
   * throws: a failure is logged, and tried again at the next call after the
   * interval, since the writes stay counted.
   *
   * @returns whether a refresh ran and succeeded.
   */
  async refreshIfDue(): Promise<boolean> {
    const { minIntervalMs, logger } = this.#options;
    if (!this.due) {
      return false;
    }
    this.#lastRefreshAt = Date.now();
    try {
      await this.#refresh();
    } catch (error) {
      logger.warn(
        `Could not refresh the planner statistics of the catalog tables ${hotTables.map(t => `'${t}'`).join(', ')} after ${this.#writtenRows} stitched entities; queries may be planned on stale row counts until the next try in ${minIntervalMs} ms or until autovacuum runs. Processing goes on.`,
        toError(error),
      );
      return false;
    }
    this.#writtenRows = 0;
    return true;
  }

  async #refresh(): Promise<void> {
    const { knex } = this.#options;
    const tables = hotTables.map(() => '??').join(', ');
    // PGlite answers as PostgreSQL to knex; its version string tells.
    this.#isPglite ??= await knex
      .raw<{ rows: { version: string }[] }>('SELECT version() AS version')
      .then(({ rows }) => rows[0]?.version.includes('PGlite') ?? false);
    if (this.#isPglite) {
      // A single process: no other replica to leave the refresh to.
      await knex.raw(`VACUUM (ANALYZE) ${tables}`, hotTables);
    } else {
      await vacuumUnlessLocked(knex, tables);
    }
    const { rows } = await knex.raw<{ rows: { reltuples: number }[] }>(
      `SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)`,
      ['final_entities'],
    );
    this.#servedRows = Math.max(0, Number(rows[0]?.reltuples ?? 0));
  }
}

/** What knex's client offers, untyped, to hold one connection of its pool. */
interface KnexConnectionPool {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

/**
 * `VACUUM (ANALYZE)` of the hot tables on one connection of the pool,
 * which holds the advisory lock for its duration (VACUUM refuses to run in
 * a transaction, whose lock would otherwise end with it); nothing when
 * another replica holds the lock, as it refreshes these tables right now.
 */
async function vacuumUnlessLocked(knex: Knex, tables: string): Promise<void> {
  const lockKey = `hashtext(current_schema() || '.catalog-planner-statistics')`;
  const pool = knex.client as KnexConnectionPool;
  const connection = await pool.acquireConnection();
  try {
    const { rows } = await knex
      .raw<{
        rows: { locked: boolean }[];
      }>(`SELECT pg_try_advisory_lock(${lockKey}) AS locked`)
      .connection(connection);
    if (!rows[0]?.locked) {
      return;
    }
    try {
      await knex
        .raw(`VACUUM (ANALYZE) ${tables}`, hotTables)
        .connection(connection);
    } finally {
      await knex
        .raw(`SELECT pg_advisory_unlock(${lockKey})`)
        .connection(connection);
    }
  } finally {
    await pool.releaseConnection(connection);
  }
}
