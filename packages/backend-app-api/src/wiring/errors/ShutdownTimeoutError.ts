import { CustomErrorBase } from '@plinth/errors';

/**
 * `stop()` gave up waiting: for a start that did not finish, or for
 * shutdown hooks that did not settle within the deadline.
 *
 * @public
 */
export class ShutdownTimeoutError extends CustomErrorBase {
  readonly name = 'ShutdownTimeoutError' as const;

  /** The start in progress did not reach the end of a step in time. */
  static startStillRunning(timeoutMs: number): ShutdownTimeoutError {
    return new ShutdownTimeoutError(
      `The backend was still starting ${timeoutMs / 1000}s after stop() was called; shutting down what has started. Find the init or hook that hangs in the progress warnings, or raise shutdownTimeoutMs.`,
    );
  }

  /** Shutdown hooks did not settle in time. */
  static hooksStillRunning(
    timeoutMs: number,
    pending: readonly string[],
  ): ShutdownTimeoutError {
    return new ShutdownTimeoutError(
      `The backend did not finish stopping within ${timeoutMs / 1000}s; still running: ${pending.join(', ') || 'no hook it can name'}. Make those hooks settle, or raise shutdownTimeoutMs.`,
    );
  }

  private constructor(message: string) {
    super(message);
  }
}
