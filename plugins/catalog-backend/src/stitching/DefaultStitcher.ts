import {
  isDatabaseUnavailable,
  type LoggerService,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import type { Knex } from 'knex';
import {
  claimStitchTickets,
  hasWaitingStitches,
  releaseStitchClaims,
  type StitchClaim,
  settleStitchClaims,
} from '../database/stitchQueue';
import {
  readStitchSources,
  writeStitchedEntities,
  type StitchedEntity,
  type StitchSource,
} from '../database/stitchedEntities';
import { runTransaction } from '../database/runTransaction';
import { PollingLoop } from '../shared/PollingLoop';
import { PlannerStatistics } from '../database/PlannerStatistics';
import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_ORPHAN,
  ANNOTATION_VIEW_URL,
  type Entity,
  type EntityStatusItem,
} from '@plinth/catalog-model';
import type { StoredError } from '../shared/toStoredError';
import { computeStableHash } from '../shared/computeStableHash';
import { buildEntitySearch } from './buildEntitySearch';

/** The waits before settling claims whose rows were locked, again. */
const settleDelaysMs = [10, 50, 250, 1000];

/** Options of {@link DefaultStitcher}. */
export interface DefaultStitcherOptions {
  knex: Knex;
  logger: LoggerService;
  /** How many entities one round claims. @defaultValue 500 */
  batchSize?: number;
  /**
   * How many rounds run at once, each claiming its own entities. A round
   * spends most of its time waiting for its statements, one at a time; a
   * second round keeps another database core busy, as when a
   * 100,000-entity ingestion left 60,000 entities to stitch after its
   * processing was done.
   * @defaultValue 2
   */
  concurrency?: number;
  /** The wait after a round that found nothing due. @defaultValue 200 ms */
  pollIntervalMs?: number;
  /**
   * How long a claim lasts: a replica that dies mid-stitch delays its
   * entities this long. @defaultValue 60 seconds
   */
  leaseMs?: number;
  /**
   * How long at most an entity already served waits for the entities due
   * for their first processing before it is stitched again, see
   * `claimStitchTickets`. @defaultValue 2 minutes
   */
  maxDeferMs?: number;
  /**
   * The stitched entities after which the planner statistics of the
   * catalog tables are refreshed, see {@link PlannerStatistics}.
   * @defaultValue 1000
   */
  analyzeAfterRows?: number;
  /** The least time between two such refreshes. @defaultValue 10 seconds */
  analyzeIntervalMs?: number;
  /**
   * Called after each round's write commits, such as to wake requests
   * waiting for their writes to be stitched.
   */
  onStitched?: () => void;
}

/**
 * The deferred stitching loop: claims entities marked for stitching in
 * batches, builds their served form and search rows, and writes those that
 * changed. However many times an entity was marked before a round claims
 * it, it is stitched once; a mark that arrives while it is being stitched
 * makes it due once more.
 */
export class DefaultStitcher {
  readonly #options: Required<
    Omit<
      DefaultStitcherOptions,
      'analyzeAfterRows' | 'analyzeIntervalMs' | 'onStitched' | 'concurrency'
    >
  >;
  readonly #onStitched: () => void;
  readonly #loops: PollingLoop[];
  readonly #statistics: PlannerStatistics;
  /** Entities of rounds that failed, to make due again before the next claim. */
  #unreleased: string[] = [];

  constructor(options: DefaultStitcherOptions) {
    this.#options = {
      knex: options.knex,
      logger: options.logger,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 200,
      leaseMs: options.leaseMs ?? 60_000,
      maxDeferMs: options.maxDeferMs ?? 120_000,
    };
    this.#onStitched = options.onStitched ?? (() => {});
    this.#statistics = new PlannerStatistics({
      knex: options.knex,
      logger: options.logger,
      analyzeAfterRows: options.analyzeAfterRows,
      minIntervalMs: options.analyzeIntervalMs,
    });
    this.#loops = Array.from(
      { length: Math.max(1, options.concurrency ?? 2) },
      () =>
        new PollingLoop({
          description: 'catalog stitching',
          logger: options.logger,
          pollIntervalMs: this.#options.pollIntervalMs,
          runOnce: () => this.stitchOnce(),
        }),
    );
  }

  /** Starts stitching in the background. */
  start(): void {
    this.#loops.forEach(loop => loop.start());
  }

  /**
   * Looks for entities due for stitching at once instead of after the poll
   * interval, for writers in this process that just marked some.
   */
  wake(): void {
    this.#loops.forEach(loop => loop.wake());
  }

  /** Stops stitching; waits for the batches in progress to be written. */
  async stop(): Promise<void> {
    await Promise.all(this.#loops.map(loop => loop.stop()));
  }

  /**
   * Claims and stitches one batch of entities marked for stitching. When
   * none waits, deferred ones included, refreshes the planner statistics
   * if enough entities were written since the last refresh: the end of an
   * ingestion's backlog is when its rows are all there to be counted, and
   * readers wait for them.
   *
   * @returns how many entities were claimed; 0 when none was due.
   */
  async stitchOnce(): Promise<number> {
    const { knex, batchSize, leaseMs, maxDeferMs } = this.#options;
    if (this.#unreleased.length > 0) {
      // Taken before the await: the other round may add to the list
      // meanwhile, and those must not be cleared unreleased.
      const unreleased = this.#unreleased;
      this.#unreleased = [];
      try {
        await releaseStitchClaims(knex, unreleased);
      } catch (error) {
        this.#unreleased.push(...unreleased);
        throw error;
      }
    }
    const claims = await runTransaction(
      knex,
      tx => claimStitchTickets(tx, { batchSize, leaseMs, maxDeferMs }),
      { derived: true },
    );
    if (claims.length === 0) {
      // Served entities deferred behind first runs mean the ingestion goes
      // on: its end, when they are stitched too, is the time to count.
      if (this.#statistics.due && !(await hasWaitingStitches(knex))) {
        await this.#statistics.refreshIfDue();
      }
      return 0;
    }
    try {
      return await this.#stitchClaimed(claims);
    } catch (error) {
      // Due again in the next round rather than once the lease lapses, when
      // the database was what failed: a write it rejected would fail again,
      // and releasing it every round would spin.
      if (isDatabaseUnavailable(error)) {
        this.#unreleased.push(...claims.map(c => c.entityId));
      }
      throw error;
    }
  }

  async #stitchClaimed(claims: StitchClaim[]): Promise<number> {
    const { knex, logger } = this.#options;
    const sources = await readStitchSources(
      knex,
      claims.map(c => c.entityId),
    );
    const failed = new Set<string>();
    const changed: StitchedEntity[] = [];
    for (const source of sources) {
      try {
        const stitched = stitchEntity(source);
        if (stitched && stitched.hash !== source.previousHash) {
          changed.push(stitched);
        }
      } catch (error) {
        // Left claimed: the lease runs out and the entity is tried again.
        failed.add(source.entityId);
        logger.error(
          `Could not stitch entity '${source.entityRef}'; it is retried when its claim expires.`,
          toError(error),
        );
      }
    }
    const { unsettled } = await runTransaction(
      knex,
      tx =>
        writeStitchedEntities(
          tx,
          claims.filter(c => !failed.has(c.entityId)),
          changed,
        ),
      { derived: true },
    );
    this.#statistics.recordWrites(changed.length);
    this.#onStitched();
    if (unsettled.length > 0) {
      await this.#settleLater(unsettled);
      this.#onStitched();
    }
    return claims.length;
  }

  /**
   * Settles claims whose queue rows were locked by a transaction marking
   * their entities, once that transaction ended. Claims still locked after a few tries
   * keep their lease and are stitched again when it runs out.
   */
  async #settleLater(claims: StitchClaim[]): Promise<void> {
    let pending = claims;
    for (const delayMs of settleDelaysMs) {
      if (pending.length === 0) {
        return;
      }
      await new Promise(resolve => setTimeout(resolve, delayMs));
      const claims = pending;
      pending = await runTransaction(
        this.#options.knex,
        tx => settleStitchClaims(tx, claims),
        { derived: true },
      );
    }
  }
}

/** The status item type of processing errors, as Backstage clients expect it. */
export const CATALOG_PROCESSING_STATUS_TYPE = 'backstage.io/catalog-processing';

/** Where a rejected link points instead, as in Backstage. */
const rejectedUrl =
  'https://backstage.io/annotation-rejected-for-security-reasons';

/**
 * Builds the served form of an entity: the processed entity with the
 * relations whose source it is, its processing errors as status items, the
 * orphan annotation when nothing references it any more, `metadata.uid`,
 * and `metadata.etag` set to the hash of all of that.
 *
 * @returns `undefined` when the entity was never processed successfully:
 *   there is nothing to serve yet.
 */
export function stitchEntity(source: StitchSource): StitchedEntity | undefined {
  if (source.processedEntity === null) {
    return undefined;
  }
  const entity = JSON.parse(source.processedEntity) as Entity;
  const annotations = { ...entity.metadata.annotations };
  if (!source.referenced) {
    annotations[ANNOTATION_ORPHAN] = 'true';
  }
  for (const key of [ANNOTATION_VIEW_URL, ANNOTATION_EDIT_URL]) {
    if (typeof annotations[key] === 'string' && isScriptUrl(annotations[key])) {
      annotations[key] = rejectedUrl;
    }
  }
  entity.metadata = {
    ...entity.metadata,
    uid: source.entityId,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  delete entity.metadata.etag;
  entity.relations = source.relations;
  const items = toStatusItems(source.errors);
  if (items.length > 0) {
    entity.status = {
      ...entity.status,
      items: [...(entity.status?.items ?? []), ...items],
    };
  }
  const hash = computeStableHash(entity);
  entity.metadata.etag = hash;
  return {
    entityId: source.entityId,
    entityRef: source.entityRef,
    hash,
    finalEntity: JSON.stringify(entity),
    searchRows: buildEntitySearch(entity),
  };
}

function toStatusItems(errors: string | null): EntityStatusItem[] {
  const parsed: unknown = errors === null ? [] : JSON.parse(errors);
  if (!Array.isArray(parsed)) {
    return [];
  }
  return (parsed as StoredError[]).map(error => ({
    type: CATALOG_PROCESSING_STATUS_TYPE,
    level: 'error',
    message: describeStoredError(error),
    error,
  }));
}

/** `Name: message`, then each cause, on one line. */
function describeStoredError(error: StoredError): string {
  const parts = [`${error.name}: ${error.message}`];
  for (let cause = error.cause; cause; cause = cause.cause) {
    parts.push(`caused by ${cause.name}: ${cause.message}`);
  }
  return parts.join('; ');
}

/**
 * Whether a link would run script when opened. Browsers skip leading
 * control characters and spaces, and tabs and line breaks anywhere.
 */
function isScriptUrl(url: string): boolean {
  const normalized = url
    .replace(/[\t\n\r]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/^[\u0000-\u0020]+/, '');
  return normalized.toLowerCase().startsWith('javascript:');
}
