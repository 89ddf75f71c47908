import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { mockServices, startTestBackend } from '@plinth/backend-test-utils';
import type { Knex } from 'knex';
import { databaseServiceFactory } from './databaseServiceFactory';

describe('databaseServiceFactory', () => {
  it("gives plugins their databases and closes them after the plugins' shutdown hooks", async () => {
    let client: Knex | undefined;
    const wroteOnShutdown: string[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'notes',
      register(env) {
        env.registerInit({
          deps: {
            database: coreServices.database,
            lifecycle: coreServices.lifecycle,
          },
          async init({ database, lifecycle }) {
            expect(database.migrations).toEqual({ skip: true });
            client = await database.getClient();
            await client.schema.createTable('notes', t => t.string('text'));
            lifecycle.addShutdownHook(async () => {
              await client!('notes').insert({ text: 'bye' });
              wroteOnShutdown.push(...(await client!('notes').pluck('text')));
            });
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        plugin,
        databaseServiceFactory,
        mockServices.rootConfig.factory({
          data: { backend: { database: { skipMigrations: true } } },
        }),
      ],
    });
    await expect(
      client!.raw('SELECT current_schema() AS name'),
    ).resolves.toMatchObject({ rows: [{ name: 'plinth_plugin_notes' }] });
    await backend.stop();

    expect(wroteOnShutdown).toEqual(['bye']);
    await expect(client!.raw('SELECT 1')).rejects.toThrow();
  }, 60_000);
});
