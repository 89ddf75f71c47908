import type { JsonObject } from '@plinth/errors';

/**
 * The work a task does; it should stop soon after `signal` aborts.
 *
 * @public
 */
export type SchedulerServiceTaskFunction = (
  signal: AbortSignal,
) => void | Promise<void>;

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
