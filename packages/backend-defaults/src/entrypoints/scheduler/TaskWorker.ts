import type { LoggerService } from '@plinth/backend-plugin-api';
import type { ParsedTaskDefinition } from './parseTaskDefinition';

/** What every task loop is built from. */
export interface TaskWorkerOptions {
  task: ParsedTaskDefinition;
  pluginId: string;
  /** A logger whose lines carry the task id. */
  logger: LoggerService;
  /** Aborted when the plugin shuts down. */
  shutdownSignal: AbortSignal;
}

/** The loop that runs one scheduled task, locally or through its row. */
export interface TaskWorker {
  readonly task: ParsedTaskDefinition;
  /**
   * Runs the loop until the task's signal or the shutdown signal aborts;
   * resolves once the last run has finished, and never rejects.
   */
  start(): Promise<void>;
  /**
   * Asks for a run as soon as possible.
   * @throws {@link @plinth/errors#ConflictError} when the task is running.
   */
  trigger(): Promise<void>;
  /**
   * Gives up on a run that outlived the shutdown wait. A global task keeps
   * its lease, since its function may still be running: other replicas
   * take the task over once the lease expires.
   */
  abandon(): void;
}
