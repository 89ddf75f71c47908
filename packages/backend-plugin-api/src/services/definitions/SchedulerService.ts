import type { JsonObject } from '@plinth/errors';

/**
 * The work a task does; it should stop soon after `signal` aborts.
 *
 * @remarks
 * The second argument is Plinth's addition to Backstage's signature, so a
 * function written for Backstage, which takes the signal only, runs
 * unchanged; a scheduler that does not know it passes nothing, hence the
 * `?`.
 *
 * @public
 */
export type SchedulerServiceTaskFunction = (
  signal: AbortSignal,
  run?: SchedulerServiceTaskRunContext,
) => void | Promise<void>;

/**
 * What a task function learns about its run, beside its signal.
 *
 * @public
 */
export interface SchedulerServiceTaskRunContext {
  /**
   * The lease of a `global` task's run; absent for a `local` task, which
   * every replica runs.
   */
  lease?: SchedulerServiceTaskLease;
}

/**
 * The lease under which one replica runs a `global` task. Another replica
 * may claim the task once the lease expires (its timeout plus
 * `backend.scheduler.leaseGrace`), so a run that overruns it may find its
 * work done twice; the run's signal aborts as soon as the holder sees the
 * lease lost.
 *
 * @remarks
 * To make the task's own writes safe against an overrunning holder, store
 * the fencing token with what the task writes and make each write
 * conditional on it, such as
 * `UPDATE t SET ..., fencing_token = :token WHERE fencing_token <= :token`
 * (cast to `bigint` in SQL): a holder that lost its lease then writes
 * nothing.
 *
 * @public
 */
export interface SchedulerServiceTaskLease {
  /**
   * Grows with every claim of the task across all replicas: a later run's
   * token is larger. A non-negative integer as a decimal string (it may
   * pass `Number.MAX_SAFE_INTEGER`); compare it as `BigInt(token)` or as
   * `bigint` in SQL, never as a string.
   */
  readonly fencingToken: string;
  /**
   * Asks the database whether this run still holds the lease; `false`
   * once another replica claimed the task or `cancelTask()` ended the
   * run.
   */
  isHeld(): Promise<boolean>;
}

/**
 * A duration as a {@link HumanDuration} or an ISO 8601 string (`PT30M`).
 *
 * @public
 */
export type SchedulerServiceDuration = HumanDuration | string;

/**
 * When and how a task runs.
 *
 * @public
 */
export interface SchedulerServiceTaskScheduleDefinition {
  /** A cron expression, an interval, or `manual` to run only when triggered. */
  frequency:
    { cron: string } | { trigger: 'manual' } | SchedulerServiceDuration;
  /** After this long the task's signal aborts. */
  timeout: SchedulerServiceDuration;
  /**
   * Delay before the first run after start-up.
   * @defaultValue no delay
   */
  initialDelay?: SchedulerServiceDuration;
  /**
   * `global`: one replica at a time across the deployment; `local`: every replica.
   * @defaultValue `'global'`
   */
  scope?: 'global' | 'local';
}

/**
 * What to run.
 *
 * @public
 */
export interface SchedulerServiceTaskInvocationDefinition {
  /** Unique within the plugin. */
  id: string;
  fn: SchedulerServiceTaskFunction;
  /** Cancels the schedule when aborted. */
  signal?: AbortSignal;
}

/**
 * Runs tasks on a schedule fixed in advance.
 *
 * @public
 */
export interface SchedulerServiceTaskRunner {
  run(task: SchedulerServiceTaskInvocationDefinition): Promise<void>;
}

/**
 * A scheduled task as reported by {@link SchedulerService.getScheduledTasks}.
 *
 * @public
 */
export interface SchedulerServiceTaskDescriptor {
  id: string;
  scope: 'global' | 'local';
  settings: JsonObject;
}

/**
 * Schedules recurring work for a plugin.
 *
 * @public
 */
export interface SchedulerService {
  /** Runs a scheduled task now; throws `NotFoundError` for an unknown id. */
  triggerTask(id: string): Promise<void>;
  /**
   * Cancels the run of a task in progress, on whichever replica runs it:
   * the run's signal aborts and the task runs again at its next time.
   * Throws `NotFoundError` for an unknown id and `ConflictError` when the
   * task is not running.
   */
  cancelTask(id: string): Promise<void>;
  scheduleTask(
    task: SchedulerServiceTaskScheduleDefinition &
      SchedulerServiceTaskInvocationDefinition,
  ): Promise<void>;
  createScheduledTaskRunner(
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): SchedulerServiceTaskRunner;
  getScheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]>;
}

/**
 * A duration written the way people say it, such as `{ minutes: 30 }`.
 * Fields add up; an absent field counts as 0.
 *
 * @public
 */
export interface HumanDuration {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}
