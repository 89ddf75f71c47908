import type { LoggerService } from '@plinth/backend-plugin-api';
import type { Entity } from '@plinth/catalog-model';
import { describeErrorChain, toError } from '@plinth/errors';
import type { CatalogProcessingErrorHandler } from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import {
  claimDueEntities,
  type ClaimedEntity,
} from '../database/claimDueEntities';
import { describeLocationKeyConflict } from '../database/describeLocationKeyConflict';
import { runTransaction } from '../database/runTransaction';
import { toStoredError } from '../database/toStoredError';
import {
  writeProcessingResults,
  type ProcessingWrite,
} from '../database/writeProcessingResults';
import type {
  CatalogProcessingOrchestrator,
  EntityProcessingResult,
} from './CatalogProcessingOrchestrator';
import { computeStableHash } from './computeStableHash';
import { PollingLoop } from './PollingLoop';
import { runWithConcurrency } from './runWithConcurrency';
import { planProcessingWrite, readCacheState } from './planProcessingWrite';

/** Options of {@link DefaultCatalogProcessingEngine}. */
export interface DefaultCatalogProcessingEngineOptions {
  knex: Knex;
  orchestrator: CatalogProcessingOrchestrator;
  logger: LoggerService;
  /** @defaultValue 100 seconds, from `catalog.processingInterval` */
  processingIntervalMs?: number;
  /** @defaultValue `'delete'`, from `catalog.orphanStrategy` */
  orphanStrategy?: 'delete' | 'keep';
  /** How many entities one round claims. @defaultValue 500 */
  batchSize?: number;
  /** How many entities of a round are processed at once. @defaultValue 10 */
  concurrency?: number;
  /** The wait after a round that found nothing due. @defaultValue 200 ms */
  pollIntervalMs?: number;
  /**
   * Called after a write when an entity's processing reported errors that
   * differ from those of its previous run.
   */
  onProcessingError?: CatalogProcessingErrorHandler;
  /**
   * Called after each committed write that marked entities for stitching,
   * such as to wake the stitcher instead of letting it wait for its poll.
   */
  onStitchingMarked?: () => void;
}

interface Processed {
  write?: ProcessingWrite;
  unprocessedEntity?: Entity;
  errors: Error[];
}

/**
 * The processing loop: claims due entities in batches, runs the
 * orchestrator over them with bounded concurrency, and writes all results
 * of a batch in one transaction. A result equal to the previous one (same
 * hash) writes nothing.
 */
export class DefaultCatalogProcessingEngine {
  readonly #options: Required<
    Omit<
      DefaultCatalogProcessingEngineOptions,
      'onProcessingError' | 'onStitchingMarked'
    >
  > &
    Pick<
      DefaultCatalogProcessingEngineOptions,
      'onProcessingError' | 'onStitchingMarked'
    >;
  readonly #loop: PollingLoop;
  /** The write of the previous batch of the background loop. */
  #writing: Promise<void> = Promise.resolve();
  #writeFailure: Error | undefined;

  constructor(options: DefaultCatalogProcessingEngineOptions) {
    this.#options = {
      ...options,
      processingIntervalMs: options.processingIntervalMs ?? 100_000,
      orphanStrategy: options.orphanStrategy ?? 'delete',
      batchSize: options.batchSize ?? 500,
      concurrency: options.concurrency ?? 10,
      pollIntervalMs: options.pollIntervalMs ?? 200,
    };
    this.#loop = new PollingLoop({
      description: 'catalog processing',
      logger: options.logger,
      pollIntervalMs: this.#options.pollIntervalMs,
      runOnce: () => this.#processPipelined(),
    });
  }

  /** Starts processing in the background. */
  start(): void {
    this.#loop.start();
  }

  /**
   * Looks for due entities at once instead of after the poll interval, for
   * sources in this process that just wrote entities.
   */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops processing; waits for the batch in progress to be written. */
  async stop(): Promise<void> {
    await this.#loop.stop();
    await this.#writing;
    const failure = this.#takeWriteFailure();
    if (failure) {
      this.#options.logger.error(
        'The last batch of catalog processing could not be written; its entities are processed again at their next due time.',
        failure,
      );
    }
  }

  /**
   * Claims, processes and writes one batch of due entities.
   *
   * @returns how many entities were claimed; 0 when none was due.
   */
  async processOnce(): Promise<number> {
    const batch = await this.#claimAndProcess();
    if (batch) {
      await this.#write(batch);
    }
    return batch?.length ?? 0;
  }

  /**
   * One round of the background loop: processes a batch while the previous
   * one is being written, so the processors and the database work at the
   * same time. Writes still happen one at a time, in order.
   */
  async #processPipelined(): Promise<number> {
    const batch = await this.#claimAndProcess();
    await this.#writing;
    const failure = this.#takeWriteFailure();
    if (batch) {
      this.#writing = this.#write(batch).then(
        () => undefined,
        (error: unknown) => {
          this.#writeFailure = toError(error);
        },
      );
    }
    if (failure) {
      throw failure;
    }
    return batch?.length ?? 0;
  }

  #takeWriteFailure(): Error | undefined {
    const failure = this.#writeFailure;
    this.#writeFailure = undefined;
    return failure;
  }

  async #claimAndProcess(): Promise<Processed[] | undefined> {
    const { knex, batchSize, processingIntervalMs, concurrency } =
      this.#options;
    const claimed = await runTransaction(
      knex,
      tx =>
        claimDueEntities(tx, { batchSize, intervalMs: processingIntervalMs }),
      { derived: true },
    );
    if (claimed.length === 0) {
      return undefined;
    }
    return runWithConcurrency(claimed, concurrency, row =>
      this.#process(row).catch(error => this.#failed(row, toError(error))),
    );
  }

  /**
   * A row the engine itself could not handle, such as one whose output
   * cannot be written as JSON: stored as a failed run, so one bad entity
   * does not hold back its batch.
   */
  #failed(row: ClaimedEntity, error: Error): Processed {
    const errors = [toStoredError(error)];
    return {
      errors: [error],
      write: {
        kind: 'failed',
        entityId: row.entityId,
        entityRef: row.entityRef,
        unprocessedHash: row.unprocessedHash,
        resultHash: computeStableHash({ errors }),
        errors,
        cache: row.cache,
      },
    };
  }

  async #write(processed: Processed[]): Promise<void> {
    const writes = processed.flatMap(p => (p.write ? [p.write] : []));
    if (writes.length === 0) {
      return;
    }
    const outcome = await runTransaction(
      this.#options.knex,
      tx =>
        writeProcessingResults(tx, writes, {
          orphanStrategy: this.#options.orphanStrategy,
        }),
      { derived: true },
    );
    // Children written by this batch are due now; claim them without
    // waiting for the poll interval.
    if (writes.some(w => w.kind === 'processed' && w.children.length > 0)) {
      this.#loop.wake();
    }
    if (writes.some(w => w.kind !== 'cache')) {
      this.#options.onStitchingMarked?.();
    }
    for (const conflicts of outcome.conflicts.values()) {
      for (const conflict of conflicts) {
        this.#options.logger.warn(describeLocationKeyConflict(conflict));
      }
    }
    const written = new Set(outcome.written);
    for (const p of processed) {
      if (p.write && written.has(p.write.entityId) && p.errors.length > 0) {
        this.#reportErrors(p.write.entityRef, p.unprocessedEntity, p.errors);
      }
    }
  }

  async #process(row: ClaimedEntity): Promise<Processed> {
    const unprocessedEntity = JSON.parse(row.unprocessedEntity) as Entity;
    let result: EntityProcessingResult;
    try {
      result = await this.#options.orchestrator.process({
        entity: unprocessedEntity,
        state: readCacheState(row.cache),
      });
    } catch (error) {
      result = { ok: false, errors: [toError(error)] };
    }
    return {
      unprocessedEntity,
      errors: result.errors,
      write: planProcessingWrite(row, result),
    };
  }

  #reportErrors(
    ref: string,
    unprocessedEntity: Entity | undefined,
    errors: Error[],
  ): void {
    this.#options.logger.warn(
      `Processing of entity '${ref}' reported ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: ${errors.map(e => describeErrorChain(e).replace(/\n\s*/g, ' ')).join(' | ')}`,
    );
    const handler = this.#options.onProcessingError;
    if (!handler || !unprocessedEntity) {
      return;
    }
    Promise.resolve()
      .then(() => handler({ unprocessedEntity, errors }))
      .catch(error =>
        this.#options.logger.warn(
          `The processing error handler failed for entity '${ref}'; the errors are stored regardless.`,
          toError(error),
        ),
      );
  }
}
