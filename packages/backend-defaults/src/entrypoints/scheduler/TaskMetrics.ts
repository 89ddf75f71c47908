import type {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
} from '@plinth/backend-plugin-api/alpha';

/**
 * Seconds, from a quick refresh to a long import: the SDK's default
 * bounds (0 to 10,000) are meant for milliseconds and would put nearly
 * every run in the first buckets.
 */
const runBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

/** How a run ended, as the `result` attribute of `scheduler.task.runs`. */
export type TaskRunResult = 'succeeded' | 'failed' | 'aborted';

/**
 * The scheduler's instruments on the plugin's meter:
 * `scheduler.task.runs` (by `task` and `result`), `scheduler.task.duration`
 * (seconds, by `task`) and `scheduler.task.lease_takeovers` (by `task`).
 * Without a metrics service nothing is recorded.
 */
export class TaskMetrics {
  readonly #runs?: MetricsServiceCounter<{ task: string; result: string }>;
  readonly #duration?: MetricsServiceHistogram<{ task: string }>;
  readonly #takeovers?: MetricsServiceCounter<{ task: string }>;

  constructor(metrics?: MetricsService) {
    this.#runs = metrics?.createCounter('scheduler.task.runs', {
      description:
        'Runs of scheduled tasks by how they ended: succeeded, failed (threw), or aborted (the signal aborted first: timeout, cancellation, shutdown or a lost lease)',
      unit: '{run}',
    });
    this.#duration = metrics?.createHistogram('scheduler.task.duration', {
      description: 'How long runs of scheduled tasks took',
      unit: 's',
      advice: { explicitBucketBoundaries: runBuckets },
    });
    this.#takeovers = metrics?.createCounter('scheduler.task.lease_takeovers', {
      description:
        "Claims of a global task whose previous holder's lease had expired while held: the holder crashed, hung or overran its timeout and grace",
      unit: '{claim}',
    });
  }

  /** Counts a finished run and records how long it took. */
  recordRun(task: string, result: TaskRunResult, seconds: number): void {
    this.#runs?.add(1, { task, result });
    this.#duration?.record(seconds, { task });
  }

  /** Counts a claim that took over an expired lease. */
  recordTakeover(task: string): void {
    this.#takeovers?.add(1, { task });
  }
}
