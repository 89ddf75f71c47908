import { BackendStateError } from '@plinth/backend-app-api';
import { isError } from '@plinth/errors';

// Errors that describe a mistake in configuration or wiring in full; their
// stack would only point into the engine.
const userMistakes = new Set([
  'BackendValidationError',
  'BackendStartupError',
  'BackendStateError',
]);

/**
 * Starts a backend so that a start failure nobody handles becomes a
 * readable message and exit code 1, instead of Node's stack dump. A start
 * that `stop()` ended early is no failure and is left to the stop. Other
 * unhandled rejections keep Node's default behaviour of crashing with
 * their stack, and the watch ends once the start succeeds.
 *
 * @returns the start promise to hand to the caller.
 */
export function startWithFailureReport(
  start: () => Promise<void>,
): Promise<void> {
  const onUnhandled = (reason: unknown, promise: Promise<unknown>) => {
    if (promise !== started) {
      throw reason;
    }
    process.off('unhandledRejection', onUnhandled);
    if (isEndedByStop(reason)) {
      // Not a failure: whoever stopped the backend, a signal handler or the
      // caller, decides how the process ends, and exiting here would cut
      // that stop short.
      return;
    }
    // The engine has already logged a startup failure through the logger.
    if (!(isError(reason) && reason.name === 'BackendStartupError')) {
      process.stderr.write(`${describeFailure(reason)}\n`);
    }
    process.exit(1);
  };
  // A rejection is reported a tick later at the earliest, so listening
  // right after the start began misses nothing.
  const started = start().then(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  process.on('unhandledRejection', onUnhandled);
  return started;
}

function describeFailure(reason: unknown): string {
  if (isError(reason)) {
    return userMistakes.has(reason.name)
      ? reason.message
      : (reason.stack ?? reason.message);
  }
  return `Backend failed to start: ${String(reason)}`;
}

// BackendStateError has no code to tell its cases apart; the engine's own
// factory gives the message, so a reworded message still matches.
function isEndedByStop(reason: unknown): boolean {
  return (
    isError(reason) &&
    reason.name === 'BackendStateError' &&
    reason.message === BackendStateError.stoppedWhileStarting().message
  );
}
