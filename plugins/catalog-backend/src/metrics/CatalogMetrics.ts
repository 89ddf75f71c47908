import type { LoggerService } from '@plinth/backend-plugin-api';
import type {
  MetricAttributes,
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceObservableCallback,
  MetricsServiceObservableGauge,
} from '@plinth/backend-plugin-api/alpha';
import { toError } from '@plinth/errors';
import type { Knex } from 'knex';
import {
  countEntitiesByKind,
  readProcessingBacklog,
  readStitchBacklog,
  type QueueBacklog,
} from '../database/readQueueGauges';
import { readCatalogGeneration } from '../database/readCatalogGeneration';

/**
 * Past this many distinct error names, new ones are counted as `Error`;
 * past this many entity kinds, new ones as `other`.
 */
const maxLabelValues = 50;

/** An error name as an attribute value: an identifier, else `Error`. */
const errorNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The catalog's metrics: gauges of its processing and stitch queues and
 * of its entities by kind, read from the database when metrics are
 * collected, and a counter of processing errors.
 *
 * @remarks
 * Each gauge reading is one indexed statement; entities are counted by
 * kind only when the catalog generation moved. A reading is shared by
 * the gauges it feeds and by collections that ask while it runs, and
 * kept for `maxAgeMs`, so however often and from however many scrapers
 * metrics are collected, each statement runs at most once at a time and
 * once per `maxAgeMs`.
 */
export class CatalogMetrics {
  readonly #logger: LoggerService;
  readonly #errors: MetricsServiceCounter<{
    kind: string;
    entity_kind: string;
  }>;
  readonly #errorKinds = new Set<string>();
  readonly #entityKinds = new Set<string>();
  readonly #observers: Array<() => void> = [];

  /**
   * Creates the instruments on `metrics`; call {@link CatalogMetrics.stop}
   * before the database closes.
   */
  static create(options: {
    knex: Knex;
    metrics: MetricsService;
    logger: LoggerService;
    /** How long a gauge reading is reused. @defaultValue 5 seconds */
    maxAgeMs?: number;
  }): CatalogMetrics {
    return new CatalogMetrics(options);
  }

  private constructor(options: {
    knex: Knex;
    metrics: MetricsService;
    logger: LoggerService;
    maxAgeMs?: number;
  }) {
    const { knex, metrics } = options;
    this.#logger = options.logger;
    const maxAgeMs = options.maxAgeMs ?? 5000;
    this.#errors = metrics.createCounter<{ kind: string; entity_kind: string }>(
      'catalog.processing.errors',
      {
        description:
          'Errors that processing runs ended with, by error name and entity kind',
        unit: '{error}',
      },
    );

    const processing = this.#shared(
      'the processing queue',
      () => readProcessingBacklog(knex),
      maxAgeMs,
    );
    const stitching = this.#shared(
      'the stitch queue',
      () => readStitchBacklog(knex),
      maxAgeMs,
    );
    const seenKinds = new Set<string>();
    // Counting kinds reads a row per entity; the catalog generation tells
    // in one row whether any served entity changed since the last count.
    let counted: { generation: string; counts: Map<string, number> };
    const kinds = this.#shared(
      'the entities by kind',
      async () => {
        const generation = await readCatalogGeneration(knex);
        if (counted?.generation !== generation) {
          counted = { generation, counts: await countEntitiesByKind(knex) };
        }
        return counted.counts;
      },
      maxAgeMs,
    );
    this.#observe(
      metrics.createObservableGauge('catalog.processing.queue.depth', {
        description: 'Entities due for processing now',
        unit: '{entity}',
      }),
      processing,
      (b: QueueBacklog, observe) => observe(b.depth),
    );
    this.#observe(
      metrics.createObservableGauge('catalog.processing.queue.oldest_due_age', {
        description:
          'How long the entity longest due for processing has waited; 0 when none is due',
        unit: 's',
      }),
      processing,
      (b, observe) => observe(b.oldestAgeSeconds),
    );
    this.#observe(
      metrics.createObservableGauge('catalog.stitching.queue.depth', {
        description: 'Entities waiting to be stitched',
        unit: '{entity}',
      }),
      stitching,
      (b, observe) => observe(b.depth),
    );
    this.#observe(
      metrics.createObservableGauge('catalog.stitching.queue.oldest_age', {
        description:
          'How long the entity longest waiting to be stitched has waited; 0 when none waits',
        unit: 's',
      }),
      stitching,
      (b, observe) => observe(b.oldestAgeSeconds),
    );
    this.#observe(
      metrics.createObservableGauge<{ kind: string }>('catalog.entities', {
        description: 'Entities served, by kind (lowercased)',
        unit: '{entity}',
      }),
      kinds,
      (counts, observe) => {
        // A kind whose last entity went reports 0: a series that is only
        // left out keeps its last value in a cumulative export.
        for (const kind of counts.keys()) {
          seenKinds.add(kind);
        }
        for (const kind of seenKinds) {
          observe(counts.get(kind) ?? 0, { kind });
        }
      },
    );
  }

  /**
   * Counts the errors a processing run of the entity `entityRef`
   * (lowercased `kind:namespace/name`) ended with.
   */
  countProcessingErrors(entityRef: string, errors: readonly Error[]): void {
    // Whoever writes a catalog file chooses its kind, and an entity of a
    // kind no processor accepts fails with an error: bounded like names.
    const entityKind = admit(
      this.#entityKinds,
      entityRef.slice(0, Math.max(0, entityRef.indexOf(':'))),
      'other',
    );
    for (const error of errors) {
      this.#errors.add(1, {
        kind: this.#errorKind(error),
        entity_kind: entityKind,
      });
    }
  }

  /** Stops reading the database for the gauges. */
  stop(): void {
    for (const remove of this.#observers.splice(0)) {
      remove();
    }
  }

  /**
   * The error's name, within a bounded set: processors may throw errors
   * of any class, and each distinct name is a series kept forever.
   */
  #errorKind(error: Error): string {
    const name = typeof error.name === 'string' ? error.name : '';
    return errorNamePattern.test(name)
      ? admit(this.#errorKinds, name, 'Error')
      : 'Error';
  }

  #observe<T, A extends MetricAttributes>(
    gauge: MetricsServiceObservableGauge<A>,
    read: () => Promise<T | undefined>,
    report: (
      value: T,
      observe: (value: number, attributes?: A) => void,
    ) => void,
  ): void {
    const callback: MetricsServiceObservableCallback<A> = async result => {
      const value = await read();
      if (value !== undefined) {
        report(value, (v, attributes) => result.observe(v, attributes));
      }
    };
    gauge.addCallback(callback);
    this.#observers.push(() => gauge.removeCallback(callback));
  }

  /**
   * A read shared by every caller while it runs and for `maxAgeMs` after
   * it ended. A failed read is logged and yields nothing, so the gauges it
   * feeds are missing from that collection rather than wrong.
   */
  #shared<T>(
    what: string,
    read: () => Promise<T>,
    maxAgeMs: number,
  ): () => Promise<T | undefined> {
    let current: Promise<T | undefined> | undefined;
    let readAt = 0;
    return () => {
      if (!current || Date.now() - readAt >= maxAgeMs) {
        readAt = Number.POSITIVE_INFINITY; // running: shared until it ends
        current = read()
          .catch(error => {
            this.#logger.warn(
              `Could not read ${what} for the catalog's metrics; its gauges are left out of this collection.`,
              toError(error),
            );
            return undefined;
          })
          .finally(() => {
            readAt = Date.now();
          });
      }
      return current;
    };
  }
}

/**
 * `value` when it is among the label values seen so far or there is room
 * for one more, else `fallback`: each distinct value is a series kept for
 * the life of the process.
 */
function admit(seen: Set<string>, value: string, fallback: string): string {
  if (!seen.has(value)) {
    if (seen.size >= maxLabelValues) {
      return fallback;
    }
    seen.add(value);
  }
  return value;
}
