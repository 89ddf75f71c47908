import { randomUUID } from 'node:crypto';
import {
  isDatabaseUnavailable,
  type LoggerService,
} from '@plinth/backend-plugin-api';
import { ANNOTATION_LOCATION, type Entity } from '@plinth/catalog-model';
import { describeErrorChain, toError } from '@plinth/errors';
import type { CatalogProcessingErrorHandler } from '@plinth/plugin-catalog-node';
import type { EventsService } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import {
  type OrphanStrategy,
  describeOrphanDeletion,
  quoteRefs,
} from '../database/entityReferences';
import {
  claimDueEntities,
  releaseClaims,
  renewClaims,
  type ClaimedEntity,
} from '../database/processingQueue';
import { describeLocationKeyConflict } from '../database/upsertUnprocessedEntities';
import { runTransaction } from '../database/runTransaction';
import {
  writeProcessingResults,
  type ProcessingWrite,
  type ProcessingWriteOutcome,
} from '../database/writeProcessingResults';
import type {
  CatalogProcessingOrchestrator,
  EntityProcessingResult,
} from './CatalogProcessingOrchestrator';
import { PollingLoop } from '../shared/PollingLoop';
import { planFailedWrite, planProcessingWrite } from './planProcessingWrite';
import { readStoredProcessorCache } from './EntityProcessorCache';
import { toStoredError } from '../shared/toStoredError';
import type { CatalogMetrics } from '../metrics/CatalogMetrics';
import {
  CATALOG_ERRORS_TOPIC,
  type CatalogErrorsEventPayload,
} from './catalogErrorsEvent';

/** Options of {@link DefaultCatalogProcessingEngine}. */
export interface DefaultCatalogProcessingEngineOptions {
  knex: Knex;
  orchestrator: CatalogProcessingOrchestrator;
  logger: LoggerService;
  /** @defaultValue 100 seconds, from `catalog.processingInterval` */
  processingIntervalMs?: number;
  /** @defaultValue `'delete'`, from `catalog.orphanStrategy` */
  orphanStrategy?: OrphanStrategy;
  /** How many entities one round claims. @defaultValue 500 */
  batchSize?: number;
  /** How many entities of a round are processed at once. @defaultValue 10 */
  concurrency?: number;
  /**
   * The entities a round's results may emit before it starts processing
   * no more of its claimed entities; the rest are released, due again at
   * once. A location can emit thousands of entities, and a round keeps all
   * of its results in memory until it writes them, so a round of such
   * locations would otherwise hold a whole catalog. @defaultValue 2000
   */
  maxEmittedPerBatch?: number;
  /** The wait after a round that found nothing due. @defaultValue 200 ms */
  pollIntervalMs?: number;
  /**
   * How long a claim holds its entities past its last renewal; a batch
   * renews its claims every third of this until its results are written.
   * @defaultValue 60 seconds
   */
  leaseMs?: number;
  /**
   * Called after a write when an entity's processing reported errors that
   * differ from those of its previous run.
   */
  onProcessingError?: CatalogProcessingErrorHandler;
  /**
   * Where each run that reported errors is published, on
   * {@link CATALOG_ERRORS_TOPIC}.
   */
  events?: EventsService;
  /**
   * Called after each committed write that marked entities for stitching,
   * such as to wake the stitcher instead of letting it wait for its poll.
   */
  onStitchingMarked?: () => void;
  /** Where the errors of each processing run are counted. */
  metrics?: CatalogMetrics;
}

interface Processed {
  write?: ProcessingWrite;
  /** The entity as its source gave it, as JSON: parsed again only for an error handler. */
  unprocessedEntity?: string;
  errors: Error[];
}

/** A claimed batch whose processing ended, until its results are written. */
interface Batch {
  claimId: string;
  claimed: ClaimedEntity[];
  processed: Processed[];
  /** Stops renewing the batch's claims. */
  release(): void;
}

/**
 * The processing loop: claims due entities in batches, runs the
 * orchestrator over them with bounded concurrency, and writes all results
 * of a batch in one transaction. A result equal to the previous one (same
 * hash) writes nothing but the end of its claim.
 *
 * @remarks
 * A batch holds its entities from its claim until its results are
 * written, however long its processing takes: its claims are leases of
 * `leaseMs` (60 seconds by default) that it renews every third of that.
 * No other loop, here or on another replica, claims them meanwhile, and a
 * refresh of one of them makes it due once the batch is written, not
 * before. The lease bounds only how long a replica that dies, or a batch
 * whose write fails, keeps its entities: they are claimed again `leaseMs`
 * after its last renewal. A replica that is alive but cannot renew
 * for `leaseMs` (its event loop blocked, the database unreachable) loses
 * its claims once another loop takes the entities, and its results for
 * them are not written: the write checks that the batch still holds each
 * entity, so a run that read its sources earlier never overwrites a later
 * one.
 */
export class DefaultCatalogProcessingEngine {
  readonly #options: Required<
    Omit<
      DefaultCatalogProcessingEngineOptions,
      'onProcessingError' | 'onStitchingMarked' | 'events' | 'metrics'
    >
  > &
    Pick<
      DefaultCatalogProcessingEngineOptions,
      'onProcessingError' | 'onStitchingMarked' | 'events' | 'metrics'
    >;
  readonly #loop: PollingLoop;
  /** The write of the previous batch of the background loop. */
  #writing: Promise<void> = Promise.resolve();
  #writeFailure: Error | undefined;
  /** Claims of batches whose write failed, to end before the next claim. */
  #unreleased: Array<{ claimId: string; entityIds: string[] }> = [];

  constructor(options: DefaultCatalogProcessingEngineOptions) {
    this.#options = {
      ...options,
      processingIntervalMs: options.processingIntervalMs ?? 100_000,
      orphanStrategy: options.orphanStrategy ?? 'delete',
      batchSize: options.batchSize ?? 500,
      concurrency: options.concurrency ?? 10,
      maxEmittedPerBatch: options.maxEmittedPerBatch ?? 2000,
      pollIntervalMs: options.pollIntervalMs ?? 200,
      leaseMs: options.leaseMs ?? 60_000,
    };
    this.#loop = new PollingLoop({
      description: 'catalog processing',
      logger: options.logger,
      pollIntervalMs: this.#options.pollIntervalMs,
      batchSize: this.#options.batchSize,
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
        'The last batch of catalog processing could not be written; its entities are processed again once its claims lapse.',
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
    return batch?.claimed.length ?? 0;
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
    return batch?.claimed.length ?? 0;
  }

  #takeWriteFailure(): Error | undefined {
    const failure = this.#writeFailure;
    this.#writeFailure = undefined;
    return failure;
  }

  async #claimAndProcess(): Promise<Batch | undefined> {
    const { knex, batchSize, concurrency, leaseMs, maxEmittedPerBatch } =
      this.#options;
    await this.#releaseFailedClaims();
    const claimId = randomUUID();
    const claimed = await runTransaction(
      knex,
      tx =>
        claimDueEntities(tx, {
          claimId,
          batchSize,
          leaseMs,
        }),
      { derived: true },
    );
    if (claimed.length === 0) {
      return undefined;
    }
    const release = this.#renewClaims(claimId, claimed);
    try {
      let emitted = 0;
      const results = await runWithConcurrency(
        claimed,
        concurrency,
        async row => {
          const result = await this.#process(row).catch(error => {
            const failure = toError(error);
            return { errors: [failure], write: planFailedWrite(row, failure) };
          });
          emitted += countEmitted(result.write);
          return result;
        },
        { until: () => emitted >= maxEmittedPerBatch },
      );
      const started = claimed.filter((_, i) => results[i] !== undefined);
      const processed = results.filter(p => p !== undefined);
      if (started.length < claimed.length) {
        await releaseClaims(knex, {
          claimId,
          entityIds: claimed.filter((_, i) => !results[i]).map(c => c.entityId),
        });
      }
      processed.forEach((p, i) =>
        this.#options.metrics?.countProcessingErrors(
          started[i].entityRef,
          p.errors,
        ),
      );
      return { claimId, claimed: started, processed, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Ends the claims of batches whose write failed, so their entities are
   * claimed again now rather than once the lease lapses; throws while the
   * database is unreachable, which fails the round like a claim would.
   */
  async #releaseFailedClaims(): Promise<void> {
    while (this.#unreleased.length > 0) {
      await releaseClaims(this.#options.knex, this.#unreleased[0]);
      this.#unreleased.shift();
    }
  }

  /** Renews the claims of a batch until the returned function is called. */
  #renewClaims(claimId: string, claimed: ClaimedEntity[]): () => void {
    const { knex, logger, leaseMs } = this.#options;
    const entityIds = claimed.map(c => c.entityId);
    const timer = setInterval(() => {
      renewClaims(knex, { claimId, entityIds, leaseMs }).catch(error =>
        logger.warn(
          `Could not renew the claims of a batch of ${count(entityIds.length)} being processed; unless a renewal succeeds within ${leaseMs / 1000} s of the last, other replicas may take them over and this batch's results for them are dropped.`,
          toError(error),
        ),
      );
    }, leaseMs / 3);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  async #write(batch: Batch): Promise<void> {
    const { processed } = batch;
    const writes = processed.flatMap(p => (p.write ? [p.write] : []));
    const outcome = await runTransaction(
      this.#options.knex,
      tx =>
        writeProcessingResults(
          tx,
          {
            claimId: batch.claimId,
            entityIds: batch.claimed.map(c => c.entityId),
            writes,
          },
          {
            orphanStrategy: this.#options.orphanStrategy,
            intervalMs: this.#options.processingIntervalMs,
          },
        ),
      { derived: true },
    )
      .catch((error: unknown) => {
        // A batch the database rejected would fail again at once: it waits
        // out its lease instead of spinning through every round.
        if (isDatabaseUnavailable(error)) {
          this.#unreleased.push({
            claimId: batch.claimId,
            entityIds: batch.claimed.map(c => c.entityId),
          });
        }
        throw error;
      })
      .finally(batch.release);
    // Children written by this batch are due now: claimed without waiting
    // for the poll interval. Entities refreshed while the batch held them
    // are due now too, and wait for it like any entity coming due.
    if (writes.some(w => w.kind === 'processed' && w.children.length > 0)) {
      this.#loop.wake();
    }
    if (writes.some(w => w.kind !== 'cache')) {
      this.#options.onStitchingMarked?.();
    }
    this.#report(outcome);
    const written = new Set(outcome.written);
    for (const p of processed) {
      if (p.write && written.has(p.write.entityId) && p.errors.length > 0) {
        this.#reportErrors(p.write.entityRef, p.unprocessedEntity, p.errors);
      }
    }
  }

  #report(outcome: ProcessingWriteOutcome): void {
    const { logger, leaseMs } = this.#options;
    for (const conflicts of outcome.conflicts.values()) {
      for (const conflict of conflicts) {
        logger.warn(describeLocationKeyConflict(conflict));
      }
    }
    if (outcome.lostClaims.length > 0) {
      logger.warn(
        `Dropped the processing results of ${count(outcome.lostClaims.length)} that other runs claimed after this run's claims lapsed: ${quoteRefs(outcome.lostClaims, 10)}. A run holds its entities ${leaseMs / 1000} s past its last renewal; this replica could not renew them in time, as when its event loop is blocked or the database unreachable. The runs that hold them now write their results.`,
      );
    }
    if (outcome.deletedRefs.length > 0) {
      const parents = outcome.orphanedBy;
      logger.info(
        describeOrphanDeletion(
          outcome.deletedRefs,
          `${parents.length === 1 ? 'entity' : 'entities'} ${quoteRefs(parents, 10)} stopped emitting them or their ancestors`,
        ),
      );
    }
  }

  async #process(row: ClaimedEntity): Promise<Processed> {
    // The entity is parsed for this run alone, so processing may change it
    // in place; an error handler, the one reader that needs it as its
    // source gave it, gets it parsed again.
    const entity = JSON.parse(row.unprocessedEntity) as Entity;
    let result: EntityProcessingResult;
    try {
      result = await this.#options.orchestrator.process({
        entity,
        cache: readStoredProcessorCache(row.cache)?.cache,
        mayChangeEntity: true,
      });
    } catch (error) {
      result = { ok: false, errors: [toError(error)] };
    }
    return {
      unprocessedEntity: row.unprocessedEntity,
      errors: result.errors,
      write: planProcessingWrite(row, result),
    };
  }

  #reportErrors(
    ref: string,
    unprocessedEntity: string | undefined,
    errors: Error[],
  ): void {
    this.#options.logger.warn(
      `Processing of entity '${ref}' reported ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: ${errors.map(e => describeErrorChain(e).replace(/\n\s*/g, ' ')).join(' | ')}`,
    );
    this.#publishErrors(ref, unprocessedEntity, errors);
    const handler = this.#options.onProcessingError;
    if (!handler || !unprocessedEntity) {
      return;
    }
    Promise.resolve()
      .then(() =>
        handler({
          unprocessedEntity: JSON.parse(unprocessedEntity) as Entity,
          errors,
        }),
      )
      .catch(error =>
        this.#options.logger.warn(
          `The processing error handler failed for entity '${ref}'; the errors are stored regardless.`,
          toError(error),
        ),
      );
  }

  /**
   * Publishes the errors of one run in the shape Backstage's catalog gives
   * them, which `catalog-backend-module-logs` reads: the entity ref, its
   * location and the errors, as plain JSON so that an events service that
   * stores events keeps their messages.
   */
  #publishErrors(
    ref: string,
    unprocessedEntity: string | undefined,
    errors: Error[],
  ): void {
    const { events, logger } = this.#options;
    if (!events) {
      return;
    }
    const location = unprocessedEntity
      ? readLocationAnnotation(unprocessedEntity)
      : undefined;
    const payload: CatalogErrorsEventPayload = {
      entity: ref,
      ...(location && { location }),
      errors: errors.map(error => toStoredError(error)),
    };
    events
      .publish({ topic: CATALOG_ERRORS_TOPIC, eventPayload: payload })
      .catch(error =>
        logger.warn(
          `Could not publish the processing errors of entity '${ref}' on '${CATALOG_ERRORS_TOPIC}'; they are stored regardless.`,
          toError(error),
        ),
      );
  }
}

function readLocationAnnotation(unprocessedEntity: string): string | undefined {
  const entity = JSON.parse(unprocessedEntity) as Entity;
  const location = entity.metadata?.annotations?.[ANNOTATION_LOCATION];
  return typeof location === 'string' ? location : undefined;
}

function count(entities: number): string {
  return `${entities} ${entities === 1 ? 'entity' : 'entities'}`;
}

function countEmitted(write: ProcessingWrite | undefined): number {
  return write?.kind === 'processed' ? write.children.length : 0;
}

/**
 * Maps items with at most `limit` calls of `fn` in flight, keeping the
 * order of the results. Once `options.until` returns true, no more calls
 * start; the items never started have no result.
 */
export async function runWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  options?: { until?: () => boolean },
): Promise<Array<R | undefined>> {
  const results = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options?.until?.()) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
