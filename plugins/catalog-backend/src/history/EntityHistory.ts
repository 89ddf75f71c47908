import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@plinth/backend-plugin-api';
import type { EventsService } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { PollingLoop } from '../shared/PollingLoop';
import { ChangeNotifier } from './ChangeNotifier';
import { HistoryReader } from './HistoryReader';
import { publishChanges, releasePublisherLease } from './publishChanges';
import { pruneHistory } from './pruneHistory';
import type { HistoryConfig } from './readHistoryConfig';

/** Retention need not keep pace with writes; once a minute is plenty. */
const pruneIntervalMs = 60_000;

/**
 * The catalog's history and change feed at run time: the capture switch,
 * the reader and notifier the routes use, and the loops that publish
 * changes on the events service and prune what retention no longer keeps.
 * Capture itself happens in the database (see the `entityHistory`
 * migration), in the transaction of each change.
 */
export class EntityHistory {
  readonly config: HistoryConfig;
  readonly reader: HistoryReader;
  readonly notifier: ChangeNotifier;
  readonly logger: LoggerService;
  readonly #knex: Knex;
  readonly #publisher: PollingLoop;
  readonly #pruner: PollingLoop;
  readonly #publisherId: string;

  constructor(options: {
    knex: Knex;
    config: HistoryConfig;
    logger: LoggerService;
    events: EventsService;
    guard: CatalogPermissionGuard;
  }) {
    const { knex, config, logger } = options;
    this.#knex = knex;
    this.config = config;
    this.logger = logger;
    this.reader = new HistoryReader({ knex, guard: options.guard });
    this.notifier = new ChangeNotifier({
      knex,
      logger,
      pollMs: config.pollIntervalMs,
    });
    const publisherId = randomUUID();
    this.#publisherId = publisherId;
    this.#publisher = new PollingLoop({
      description: "publishing catalog changes on 'catalog.entity.change'",
      logger,
      pollIntervalMs: config.pollIntervalMs,
      runOnce: () =>
        publishChanges(knex, options.events, { holder: publisherId, logger }),
    });
    this.#pruner = new PollingLoop({
      description: 'pruning the catalog history',
      logger,
      pollIntervalMs: pruneIntervalMs,
      runOnce: () => pruneHistory(knex, config),
    });
  }

  /**
   * Turns capture on or off as `catalog.history.enabled` says (for every
   * replica: the switch is a database row the triggers read), then starts
   * publishing and pruning.
   */
  async start(): Promise<void> {
    await this.#knex('entity_history_state')
      .where({ name: 'capture' })
      .update({ enabled: this.config.enabled });
    this.#publisher.start();
    this.#pruner.start();
  }

  /**
   * Ends long polls and event streams, then stops the loops and hands the
   * publisher's lease on.
   */
  async stop(): Promise<void> {
    this.notifier.stop();
    await Promise.all([this.#publisher.stop(), this.#pruner.stop()]);
    await releasePublisherLease(this.#knex, this.#publisherId).catch(error =>
      // Another replica then takes over when the lease runs out.
      this.logger.warn(
        'Could not release the catalog change publisher lease at shutdown; another replica publishes once it expires, within 60 seconds.',
        error as Error,
      ),
    );
  }
}
