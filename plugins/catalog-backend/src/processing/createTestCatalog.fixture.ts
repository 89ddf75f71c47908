import { MockLoggerService } from '@plinth/backend-test-utils';
import { createEntityValidator, type Entity } from '@plinth/catalog-model';
import {
  defaultEntityDataParser,
  processingResult,
  type CatalogProcessingErrorHandler,
  type CatalogProcessor,
  type EntityProviderConnection,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import type { OrphanStrategy } from '../database/entityReferences';
import type { FullMutationGuard } from '../database/providerEntities';
import type { CatalogRulesEnforcer } from './DefaultCatalogRulesEnforcer';
import { DefaultStitcher } from '../stitching/DefaultStitcher';
import { createEntityProviderConnection } from '../providers/createEntityProviderConnection';
import { DefaultCatalogProcessingEngine } from './DefaultCatalogProcessingEngine';
import { DefaultCatalogProcessingOrchestrator } from './DefaultCatalogProcessingOrchestrator';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';
import type { CatalogMetrics } from '../metrics/CatalogMetrics';

/** The tables a test empties between cases, children first. */
const tables = [
  'search',
  'final_entities',
  'refresh_keys',
  'relations',
  'location_key_conflicts',
  'refresh_state_references',
  'stitch_queue',
  'refresh_state',
  'locations',
];

/** Empties the catalog tables, for a database shared by the tests of a file. */
export async function clearCatalogTables(knex: Knex): Promise<void> {
  await knex.raw(`TRUNCATE ${tables.join(', ')}`);
}

/** A processing engine, a stitcher and their helpers over a test database. */
export interface TestCatalog {
  engine: DefaultCatalogProcessingEngine;
  stitcher: DefaultStitcher;
  logger: MockLoggerService;
  /** The content of `mem` locations, by target. */
  files: Map<string, string>;
  /** How often each entity (lowercased ref) was processed. */
  processCalls: Map<string, number>;
  /** A connection as an entity provider of that name would get it. */
  connect(
    providerName: string,
    guard?: FullMutationGuard,
  ): EntityProviderConnection;
  /** Processes and stitches until nothing is due. */
  runUntilIdle(): Promise<void>;
  /** The served entity, parsed. */
  entity(ref: string): Promise<Entity | undefined>;
  /** The refs of all served entities, sorted. */
  servedRefs(): Promise<string[]>;
}

/**
 * The processors of the test catalog: a reader of in-memory `mem`
 * locations, and `ownedBy`/`ownerOf` relations from `spec.owner`.
 */
function createProcessors(
  files: Map<string, string>,
  processCalls: Map<string, number>,
): CatalogProcessor[] {
  return [
    {
      getProcessorName: () => 'CallCounter',
      async preProcessEntity(entity) {
        const ref = toLowerEntityRef(entity);
        processCalls.set(ref, (processCalls.get(ref) ?? 0) + 1);
        return entity;
      },
    },
    {
      getProcessorName: () => 'MemoryReader',
      async readLocation(location, optional, emit, parser) {
        if (location.type !== 'mem') {
          return false;
        }
        const content = files.get(location.target);
        if (content === undefined) {
          if (!optional) {
            emit(
              processingResult.notFoundError(
                location,
                `No file '${location.target}'`,
              ),
            );
          }
          return true;
        }
        for await (const result of parser({
          data: Buffer.from(content),
          location,
        })) {
          emit(result);
        }
        return true;
      },
    },
    {
      getProcessorName: () => 'OwnerRelations',
      async postProcessEntity(entity, _location, emit) {
        const owner = entity.spec?.owner;
        if (typeof owner === 'string') {
          const self = {
            kind: entity.kind,
            namespace: entity.metadata.namespace ?? 'default',
            name: entity.metadata.name,
          };
          const group = { kind: 'group', namespace: 'default', name: owner };
          emit(
            processingResult.relation({
              source: self,
              type: 'ownedBy',
              target: group,
            }),
          );
          emit(
            processingResult.relation({
              source: group,
              type: 'ownerOf',
              target: self,
            }),
          );
        }
        return entity;
      },
    },
  ];
}

/** Creates a test catalog over a migrated, empty database. */
export function createTestCatalog(
  knex: Knex,
  options: {
    orphanStrategy?: OrphanStrategy;
    extraProcessors?: CatalogProcessor[];
    rulesEnforcer?: CatalogRulesEnforcer;
    onProcessingError?: CatalogProcessingErrorHandler;
    batchSize?: number;
    concurrency?: number;
    maxEmittedPerBatch?: number;
    pollIntervalMs?: number;
    leaseMs?: number;
    onStitchingMarked?: () => void;
    metrics?: CatalogMetrics;
  } = {},
): TestCatalog {
  const logger = MockLoggerService.create();
  const files = new Map<string, string>();
  const processCalls = new Map<string, number>();
  const orchestrator = new DefaultCatalogProcessingOrchestrator({
    processors: [
      ...createProcessors(files, processCalls),
      ...(options.extraProcessors ?? []),
    ],
    rulesEnforcer: options.rulesEnforcer ?? { isAllowed: () => true },
    validator: createEntityValidator(),
    parser: defaultEntityDataParser,
    logger,
  });
  const engine = new DefaultCatalogProcessingEngine({
    knex,
    orchestrator,
    logger,
    orphanStrategy: options.orphanStrategy,
    onProcessingError: options.onProcessingError,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
    maxEmittedPerBatch: options.maxEmittedPerBatch,
    pollIntervalMs: options.pollIntervalMs,
    leaseMs: options.leaseMs,
    onStitchingMarked: options.onStitchingMarked,
    metrics: options.metrics,
  });
  const stitcher = new DefaultStitcher({ knex, logger });
  return {
    engine,
    stitcher,
    logger,
    files,
    processCalls,
    connect: (
      providerName,
      guard = { maxDeletionShare: 0.5, confirmedRemovals: [] },
    ) =>
      createEntityProviderConnection({
        knex,
        providerName,
        logger,
        fullMutationGuard: guard,
      }),
    async runUntilIdle() {
      for (let round = 0; round < 100; round += 1) {
        const processed = await engine.processOnce();
        const stitched = await stitcher.stitchOnce();
        if (processed === 0 && stitched === 0) {
          return;
        }
      }
      throw new Error('The test catalog still had work after 100 rounds');
    },
    async entity(ref) {
      const row = await knex('final_entities')
        .where({ entity_ref: ref.toLowerCase() })
        .first<{ final_entity: string } | undefined>('final_entity');
      return row ? (JSON.parse(row.final_entity) as Entity) : undefined;
    },
    async servedRefs() {
      return knex('final_entities').orderBy('entity_ref').pluck('entity_ref');
    },
  };
}

/** A Component entity as YAML, owned by `owner`. */
export function componentYaml(
  name: string,
  owner = 'team-a',
  extra = '',
): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}${extra}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;
}

/** A Group entity, as a provider gives it. */
export function groupEntity(name: string, location = 'mem:/groups'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
    },
    spec: { type: 'team', children: [] },
  };
}

/** A Location entity pointing at a `mem` file, as a provider gives it. */
export function locationEntity(name: string, target: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': `mem:/config/${name}`,
        'backstage.io/managed-by-origin-location': `mem:/config/${name}`,
      },
    },
    spec: { type: 'mem', target },
  };
}
