/**
 * The assembled backend plus one plugin that opens its database during
 * init, so that `yarn bench:start` can measure what PGlite adds: creating
 * the data directory on a cold start, opening it on a restart.
 */
import { createBackend } from '@plinth/backend-defaults';
import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';

const backend = createBackend();
backend.add(
  createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          const knex = await database.getClient();
          await knex.raw('select 1');
        },
      });
    },
  }),
);
void backend.start();
