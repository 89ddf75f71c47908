import type { Config } from '@plinth/backend-plugin-api';
import { readDurationFromConfig } from '../rootConfig/readDurationFromConfig';

/** The scheduler's settings from `backend.scheduler`. */
export interface SchedulerConfig {
  /** The longest a global task's loop waits before it looks at its row. */
  pollIntervalMs: number;
  /** How long shutdown waits for running tasks after aborting them. */
  shutdownTimeoutMs: number;
  /**
   * How long a global task's lease outlasts its timeout, so that a run
   * whose signal aborted at the timeout can return before another replica
   * may claim the task.
   */
  leaseGraceMs: number;
}

const DEFAULTS: SchedulerConfig = {
  pollIntervalMs: 5_000,
  shutdownTimeoutMs: 10_000,
  leaseGraceMs: 10_000,
};

/**
 * Reads `backend.scheduler.pollInterval`,
 * `backend.scheduler.shutdownTimeout` and `backend.scheduler.leaseGrace`:
 * milliseconds, a HumanDuration object or an ISO 8601 string, each longer
 * than zero.
 *
 * @throws {@link @plinth/backend-defaults#InvalidConfigError} when a value is not such a duration.
 */
export function readSchedulerConfig(config: Config): SchedulerConfig {
  const read = (name: string) =>
    readDurationFromConfig(config, `backend.scheduler.${name}`, {
      allowZero: false,
    });
  return {
    pollIntervalMs: read('pollInterval') ?? DEFAULTS.pollIntervalMs,
    shutdownTimeoutMs: read('shutdownTimeout') ?? DEFAULTS.shutdownTimeoutMs,
    leaseGraceMs: read('leaseGrace') ?? DEFAULTS.leaseGraceMs,
  };
}
