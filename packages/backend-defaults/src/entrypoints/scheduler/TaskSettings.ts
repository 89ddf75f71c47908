/**
 * A task's schedule as stored in its database row and reported by
 * `getScheduledTasks()`, in the shape Backstage uses: durations are
 * canonical ISO 8601 strings, so two replicas with the same schedule write
 * the same JSON.
 */
export type TaskSettings = {
  version: 1;
  /** A cron expression, an ISO 8601 duration (starts with `P`), or `manual`. */
  cadence: string;
  timeoutAfterDuration: string;
  initialDelayDuration?: string;
};
