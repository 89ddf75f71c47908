import type { Config } from '@plinth/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@plinth/errors';
import type { Knex } from 'knex';
import { listAncestors } from '../database/entityReferences';
import {
  isSettled,
  readWriteProgress,
  type WriteProgress,
} from '../database/readWriteProgress';
import { readDurationMs } from '../wiring/readCatalogEngineConfig';

/** The pauses between two looks at the database, growing; the last repeats. */
const pollDelaysMs = [10, 25, 50, 100, 200, 400, 700, 1000];

/**
 * The entities a write affects: each of `treeRefs` with everything
 * processing emits under it, and each of `refs` alone. Refs lowercased.
 */
export interface AffectedEntities {
  treeRefs: string[];
  refs?: string[];
}

/** How a wait ended. */
export interface WaitOutcome {
  /** Every affected entity is processed and stitched, and readable on every route. */
  settled: boolean;
  /** Why it ended unsettled: the time was up, or it was aborted. */
  reason?: 'timeout' | 'aborted';
  progress: WriteProgress;
}

/**
 * Waits until the entities a write affected are processed, stitched and
 * served, for `?wait=` on the write routes and for entity providers.
 *
 * @remarks
 * The database is the source of truth, so a wait ends whichever replica
 * did the processing: each round is one statement (see
 * `readWriteProgress`), with pauses that grow from 10 ms to a second. The
 * processing engine and the stitcher of this replica call
 * {@link WriteWaiter.notify} after each write, which cuts every pause short,
 * so a wait ends a few milliseconds after the stitch it waits for. Before
 * a wait reports its write settled, it calls `invalidateReads`, so that the
 * catalog's read cache looks at the generation again and the next read on
 * any route sees the stitched entities.
 *
 * HTTP waits take one of `maxConcurrentWaits` slots, taken before the
 * write so that a refused request changes nothing.
 *
 * @internal
 */
export class WriteWaiter {
  readonly #knex: Knex;
  readonly #invalidateReads: () => void;
  readonly #maxConcurrentWaits: number;
  /** `catalog.readYourWrites.maxWait`: the longest a request may wait. */
  readonly maxWaitMs: number;
  /** `catalog.readYourWrites.maxEntities`: the most entities one wait follows. */
  readonly maxEntities: number;
  #slotsTaken = 0;
  #wakeUp = createWakeUp();
  readonly #stopping = new AbortController();

  constructor(options: {
    knex: Knex;
    maxWaitMs: number;
    maxConcurrentWaits: number;
    maxEntities: number;
    invalidateReads: () => void;
  }) {
    this.#knex = options.knex;
    this.#invalidateReads = options.invalidateReads;
    this.#maxConcurrentWaits = options.maxConcurrentWaits;
    this.maxWaitMs = options.maxWaitMs;
    this.maxEntities = options.maxEntities;
  }

  /**
   * Reads `catalog.readYourWrites`: `maxWait` (default 60 seconds),
   * `maxConcurrentWaits` (default 100) and `maxEntities` (default 1000).
   *
   * @throws {@link @plinth/errors#InputError} naming the key when a value
   *   is invalid.
   */
  static fromConfig(
    config: Config,
    options: { knex: Knex; invalidateReads: () => void },
  ): WriteWaiter {
    return new WriteWaiter({
      ...options,
      maxWaitMs: readDurationMs(
        config,
        'catalog.readYourWrites.maxWait',
        60_000,
      ),
      maxConcurrentWaits: readCount(config, 'maxConcurrentWaits', 100),
      maxEntities: readCount(config, 'maxEntities', 1000),
    });
  }

  /**
   * Takes a slot for a request that will wait; call the returned function
   * once it is done.
   *
   * @throws {@link @plinth/errors#ServiceUnavailableError} when every slot
   *   is taken, or the backend is shutting down.
   */
  reserve(): () => void {
    if (this.#stopping.signal.aborted) {
      throw new ServiceUnavailableError(
        "This catalog replica is shutting down and takes no new 'wait'; nothing was written. Retry in a moment (another replica answers), or send the request without 'wait'.",
      );
    }
    if (this.#slotsTaken >= this.#maxConcurrentWaits) {
      throw new ServiceUnavailableError(
        `This catalog replica already has ${this.#maxConcurrentWaits} requests waiting for their writes, the most that 'catalog.readYourWrites.maxConcurrentWaits' allows; nothing was written. Retry in a moment, or send the request without 'wait' and poll its status route.`,
      );
    }
    this.#slotsTaken += 1;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.#slotsTaken -= 1;
      }
    };
  }

  /** Looks at the database again now, for writers in this process. */
  notify(): void {
    const wakeUp = this.#wakeUp;
    this.#wakeUp = createWakeUp();
    wakeUp.resolve();
  }

  /**
   * Ends every wait, unsettled, and refuses new ones, as the backend
   * starts shutting down: before the HTTP drain, which waits would hold.
   */
  stop(): void {
    this.#stopping.abort();
  }

  /** Where the affected entities stand now, once. */
  readProgress(affected: AffectedEntities): Promise<WriteProgress> {
    return readWriteProgress(this.#knex, {
      treeRefs: affected.treeRefs,
      refs: affected.refs,
      maxEntities: this.maxEntities,
    });
  }

  /**
   * What a refresh of the entity affects, as `RefreshService` schedules
   * it: the entity with what it emits, and the Location entities it was
   * read through, which are processed again to read it again.
   *
   * @param entityRef - lowercased.
   */
  async affectedByRefresh(entityRef: string): Promise<AffectedEntities> {
    const ancestors = await listAncestors(this.#knex, entityRef);
    return {
      treeRefs: [entityRef],
      refs: ancestors.filter(ref => ref.startsWith('location:')),
    };
  }

  /**
   * Waits until every affected entity is processed and stitched, for at
   * most `timeoutMs`, or until `signal` or the backend's stop aborts it.
   * Call it only once the write has committed.
   */
  async waitFor(
    affected: AffectedEntities,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<WaitOutcome> {
    const deadline = Date.now() + options.timeoutMs;
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.#stopping.signal])
      : this.#stopping.signal;
    for (let round = 0; ; round += 1) {
      const progress = await this.readProgress(affected);
      if (isSettled(progress)) {
        this.#invalidateReads();
        return { settled: true, progress };
      }
      if (signal.aborted) {
        return { settled: false, reason: 'aborted', progress };
      }
      const left = deadline - Date.now();
      if (left <= 0 || progress.truncated) {
        return { settled: false, reason: 'timeout', progress };
      }
      const delay = pollDelaysMs[Math.min(round, pollDelaysMs.length - 1)];
      await this.#pause(Math.min(delay, left), signal);
    }
  }

  /** Sleeps `ms`, or until a notification or an abort. */
  async #pause(ms: number, signal: AbortSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        this.#wakeUp.promise,
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, ms);
          onAbort = resolve;
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort) {
        signal.removeEventListener('abort', onAbort);
      }
    }
  }
}

/** A promise that the next notification resolves. */
function createWakeUp(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>(done => {
    resolve = done;
  });
  return { promise, resolve };
}

function readCount(config: Config, name: string, fallback: number): number {
  const key = `catalog.readYourWrites.${name}`;
  const value = config.getOptional(key) ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(
      `Invalid config at '${key}': expected an integer of at least 1, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
