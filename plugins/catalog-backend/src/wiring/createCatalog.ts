import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  UrlReaderService,
} from '@plinth/backend-plugin-api';
import type { MetricsService } from '@plinth/backend-plugin-api/alpha';
import { createEntityValidator } from '@plinth/catalog-model';
import { ConflictError, ForwardedError } from '@plinth/errors';
import {
  ConfigFileReader,
  defaultEntityDataParser,
  type EntityProvider,
  type LocationAnalyzer,
} from '@plinth/plugin-catalog-node';
import type express from 'express';
import type { EventsService } from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import { DefaultLocationAnalyzer } from '../locations/DefaultLocationAnalyzer';
import { CachedEntitiesCatalog } from '../entities/CachedEntitiesCatalog';
import { DefaultEntitiesCatalog } from '../entities/DefaultEntitiesCatalog';
import { readCatalogGeneration } from '../database/readCatalogGeneration';
import type { CatalogExtensions } from './CatalogExtensions';
import { DefaultLocationService } from '../locations/DefaultLocationService';
import { LocationStore } from '../locations/LocationStore';
import { DefaultCatalogProcessingEngine } from '../processing/DefaultCatalogProcessingEngine';
import { DefaultCatalogProcessingOrchestrator } from '../processing/DefaultCatalogProcessingOrchestrator';
import { DefaultRefreshService } from '../processing/RefreshService';
import { createEntityProviderConnection } from '../providers/createEntityProviderConnection';
import { readCatalogEngineConfig } from './readCatalogEngineConfig';
import { readCatalogModelSources } from './readCatalogModelSources';
import { AnnotateLocationEntityProcessor } from '../processors/AnnotateLocationEntityProcessor';
import { BuiltinKindsEntityProcessor } from '../processors/BuiltinKindsEntityProcessor';
import { FileReaderProcessor } from '../processors/FileReaderProcessor';
import { PlaceholderProcessor } from '../processors/PlaceholderProcessor';
import { UrlReaderProcessor } from '../processors/UrlReaderProcessor';
import { ConfigLocationEntityProvider } from '../providers/ConfigLocationEntityProvider';
import { DefaultCatalogRulesEnforcer } from '../processing/DefaultCatalogRulesEnforcer';
import { createRouter } from '../service/createRouter';
import { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { readQueryLimits } from '../service/request/readQueryLimits';
import { DefaultStitcher } from '../stitching/DefaultStitcher';
import { CatalogMetrics } from '../metrics/CatalogMetrics';
import { WriteWaiter } from '../readYourWrites/WriteWaiter';
import { EntityHistory } from '../history/EntityHistory';
import { readHistoryConfig } from '../history/readHistoryConfig';

/**
 * The running parts of the catalog, built from its services and what the
 * modules added.
 *
 * @internal
 */
export interface Catalog {
  router: express.Router;
  /** Connects the entity providers, then starts processing and stitching. */
  start(): Promise<void>;
  /** Stops processing and stitching after the batches in progress. */
  stop(): Promise<void>;
  /** Ends the change feed's streams and long polls and the writes' waits, at once, and refuses new ones. */
  endStreams(): void;
}

/**
 * Builds the catalog: processors (built-in ones first, then the modules'),
 * the processing engine, the stitcher, the entity providers and the REST
 * API, all on the plugin's own database.
 *
 * @throws {@link @plinth/errors#InputError} for invalid `catalog.*` config
 *   (`catalog.queryLimits` and `catalog.pagination` included) or entity
 *   schemas, naming the key or schema.
 * @throws {@link @plinth/errors#ConflictError} when a module's entity
 *   provider takes the name of a built-in one, or two model layers share
 *   an id.
 * @throws {@link @plinth/errors#ForwardedError} when a model source or a
 *   module's location analyzer factory fails.
 * @internal
 */
export async function createCatalog(options: {
  knex: Knex;
  config: RootConfigService;
  logger: LoggerService;
  reader: UrlReaderService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  /** Where processing errors are published. */
  events: EventsService;
  /** Where the catalog's queue, entity and error metrics are recorded. */
  metrics: MetricsService;
  extensions: CatalogExtensions;
  /** Decides the catalog's permissions for each request. */
  permissions: PermissionsService;
  /** Where the catalog's permissions, rules and entity loader are registered. */
  permissionsRegistry: PermissionsRegistryService;
  /** Aborted at shutdown; handed to model sources while they are read. */
  signal: AbortSignal;
}): Promise<Catalog> {
  const { knex, config, logger, reader, extensions } = options;
  const engineConfig = readCatalogEngineConfig(config);
  const modelKindSchemas =
    extensions.modelSources.length > 0
      ? await readCatalogModelSources({
          sources: extensions.modelSources,
          signal: options.signal,
          logger,
        })
      : [];
  const validator = createEntityValidator({
    fieldValidators: extensions.fieldValidators,
    kindSchemas: [...extensions.kindSchemas, ...modelKindSchemas],
  });
  const parser = extensions.entityDataParser ?? defaultEntityDataParser;
  const files = ConfigFileReader.fromConfig({ config, reader, logger });
  const orchestrator = new DefaultCatalogProcessingOrchestrator({
    processors: [
      new PlaceholderProcessor({
        resolvers: extensions.placeholderResolvers,
        reader,
        files,
      }),
      new AnnotateLocationEntityProcessor(),
      new FileReaderProcessor({ files }),
      new UrlReaderProcessor({ reader }),
      new BuiltinKindsEntityProcessor(),
      ...extensions.processors,
    ],
    rulesEnforcer: DefaultCatalogRulesEnforcer.fromConfig(config),
    validator,
    parser,
    logger,
  });

  const locationStore = new LocationStore({ knex });
  const providers = withUniqueNames([
    locationStore,
    new ConfigLocationEntityProvider({ config }),
    ...extensions.providers,
  ]);

  const limits = readQueryLimits(config);
  // Created before the cached catalog it invalidates, which reads it lazily.
  const waiter = WriteWaiter.fromConfig(config, {
    knex,
    invalidateReads: () => entitiesCatalog.invalidate(),
  });
  const stitcher = new DefaultStitcher({
    knex,
    logger,
    onStitched: () => waiter.notify(),
  });
  const metrics = CatalogMetrics.create({
    knex,
    metrics: options.metrics,
    logger,
  });
  const engine = new DefaultCatalogProcessingEngine({
    knex,
    orchestrator,
    logger,
    processingIntervalMs: engineConfig.processingIntervalMs,
    orphanStrategy: engineConfig.orphanStrategy,
    onProcessingError: extensions.onProcessingError,
    events: options.events,
    onStitchingMarked: () => {
      stitcher.wake();
      // An entity that failed before it was ever served needs no stitch.
      waiter.notify();
    },
    metrics,
  });

  const entitiesCatalog = new CachedEntitiesCatalog(
    DefaultEntitiesCatalog.create({
      knex,
      statementTimeoutMs: limits.statementTimeoutMs,
      orphanStrategy: engineConfig.orphanStrategy,
      logger,
    }),
    { readGeneration: () => readCatalogGeneration(knex) },
  );
  const guard = CatalogPermissionGuard.register({
    permissions: options.permissions,
    registry: options.permissionsRegistry,
    extraRules: extensions.permissionRules,
    entitiesCatalog,
  });
  const history = new EntityHistory({
    knex,
    config: readHistoryConfig(config),
    logger,
    events: options.events,
    guard,
  });
  const router = createRouter({
    config,
    entitiesCatalog,
    guard,
    history,
    locationService: new DefaultLocationService({
      store: locationStore,
      orchestrator,
      config,
      allowedLocationTypes: extensions.allowedLocationTypes,
      maxDryRunEntities: limits.maxDryRunEntities,
    }),
    refreshService: new DefaultRefreshService({
      knex,
      onScheduled: () => engine.wake(),
    }),
    waiter,
    orchestrator,
    locationAnalyzer: await createLocationAnalyzer(extensions, () => {
      return new DefaultLocationAnalyzer({
        reader,
        knex,
        logger,
        parser,
        analyzers: extensions.scmLocationAnalyzers,
      });
    }),
    httpAuth: options.httpAuth,
    auditor: options.auditor,
    knex,
    limits,
  });

  return {
    router,
    async start() {
      await history.start();
      for (const provider of providers) {
        const connection = createEntityProviderConnection({
          knex,
          providerName: provider.getProviderName(),
          logger,
          fullMutationGuard: engineConfig.fullMutationGuard,
          // New entities are processed at once instead of at the next poll.
          onWritten: () => engine.wake(),
          waiter,
        });
        await provider.connect({
          applyMutation: (mutation, mutationOptions) =>
            connection.applyMutation(mutation, mutationOptions),
          async refresh(options) {
            await connection.refresh(options);
            engine.wake();
          },
        });
      }
      engine.start();
      stitcher.start();
    },
    async stop() {
      waiter.stop();
      metrics.stop();
      await stopWithin(logger, stopWaitMs, {
        'processing engine': engine.stop(),
        stitcher: stitcher.stop(),
        'change history publisher and pruner': history.stop(),
      });
    },
    endStreams() {
      history.notifier.stop();
      // Waits answer 202 now rather than hold the HTTP drain.
      waiter.stop();
    },
  };
}

/**
 * How long the catalog's stop waits for a loop's round in progress. Under
 * the backend's 30 s limit, so the rest of the shutdown still runs.
 */
const stopWaitMs = 10_000;

/**
 * Waits for each part to stop, at most `waitMs`, and names in a warning
 * the parts that did not: their claims and leases run out, so another
 * replica (or the next start) takes their work over; a stop that hangs
 * would instead fail the whole shutdown without saying which part hung.
 *
 * @internal
 */
export async function stopWithin(
  logger: LoggerService,
  waitMs: number,
  parts: Record<string, Promise<void>>,
): Promise<void> {
  const stuck: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<void>(resolve => {
    timer = setTimeout(resolve, waitMs);
  });
  try {
    await Promise.all(
      Object.entries(parts).map(async ([name, stopping]) => {
        let stopped = false;
        await Promise.race([
          stopping.finally(() => {
            stopped = true;
          }),
          timeUp,
        ]);
        if (!stopped) {
          stuck.push(name);
        }
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  if (stuck.length > 0) {
    logger.warn(
      `The catalog stopped without waiting longer for its ${stuck.join(', ')}: a round still ran after ${waitMs} ms. Its claims and leases run out, and another replica or the next start takes the work over.`,
    );
  }
}

/** The analyzer a module set, else the default one. */
async function createLocationAnalyzer(
  extensions: CatalogExtensions,
  createDefault: () => LocationAnalyzer,
): Promise<LocationAnalyzer> {
  const factory = extensions.locationAnalyzerFactory;
  if (!factory) {
    return createDefault();
  }
  try {
    const { locationAnalyzer } = await factory({
      scmLocationAnalyzers: [...extensions.scmLocationAnalyzers],
    });
    return locationAnalyzer;
  } catch (error) {
    throw new ForwardedError(
      `The location analyzer factory that a catalog module set through 'catalog.analysis' failed`,
      error,
    );
  }
}

function withUniqueNames(providers: EntityProvider[]): EntityProvider[] {
  const seen = new Set<string>();
  for (const provider of providers) {
    const name = provider.getProviderName();
    if (seen.has(name)) {
      throw new ConflictError(
        `Two catalog entity providers are named '${name}'; entities are keyed by provider name, so rename the module's provider.`,
      );
    }
    seen.add(name);
  }
  return providers;
}
