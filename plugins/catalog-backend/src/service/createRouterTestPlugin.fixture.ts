import {
  coreServices,
  createBackendPlugin,
  type BackendFeature,
} from '@plinth/backend-plugin-api';
import type { Entity } from '@plinth/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@plinth/errors';
import type {
  AnalyzeLocationRequest,
  AnalyzeLocationResponse,
  LocationAnalyzer,
  LocationSpec,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/applyDatabaseMigrations';
import { DefaultEntitiesCatalog } from '../entities/DefaultEntitiesCatalog';
import {
  seedFinalEntities,
  type SeedEntity,
} from '../entities/seedFinalEntities.fixture';
import { assertUrlTarget } from '../locations/checkLocationTarget';
import type {
  Location,
  LocationService,
} from '../locations/DefaultLocationService';
import type { CatalogProcessingOrchestrator } from '../processing/CatalogProcessingOrchestrator';
import type { RefreshService } from '../processing/RefreshService';
import { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { createRouter } from './createRouter';
import { WriteWaiter } from '../readYourWrites/WriteWaiter';
import { readQueryLimits } from './request/readQueryLimits';

/** What the test plugin's fakes saw, and the seeded database. */
export interface RouterTestState {
  knex?: Knex;
  /** Uids of the seeded entities by lowercased ref. */
  uids: Record<string, string>;
  refreshed: string[];
  processed: Entity[];
  analyzed: AnalyzeLocationRequest[];
  created: Array<{ spec: LocationSpec; dryRun: boolean }>;
}

/** The answer of the fake analyzer. */
export const analyzeResponse: AnalyzeLocationResponse = {
  existingEntityFiles: [],
  generateEntities: [
    {
      entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component' },
      fields: [
        {
          field: 'spec.owner',
          state: 'needsUserInput',
          value: null,
          description: 'Who owns it',
        },
      ],
    },
  ],
};

/** The location the fake location service has from the start. */
export const registeredLocation: Location = {
  id: 'location-1',
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

/**
 * A `catalog` plugin that serves {@link createRouter} over a migrated
 * test database seeded with `entities`, with in-memory fakes of the
 * location service, refresh service, orchestrator and analyzer. The
 * orchestrator fails entities named `invalid`; refresh knows the seeded
 * refs only. Permissions are the real guard over whatever permissions
 * service the test backend has.
 */
export function createRouterTestPlugin(entities: Array<Entity | SeedEntity>): {
  plugin: BackendFeature;
  state: RouterTestState;
} {
  const state: RouterTestState = {
    uids: {},
    refreshed: [],
    processed: [],
    analyzed: [],
    created: [],
  };
  const plugin = createBackendPlugin({
    pluginId: 'catalog',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          database: coreServices.database,
          config: coreServices.rootConfig,
          httpAuth: coreServices.httpAuth,
          auditor: coreServices.auditor,
          permissions: coreServices.permissions,
          permissionsRegistry: coreServices.permissionsRegistry,
        },
        async init({
          httpRouter,
          database,
          config,
          httpAuth,
          auditor,
          permissions,
          permissionsRegistry,
        }) {
          const knex = await database.getClient();
          await applyDatabaseMigrations(knex);
          state.knex = knex;
          state.uids = await seedFinalEntities(knex, entities);
          const entitiesCatalog = DefaultEntitiesCatalog.create({ knex });
          const router = createRouter({
            config,
            entitiesCatalog,
            guard: CatalogPermissionGuard.register({
              permissions,
              registry: permissionsRegistry,
              extraRules: [],
              entitiesCatalog,
            }),
            locationService: createFakeLocationService(state),
            refreshService: createFakeRefreshService(state),
            orchestrator: createFakeOrchestrator(state),
            locationAnalyzer: createFakeAnalyzer(state),
            limits: readQueryLimits(config),
            httpAuth,
            auditor,
            knex,
            waiter: WriteWaiter.fromConfig(config, {
              knex,
              invalidateReads: () => {},
            }),
          });
          httpRouter.use(router);
        },
      });
    },
  });
  return { plugin, state };
}

function createFakeLocationService(state: RouterTestState): LocationService {
  const locations: Location[] = [registeredLocation];
  const find = (id: string) => {
    const location = locations.find(l => l.id === id);
    if (!location) {
      throw new NotFoundError(`Location '${id}' not found.`);
    }
    return location;
  };
  return {
    checkLocation(spec) {
      assertUrlTarget(spec, 'the request');
      return spec;
    },
    async createLocation(spec, dryRun) {
      state.created.push({ spec, dryRun });
      const exists = locations.some(
        l => l.type === spec.type && l.target === spec.target,
      );
      if (dryRun) {
        const id = `${spec.type}:${spec.target}`;
        return { location: { id, ...spec }, entities: [], exists };
      }
      if (exists) {
        throw new ConflictError(
          `Location '${spec.type}:${spec.target}' already exists.`,
        );
      }
      const location = {
        id: `location-${locations.length + 1}`,
        type: spec.type,
        target: spec.target,
      };
      locations.push(location);
      return { location, entities: [] };
    },
    async listLocations() {
      return [...locations];
    },
    async getLocation(id) {
      return find(id);
    },
    async deleteLocation(id) {
      locations.splice(locations.indexOf(find(id)), 1);
    },
    async updateLocation(id, spec) {
      return Object.assign(find(id), { type: spec.type, target: spec.target });
    },
    async queryLocations() {
      throw new Error(
        'The router fixture does not query locations; the catalogPlugin tests of POST /locations/by-query run the real store.',
      );
    },
    async getLocationByEntity(ref) {
      if (ref.kind === 'component' && ref.name === 'petstore') {
        return registeredLocation;
      }
      throw new NotFoundError(
        `No location for entity '${ref.kind}:${ref.namespace}/${ref.name}'.`,
      );
    },
  };
}

function createFakeRefreshService(state: RouterTestState): RefreshService {
  return {
    async refresh({ entityRef }) {
      if (!(entityRef.toLowerCase() in state.uids)) {
        throw new NotFoundError(`Entity '${entityRef}' not found.`);
      }
      state.refreshed.push(entityRef);
    },
  };
}

function createFakeOrchestrator(
  state: RouterTestState,
): CatalogProcessingOrchestrator {
  return {
    async process({ entity }) {
      state.processed.push(entity);
      if (entity.metadata.name === 'invalid') {
        return {
          ok: false,
          errors: [
            new InputError("Entity 'component:default/invalid' is invalid."),
          ],
        };
      }
      return {
        ok: true,
        cache: {},
        completedEntity: entity,
        deferredEntities: [],
        refreshKeys: [],
        relations: [],
        errors: [],
      };
    },
  };
}

function createFakeAnalyzer(state: RouterTestState): LocationAnalyzer {
  return {
    async analyzeLocation(request) {
      state.analyzed.push(request);
      return analyzeResponse;
    },
  };
}
