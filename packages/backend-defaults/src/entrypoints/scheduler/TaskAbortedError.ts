import { CustomErrorBase } from '@plinth/errors';

/**
 * The reason a task's `AbortSignal` aborted: it ran past its timeout, its
 * schedule was cancelled, or its plugin is shutting down.
 *
 * @public
 */
export class TaskAbortedError extends CustomErrorBase {
  readonly name = 'TaskAbortedError' as const;

  private constructor(
    message: string,
    /** Why the signal aborted, for code that handles the cases apart. */
    readonly kind: 'timeout' | 'cancelled' | 'shutdown',
  ) {
    super(message);
  }

  /** The run took longer than the task's timeout. */
  static timedOut(
    taskId: string,
    pluginId: string,
    timeout: string,
  ): TaskAbortedError {
    return new TaskAbortedError(
      `Task '${taskId}' of plugin '${pluginId}' ran longer than its timeout '${timeout}', so its signal was aborted. Make the task stop when its signal aborts, and raise the timeout if the work needs longer.`,
      'timeout',
    );
  }

  /** The `signal` given to `scheduleTask` aborted. */
  static cancelled(taskId: string, pluginId: string): TaskAbortedError {
    return new TaskAbortedError(
      `Task '${taskId}' of plugin '${pluginId}' was cancelled through the signal passed to scheduleTask, so its run was aborted. Schedule it again to resume it.`,
      'cancelled',
    );
  }

  /** The plugin's shutdown hooks are running. */
  static shutdown(taskId: string, pluginId: string): TaskAbortedError {
    return new TaskAbortedError(
      `Task '${taskId}' of plugin '${pluginId}' was aborted because the plugin is shutting down. It runs again at its next time after the backend restarts.`,
      'shutdown',
    );
  }
}
