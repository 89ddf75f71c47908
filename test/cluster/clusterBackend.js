/*
 * The backend each replica of `yarn test:cluster` runs: the catalog, an
 * entity provider whose desired state the harness writes to a directory,
 * and a plugin whose global scheduled task records its runs, so the
 * harness can check that no two ever overlapped.
 *
 * Plain CommonJS so that it runs both from sources (under sucrase) and,
 * copied into `build/backend/`, against the compiled packages there.
 * Settings come from the environment the harness gives each replica:
 * PLINTH_CLUSTER_REPLICA (its name) and PLINTH_CLUSTER_STATE (the
 * provider's state directory).
 */
/* global setTimeout, clearTimeout */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, see above */
const { readFile } = require('node:fs/promises');
const { join } = require('node:path');
const {
  createBackend,
  DefaultRootConfigService,
} = require('@plinth/backend-defaults');
const {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} = require('@plinth/backend-plugin-api');
const {
  catalogProcessingExtensionPoint,
} = require('@plinth/plugin-catalog-node');

const replica = process.env.PLINTH_CLUSTER_REPLICA ?? 'unnamed';
const stateDirectory = process.env.PLINTH_CLUSTER_STATE;
if (!stateDirectory) {
  throw new Error(
    'clusterBackend.js needs PLINTH_CLUSTER_STATE: the directory where the harness writes the provider state; run it through `yarn test:cluster`.',
  );
}

/** How often the provider looks for a new state version. */
const pollMs = 500;

/**
 * Applies the state the harness wrote as a full mutation, once per version:
 * `version` holds a number, `entities-<version>.json` the entities. Every
 * replica runs it, as every replica runs a real provider.
 */
class HarnessStateProvider {
  constructor(logger) {
    this.logger = logger;
    this.appliedVersion = undefined;
    this.timer = undefined;
  }

  getProviderName() {
    return 'cluster-test';
  }

  async connect(connection) {
    this.connection = connection;
    this.schedulePoll();
  }

  schedulePoll() {
    this.timer = setTimeout(() => {
      this.poll().finally(() => this.timer && this.schedulePoll());
    }, pollMs);
  }

  async poll() {
    let version;
    try {
      version = (
        await readFile(join(stateDirectory, 'version'), 'utf8')
      ).trim();
    } catch {
      return; // Nothing written yet.
    }
    if (version === this.appliedVersion) {
      return;
    }
    try {
      const entities = JSON.parse(
        await readFile(
          join(stateDirectory, `entities-${version}.json`),
          'utf8',
        ),
      );
      const started = Date.now();
      await this.connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity: withLocation(entity),
          locationKey: providerLocation,
        })),
      });
      this.appliedVersion = version;
      this.logger.info(
        `Applied provider state version ${version} (${entities.length} entities) in ${Date.now() - started} ms`,
      );
    } catch (error) {
      // The next poll tries again, as a real provider's next run would.
      this.logger.warn(
        `Could not apply provider state version ${version}, retrying: ${error}`,
      );
    }
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Where the provider says its entities come from, as a location ref. */
const providerLocation = `cluster-test:${stateDirectory}`;

/** The entity with the location annotations every provider must set. */
function withLocation(entity) {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        'backstage.io/managed-by-location': providerLocation,
        'backstage.io/managed-by-origin-location': providerLocation,
      },
    },
  };
}

const provider = { current: undefined };

const providerModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'cluster-test-provider',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ catalog, logger, lifecycle }) {
        provider.current = new HarnessStateProvider(logger);
        catalog.addEntityProvider(provider.current);
        lifecycle.addShutdownHook(() => provider.current.stop());
      },
    });
  },
});

/** The recorder's task: long enough that overlapping runs would show. */
const taskWorkMs = 400;

const recorderPlugin = createBackendPlugin({
  pluginId: 'clustertest',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
      },
      async init({ database, scheduler, httpRouter }) {
        const knex = await database.getClient();
        // Three replicas start at once; the lock makes them create it in turn.
        await knex.transaction(async tx => {
          await tx.raw('SELECT pg_advisory_xact_lock(1515)');
          await tx.raw(
            `CREATE TABLE IF NOT EXISTS task_runs (
               id bigserial PRIMARY KEY,
               replica text NOT NULL,
               started_at timestamptz NOT NULL,
               ended_at timestamptz,
               fencing_token text
             )`,
          );
        });
        await scheduler.scheduleTask({
          id: 'cluster-recorder',
          scope: 'global',
          frequency: { seconds: 1 },
          timeout: { seconds: 10 },
          fn: async (_signal, run) => {
            // The scheduler's fencing token (a decimal string that grows
            // with every claim), when it passes one: `run.lease` is
            // Plinth's second argument to a global task's function.
            const token = run?.lease?.fencingToken ?? null;
            const [{ id }] = await knex('task_runs')
              .insert({
                replica,
                started_at: knex.raw('clock_timestamp()'),
                fencing_token: token,
              })
              .returning('id');
            await new Promise(done => setTimeout(done, taskWorkMs));
            await knex('task_runs')
              .where({ id })
              .update({ ended_at: knex.raw('clock_timestamp()') });
          },
        });
        httpRouter.use((req, res, next) => {
          if (req.method !== 'GET' || req.path !== '/provider') {
            next();
            return;
          }
          res.json({
            replica,
            appliedVersion: provider.current?.appliedVersion,
          });
        });
      },
    });
  },
});

const backend = createBackend();
// Config schemas are collected from the entry file's package, which here
// is the repository (or build folder) root; the production config sets
// keys of the plugins the backend package installs, so read theirs.
backend.add(
  createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () =>
      DefaultRootConfigService.create({
        packageDir: join(process.cwd(), 'packages', 'backend'),
      }),
  }),
);
backend.add(require('@plinth/plugin-catalog-backend').default);
backend.add(providerModule);
backend.add(recorderPlugin);
void backend.start();
