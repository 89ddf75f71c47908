import { migrateDatabase } from '@plinth/backend-plugin-api';
import { ConflictError, NotFoundError } from '@plinth/errors';
import type { Knex } from 'knex';
import { parseDuration } from '../../config';
import { notRunningError } from './TaskWorker';
import {
  computeNextRun,
  isCronCadence,
  type TaskSettings,
} from './taskSchedule';

/** The scheduler's table of tasks, in the plugin's own database. */
export const SCHEDULER_TASKS_TABLE = 'plinth_scheduler__tasks';
/** Where the scheduler records its own migrations, apart from the plugin's. */
export const SCHEDULER_MIGRATIONS_TABLE = 'plinth_scheduler__knex_migrations';

/** A run a replica claimed: it holds the lease until it releases it. */
export interface ClaimedRun {
  /** The settings in the row when it was claimed, which the run follows. */
  settings: TaskSettings;
  timeoutMs: number;
  /** The start of the run on the database clock. */
  startedAt: Date;
  /**
   * The claim's place in the task's sequence of claims, one more than the
   * previous claim's, as a decimal bigint.
   */
  fencingToken: string;
  /** Whether the claim took over a lease that expired while held. */
  tookOver: boolean;
}

/** Who holds a lease: see {@link TaskStore.leaseState}. */
export type LeaseState = 'held' | 'freed' | 'taken';

const TABLE = SCHEDULER_TASKS_TABLE;

/**
 * The rows of global tasks in a plugin's database. Every time that decides
 * who runs what (due, leased, expired) is the database's `now()`, so
 * replicas with skewed clocks still agree.
 */
export class TaskStore {
  readonly #knex: Knex;
  readonly #pluginId: string;

  constructor(knex: Knex, pluginId: string) {
    this.#knex = knex;
    this.#pluginId = pluginId;
  }

  /**
   * Writes a task's row. A new row is due after the initial delay (or at
   * the first cron time after it). An existing row with other settings
   * takes the new settings and the earlier of its due time and the new
   * one; with the same settings it keeps its due time, so a restarting
   * replica does not make the task run early.
   */
  async upsert(id: string, settings: TaskSettings): Promise<void> {
    const now = await this.#now();
    const firstRun = computeFirstRun(settings, now);
    await this.#knex.raw(
      `INSERT INTO ?? AS t (id, settings_json, next_run_start_at)
       VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         settings_json = EXCLUDED.settings_json,
         next_run_start_at = CASE
           WHEN t.settings_json = EXCLUDED.settings_json THEN t.next_run_start_at
           WHEN EXCLUDED.next_run_start_at IS NULL THEN NULL
           ELSE LEAST(t.next_run_start_at, EXCLUDED.next_run_start_at)
         END`,
      [TABLE, id, JSON.stringify(settings), firstRun ?? null],
    );
  }

  /**
   * Takes the lease of a due task that nobody holds, or whose holder's
   * lease expired. The lease lasts the timeout in the row's settings plus
   * `leaseGraceMs`: the run's signal aborts at the timeout, and the grace
   * gives it time to return before another replica may claim the task.
   *
   * @returns the claimed run, or `undefined` when the task is not due or
   *   another replica holds it.
   */
  async claim(
    id: string,
    ticket: string,
    leaseGraceMs: number,
  ): Promise<ClaimedRun | undefined> {
    // The claimable row is locked before the update so that whether it
    // held an expired lease is read from the same row version the update
    // replaces (RETURNING shows only the new one).
    const result = await this.#knex.raw<{
      rows: Array<{
        settings_json: string;
        current_run_started_at: Date;
        fencing_token: string;
        took_over: boolean;
      }>;
    }>(
      `WITH claimable AS (
         SELECT id, current_run_ticket IS NOT NULL AS took_over FROM ??
         WHERE id = ?
           AND next_run_start_at <= now()
           AND (current_run_ticket IS NULL OR current_run_expires_at <= now())
         FOR UPDATE
       )
       UPDATE ?? AS t SET
         current_run_ticket = ?,
         fencing_token = t.fencing_token + 1,
         current_run_started_at = now(),
         current_run_expires_at = now()
           + CAST(CAST(t.settings_json AS json) ->> 'timeoutAfterDuration' AS interval)
           + CAST(? AS float8) * INTERVAL '1 millisecond'
       FROM claimable
       WHERE t.id = claimable.id
       RETURNING t.settings_json, t.current_run_started_at,
         CAST(t.fencing_token AS text) AS fencing_token, claimable.took_over`,
      [TABLE, id, TABLE, ticket, leaseGraceMs],
    );
    const row = result.rows[0];
    if (!row) {
      return undefined;
    }
    const settings = JSON.parse(row.settings_json) as TaskSettings;
    return {
      settings,
      timeoutMs: parseDuration(settings.timeoutAfterDuration) ?? 0,
      startedAt: new Date(row.current_run_started_at),
      fencingToken: row.fencing_token,
      tookOver: row.took_over,
    };
  }

  /**
   * Ends a run: frees the lease and sets when the task is due next, if the
   * lease is still the claim's. The fencing token makes a late holder's
   * write fail even if its ticket were reused.
   *
   * @returns `false` when the lease was no longer the claim's (another
   *   replica claimed the task after the lease expired, or the run was
   *   cancelled) or the row is gone.
   */
  async release(
    id: string,
    lease: { ticket: string; fencingToken: string },
    nextRun?: Date,
  ): Promise<boolean> {
    const updated = await this.#knex(TABLE)
      .where({
        id,
        current_run_ticket: lease.ticket,
        fencing_token: lease.fencingToken,
      })
      .update({
        current_run_ticket: null,
        current_run_started_at: null,
        current_run_expires_at: null,
        next_run_start_at: nextRun ?? null,
      });
    return updated > 0;
  }

  /**
   * Makes a task due now, for whichever replica polls first.
   *
   * @throws {@link @plinth/errors#NotFoundError} when no row has the id;
   *   {@link @plinth/errors#ConflictError} when a replica holds its lease.
   */
  async trigger(id: string): Promise<void> {
    const updated = await this.#knex(TABLE)
      .where({ id })
      .andWhere(q => {
        void q
          .whereNull('current_run_ticket')
          .orWhere('current_run_expires_at', '<=', this.#knex.fn.now());
      })
      .update({ next_run_start_at: this.#knex.fn.now() });
    if (updated > 0) {
      return;
    }
    const rows = await this.#knex(TABLE).where({ id }).select<unknown[]>('id');
    if (rows.length === 0) {
      throw new NotFoundError(
        `Cannot trigger task '${id}' of plugin '${this.#pluginId}': no task with this id is scheduled. Check the id against getScheduledTasks().`,
      );
    }
    throw new ConflictError(
      `Cannot trigger task '${id}' of plugin '${this.#pluginId}': it is running on this or another replica. Wait for the run to finish, then trigger it again.`,
    );
  }

  /**
   * Ends the run in progress, whichever replica holds it: frees its lease
   * and sets when the task is due next, counting from the run's start as
   * a finished run would. The holder sees its lease gone and aborts the
   * run's signal.
   *
   * @throws {@link @plinth/errors#NotFoundError} when no row has the id;
   *   {@link @plinth/errors#ConflictError} when no live lease is held.
   */
  async cancel(id: string): Promise<void> {
    const [row] = await this.#knex(TABLE).where({ id }).select<
      Array<{
        settings_json: string;
        current_run_ticket: string | null;
        current_run_started_at: Date | null;
        fencing_token: string;
        live: boolean;
      }>
    >('settings_json', 'current_run_ticket', 'current_run_started_at', this.#knex.raw('CAST(fencing_token AS text) AS fencing_token'), this.#knex.raw('current_run_expires_at > now() AS live'));
    if (!row) {
      throw new NotFoundError(
        `Cannot cancel task '${id}' of plugin '${this.#pluginId}': no task with this id is scheduled. Check the id against getScheduledTasks().`,
      );
    }
    const ticket = row.current_run_ticket;
    if (ticket === null || !row.live || !row.current_run_started_at) {
      throw notRunningError(id, this.#pluginId);
    }
    const settings = JSON.parse(row.settings_json) as TaskSettings;
    const nextRun = computeNextRun(settings.cadence, {
      lastStartedAt: new Date(row.current_run_started_at),
      now: await this.#now(),
    });
    const lease = { ticket, fencingToken: row.fencing_token };
    if (!(await this.release(id, lease, nextRun))) {
      // The run ended between the read and the update.
      throw notRunningError(id, this.#pluginId);
    }
  }

  /**
   * Whether a claim still holds the task's lease: `freed` when the run was
   * cancelled (or the row deleted), `taken` when another claim followed.
   */
  async leaseState(
    id: string,
    lease: { ticket: string; fencingToken: string },
  ): Promise<LeaseState> {
    const [row] = await this.#knex(TABLE)
      .where({ id })
      .select<Array<{ current_run_ticket: string | null; later: boolean }>>(
        'current_run_ticket',
        this.#knex.raw('fencing_token > CAST(? AS bigint) AS later', [
          lease.fencingToken,
        ]),
      );
    if (row?.later) {
      return 'taken';
    }
    return row?.current_run_ticket === lease.ticket ? 'held' : 'freed';
  }

  /**
   * How long until the task may be claimed: until it is due and any lease
   * on it has expired.
   *
   * @returns milliseconds (0 or less when claimable now), `null` when it
   *   is not due at all (an idle manual task), `undefined` when the row is
   *   missing.
   */
  async msUntilClaimable(id: string): Promise<number | null | undefined> {
    // A lease only delays a task that is due at all; GREATEST skips NULLs.
    const rows = await this.#knex(TABLE)
      .where({ id })
      .select<Array<{ wait_ms: number | null }>>(
        this.#knex.raw(
          `CASE WHEN next_run_start_at IS NULL THEN NULL
           ELSE CAST(EXTRACT(EPOCH FROM (GREATEST(
             next_run_start_at,
             CASE WHEN current_run_ticket IS NOT NULL THEN current_run_expires_at END
           ) - now())) * 1000 AS float8) END AS wait_ms`,
        ),
      );
    return rows.length === 0 ? undefined : rows[0].wait_ms;
  }

  async #now(): Promise<Date> {
    const result = await this.#knex.raw<{ rows: Array<{ now: Date }> }>(
      'SELECT now() AS now',
    );
    return new Date(result.rows[0].now);
  }
}

function computeFirstRun(settings: TaskSettings, now: Date): Date | undefined {
  if (settings.cadence === 'manual') {
    return undefined;
  }
  const delayMs = parseDuration(settings.initialDelayDuration ?? 'PT0S') ?? 0;
  const earliest = new Date(now.getTime() + delayMs);
  return isCronCadence(settings.cadence)
    ? computeNextRun(settings.cadence, {
        lastStartedAt: earliest,
        now: earliest,
      })
    : earliest;
}

const migrations: Record<string, Knex.Migration> = {
  '20250601000000_create_tasks': {
    async up(knex) {
      await knex.schema.createTable(SCHEDULER_TASKS_TABLE, table => {
        table.comment('Tasks of the scheduler of this plugin, one row each');
        table.text('id').primary().comment('The task id, unique per plugin');
        table
          .text('settings_json')
          .notNullable()
          .comment('The schedule as JSON, written by the last replica');
        table
          .timestamp('next_run_start_at', { useTz: true })
          .nullable()
          .comment(
            'When the task is due; NULL until a manual task is triggered',
          );
        table
          .text('current_run_ticket')
          .nullable()
          .comment('The lease of the replica running the task, if any');
        table.timestamp('current_run_started_at', { useTz: true }).nullable();
        table
          .timestamp('current_run_expires_at', { useTz: true })
          .nullable()
          .comment('When the lease ends and another replica may take over');
      });
    },
    async down(knex) {
      await knex.schema.dropTable(SCHEDULER_TASKS_TABLE);
    },
  },
  '20261206000000_add_fencing_token': {
    async up(knex) {
      await knex.schema.alterTable(SCHEDULER_TASKS_TABLE, table => {
        table
          .bigInteger('fencing_token')
          .notNullable()
          .defaultTo(0)
          .comment(
            'Counts the claims of the task; kept after a release, so each claim gets a larger one',
          );
      });
    },
    async down(knex) {
      await knex.schema.alterTable(SCHEDULER_TASKS_TABLE, table => {
        table.dropColumn('fencing_token');
      });
    },
  },
};

/**
 * Brings the scheduler's tables up to date in a plugin's database. The
 * scheduler keeps its own migrations table, so it never mixes with the
 * plugin's migrations, and it migrates even when the plugin skips its own.
 *
 * @throws {@link @plinth/errors#ForwardedError} when migrating fails, with
 *   the database error as its cause.
 */
export async function migrateSchedulerTables(
  knex: Knex,
  options: { pluginId: string; lockWaitMs?: number },
): Promise<void> {
  await migrateDatabase(knex, {
    migrations,
    tableName: SCHEDULER_MIGRATIONS_TABLE,
    failure: `Could not create the scheduler tables of plugin '${options.pluginId}'`,
    fix: "Check that the plugin's database is reachable and that its user may create tables.",
    lockWaitMs: options.lockWaitMs,
  });
}
