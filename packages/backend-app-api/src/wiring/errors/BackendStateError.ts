import { CustomErrorBase } from '@plinth/errors';

/**
 * A backend method was called in a state that does not allow it, such as
 * `add()` after `start()`.
 *
 * @public
 */
export class BackendStateError extends CustomErrorBase {
  readonly name = 'BackendStateError' as const;

  /** `add()` after `start()` or `stop()`. */
  static addTooLate(
    after: 'backend.start()' | 'backend.stop()',
  ): BackendStateError {
    return new BackendStateError(
      `backend.add() was called after ${after}; add every feature before starting the backend.`,
    );
  }

  /** `start()` on a backend that started, failed to start, or stopped. */
  static startAgain(
    state: 'started' | 'failed' | 'stopped',
  ): BackendStateError {
    const messages = {
      started:
        'backend.start() was called twice; start a backend once, or create another one.',
      failed:
        'backend.start() was called again after a failed start; fix the reported problems and start a new backend.',
      stopped:
        'backend.start() was called after backend.stop(); create a new backend to start again.',
    };
    return new BackendStateError(messages[state]);
  }

  /** The start ended early because `stop()` was called. */
  static stoppedWhileStarting(): BackendStateError {
    return new BackendStateError(
      'The backend was stopped while it was starting.',
    );
  }

  /** A hook was added for a phase that already ran, so it would never run. */
  static hookTooLate(phase: string, owner: string): BackendStateError {
    return new BackendStateError(
      `The ${phase} hooks of ${owner} have already run, so a new ${phase} hook would never run; add hooks during init.`,
    );
  }

  private constructor(message: string) {
    super(message);
  }
}
