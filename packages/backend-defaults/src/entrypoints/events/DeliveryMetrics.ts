import type { LoggerService } from '@plinth/backend-plugin-api';
import type {
  MetricsService,
  MetricsServiceHistogram,
} from '@plinth/backend-plugin-api/alpha';

/** Bucket bounds in seconds: from a local wake-up to an hour behind. */
const lagBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
  3600,
];

/** What the gauge reads of each subscriber. */
interface Watched {
  oldestPendingAge(): Promise<number | undefined>;
}

/**
 * The delivery metrics of one plugin's subscribers, on that plugin's
 * meter: `events.delivery.lag`, a histogram of the seconds from each
 * event's publish to the start of its handler, and
 * `events.delivery.oldest_pending_age`, a gauge of how long the oldest
 * event a subscriber has not handled has waited, read from the database
 * at collection.
 */
export class DeliveryMetrics {
  readonly #lag: MetricsServiceHistogram<{ subscriber: string; topic: string }>;
  readonly #watched = new Map<string, Watched>();
  #reading?: Promise<Array<[string, number | undefined]>>;

  constructor(metrics: MetricsService, logger: LoggerService) {
    this.#lag = metrics.createHistogram<{ subscriber: string; topic: string }>(
      'events.delivery.lag',
      {
        description:
          'Seconds from the publish of an event to the start of its handler, by subscriber id and topic',
        unit: 's',
        advice: { explicitBucketBoundaries: lagBuckets },
      },
    );
    metrics
      .createObservableGauge<{ subscriber: string }>(
        'events.delivery.oldest_pending_age',
        {
          description:
            'Seconds since the oldest event a subscriber id has not handled was published; 0 when none waits',
          unit: 's',
        },
      )
      .addCallback(async result => {
        try {
          for (const [subscriber, age] of await this.#readAges()) {
            if (age !== undefined) {
              result.observe(age, { subscriber });
            }
          }
        } catch (error) {
          logger.warn(
            'Could not read the oldest pending events of the subscribers for the metrics; left out of this collection.',
            error instanceof Error ? error : { error: String(error) },
          );
        }
      });
  }

  /** Records the lag of an event of `topic` delivered to `subscriber`. */
  recordLag(subscriber: string, topic: string, seconds: number): void {
    this.#lag.record(seconds, { subscriber, topic });
  }

  /** Adds a subscriber to the pending-age gauge. */
  watch(subscriber: string, watched: Watched): void {
    this.#watched.set(subscriber, watched);
  }

  /** One reading at a time, shared by collections that overlap. */
  #readAges(): Promise<Array<[string, number | undefined]>> {
    this.#reading ??= Promise.all(
      [...this.#watched].map(
        async ([id, w]) =>
          [id, await w.oldestPendingAge()] as [string, number | undefined],
      ),
    ).finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }
}
