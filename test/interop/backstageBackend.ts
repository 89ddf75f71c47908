import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@plinth/backend-plugin-api';
import type { TestDatabaseId } from '@plinth/backend-test-utils';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { findFreePort } from './fixtureServer';
import { databases } from './plinthBackend';

/** The static token the test sends; Backstage maps it to a service principal. */
export const backstageToken = 'interop-static-token-7c1e5d';

/** A real Backstage backend (`createBackend()` of backend-defaults) running Plinth features. */
export interface BackstageBackend {
  /** Such as `http://127.0.0.1:38211`. */
  origin: string;
  /** `Authorization` header value accepted as an external service. */
  authorization: string;
  stop(): Promise<void>;
}

// Backstage's own logger writes to the console; keep test output readable.
process.env.LOG_LEVEL ??= 'warn';

/**
 * Starts Backstage's `createBackend()` on a free port with `config` merged
 * into what it needs to listen, and `features`. Only the config source is
 * replaced (no app-config files are read). On `POSTGRES`, Backstage's own
 * database service runs with `client: pg` on databases with a prefix of
 * their own, dropped on stop. On `PGLITE`, for which Backstage has no
 * driver, Plinth's PGlite test databases stand in for the database
 * service, since Backstage's other drivers need native addons.
 */
export async function startBackstageBackend(options: {
  features: unknown[];
  config?: JsonObject;
  database: TestDatabaseId;
}): Promise<BackstageBackend> {
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const postgresUrl =
    options.database === 'POSTGRES'
      ? process.env.PLINTH_TEST_POSTGRES_URL
      : undefined;
  if (options.database === 'POSTGRES' && !postgresUrl) {
    throw new Error(
      'The POSTGRES Backstage backend needs PLINTH_TEST_POSTGRES_URL, such as postgres://postgres@127.0.0.1:5432/postgres.',
    );
  }
  const prefix = `interop_${randomBytes(4).toString('hex')}_`;
  const config = {
    ...options.config,
    backend: {
      baseUrl: origin,
      listen: { host: '127.0.0.1', port },
      ...(postgresUrl && {
        database: { client: 'pg', connection: postgresUrl, prefix },
      }),
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: backstageToken, subject: 'interop-test' },
          },
        ],
      },
      ...(options.config?.backend as JsonObject | undefined),
    },
  };

  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => new ConfigReader(config),
    }),
  );
  if (!postgresUrl) {
    backend.add(databases.factory('PGLITE'));
  }
  for (const feature of options.features) {
    backend.add(feature as BackendFeature);
  }
  const stop = async () => {
    await backend.stop();
    if (postgresUrl) {
      await dropDatabases(postgresUrl, prefix);
    }
  };
  try {
    await backend.start();
  } catch (error) {
    // What did start (the HTTP server, database pools) would keep Jest
    // from exiting.
    await stop().catch(() => {});
    throw error;
  }
  return { origin, authorization: `Bearer ${backstageToken}`, stop };
}

/** Drops the per-plugin databases Backstage created under `prefix`. */
async function dropDatabases(url: string, prefix: string) {
  const admin = knexFactory({ client: 'pg', connection: url });
  try {
    const rows = await admin
      .select<{ datname: string }[]>('datname')
      .from('pg_database')
      .where('datname', 'like', `${prefix}%`);
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}
