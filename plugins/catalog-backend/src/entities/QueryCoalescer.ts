/**
 * Lets identical queries that overlap in time share one database round:
 * a query asked for while the same one is running gets that run's
 * result. Nothing is kept once a run settles, so no answer is older than
 * the request that receives it by more than one run.
 *
 * @remarks
 * Under load many clients ask the same listing or facet counts at once;
 * sharing the run keeps the database from doing the same work in
 * parallel. Results are shared between callers, which must not modify
 * them.
 *
 * @internal
 */
export class QueryCoalescer {
  readonly #running = new Map<string, Promise<unknown>>();

  /** The result of `query`, or of the run of the same `key` in progress. */
  run<T>(key: string, query: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key) as Promise<T> | undefined;
    if (running) {
      return running;
    }
    const run = query().finally(() => {
      if (this.#running.get(key) === run) {
        this.#running.delete(key);
      }
    });
    this.#running.set(key, run);
    return run;
  }

  /**
   * Makes later queries start runs of their own, for after a write whose
   * effect they must see; the runs in progress still answer their callers.
   */
  forgetRunning(): void {
    this.#running.clear();
  }
}
