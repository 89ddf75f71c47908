/** Why {@link InterruptibleSleep.sleep} returned. */
export type SleepOutcome = 'elapsed' | 'woken' | 'aborted';

// setTimeout fires at once for delays above this, so longer sleeps are
// taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The wait of a task loop between runs: it ends when the time is up, when
 * `wake()` is called (a trigger), or when the signal aborts (cancellation
 * or shutdown). A `wake()` while nobody sleeps is kept for the next sleep,
 * so a trigger is never lost.
 */
export class InterruptibleSleep {
  #wake?: () => void;
  #pendingWake = false;

  /** Ends the current sleep, or the next one if none is running. */
  wake(): void {
    if (this.#wake) {
      this.#wake();
    } else {
      this.#pendingWake = true;
    }
  }

  /** Sleeps for `ms` milliseconds; `Infinity` sleeps until woken or aborted. */
  async sleep(ms: number, signal: AbortSignal): Promise<SleepOutcome> {
    if (signal.aborted) {
      return 'aborted';
    }
    if (this.#pendingWake) {
      this.#pendingWake = false;
      return 'woken';
    }
    const until = Date.now() + ms;
    for (;;) {
      const remaining = until - Date.now();
      if (remaining <= 0) {
        return 'elapsed';
      }
      const outcome = await this.#sleepOnce(
        Math.min(remaining, MAX_TIMER_MS),
        signal,
      );
      if (outcome !== 'elapsed' || ms <= MAX_TIMER_MS) {
        return outcome;
      }
    }
  }

  #sleepOnce(ms: number, signal: AbortSignal): Promise<SleepOutcome> {
    return new Promise(resolve => {
      const finish = (outcome: SleepOutcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('elapsed'), ms);
      signal.addEventListener('abort', onAbort);
      this.#wake = () => finish('woken');
    });
  }
}
