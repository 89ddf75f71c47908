import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { TestDatabases } from './TestDatabases';
import { startTestBackend } from './startTestBackend';

const databases = TestDatabases.create({ ids: ['PGLITE'] });

/** What the plugin's shutdown hook saw; undefined until it ran. */
let atShutdown: { commit: string; waitingQuery: string } | undefined;

const settled = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ran',
    (error: Error) => error.message,
  );

/**
 * Like the catalog's loops: one is inside a transaction, which holds
 * PGlite's one connection, while a query of another waits for it; stopping
 * ends the transaction and waits for the other query.
 */
const busyPlugin = createBackendPlugin({
  pluginId: 'busy',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
      },
      async init({ database, lifecycle }) {
        const knex = await database.getClient();
        const trx = await knex.transaction();
        await trx.raw('select 1');
        const waitingQuery = settled(knex.raw('select 2'));
        lifecycle.addShutdownHook(async () => {
          const commit = await settled(trx.commit());
          atShutdown = { commit, waitingQuery: await waitingQuery };
        });
      },
    });
  },
});

it('starts a plugin that holds the database connection until it stops', async () => {
  await startTestBackend({
    features: [busyPlugin, databases.factory('PGLITE')],
  });
});

// Registered after the package's own after-file hooks, which the imports
// above registered, so it sees what they did.
afterAll(() => {
  expect(atShutdown).toEqual({ commit: 'ran', waitingQuery: 'ran' });
});
