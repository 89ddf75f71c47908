import { ConflictError } from '@plinth/errors';
import type { RuntimeServiceError } from '../../errors';

// Test-only helpers of the scheduler's tests; nothing else imports them.

/** A task function that counts its runs; `body` runs inside each. */
function countRuns(body: () => void = () => {}) {
  const counter = {
    runs: 0,
    fn: () => {
      counter.runs += 1;
      body();
    },
    waitForRuns: (n: number) => waitUntil(() => counter.runs >= n),
  };
  return counter;
}

/**
 * A task function whose run holds until `release()` or until its signal
 * aborts, which `aborted` reports with the reason. With `ignoreAbort` the
 * run holds on after its signal aborts, until `release()`.
 */
function holdRun(options: { ignoreAbort?: boolean } = {}) {
  let markStarted!: () => void;
  let markAborted!: (reason: RuntimeServiceError) => void;
  let release = () => {};
  const gate = {
    runs: 0,
    started: new Promise<void>(resolve => (markStarted = resolve)),
    aborted: new Promise<RuntimeServiceError>(
      resolve => (markAborted = resolve),
    ),
    release: () => release(),
    fn: (signal: AbortSignal) =>
      new Promise<void>(resolve => {
        gate.runs += 1;
        release = resolve;
        signal.addEventListener('abort', () => {
          markAborted(signal.reason as RuntimeServiceError);
          if (!options.ignoreAbort) {
            resolve();
          }
        });
        markStarted();
      }),
  };
  return gate;
}

/**
 * Triggers a task once its previous run has fully ended: a run counts as
 * running until its function's promise has settled and its lease is freed.
 */
async function triggerWhenIdle(trigger: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      return await trigger();
    } catch (error) {
      if (!(error instanceof ConflictError)) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  }
}

/**
 * Task functions that let the scheduler's tests observe runs: count them,
 * hold one open, trigger again once idle.
 */
export const taskProbes = { countRuns, holdRun, triggerWhenIdle };

/**
 * Polls a condition every few milliseconds until it holds; for the
 * scheduler's tests, whose own timeout bounds the wait, so no test asserts
 * how long anything took.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
): Promise<void> {
  while (!(await condition())) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}
