import {
  mockServices,
  type MockLoggerService,
} from '@plinth/backend-test-utils';
import type { LifecycleHooks } from '@plinth/backend-app-api';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '../../config';
import { DatabaseManager } from './DatabaseManager';
import { describeDatabaseManagerConformance } from './DatabaseManager.conformance';

// One in-memory PGlite for the whole file: starting one takes seconds.
let manager: DatabaseManager;
let rootLifecycle: LifecycleHooks;
let logger: MockLoggerService;
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'plinth-db-'));
  logger = mockServices.rootLogger();
  rootLifecycle = mockServices.rootLifecycle();
  manager = DatabaseManager.fromConfig(
    new ConfigReader({
      backend: {
        database: {
          client: 'pglite',
          plugin: {
            'timeout-waiter': { pool: { acquireTimeoutMillis: 20 } },
            pooled: { pool: { min: 1, max: 5 } },
            skipping: { skipMigrations: true },
            locked: { connection: { directory: path.join(tmp, 'locked') } },
          },
        },
      },
    }),
    { logger, rootLifecycle },
  );
  await getClient('warm-up');
}, 60_000);

afterAll(async () => {
  await manager.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

function getClient(pluginId: string) {
  return manager.forPlugin(pluginId, { logger }).getClient();
}

describe('DatabaseManager', () => {
  describe('with PGlite', () => {
    describeDatabaseManagerConformance(getClient);

    it("names its client 'pg' wherever code written for PostgreSQL reads the name", async () => {
      const client = await getClient('client-name');
      const trx = await client.transaction();
      try {
        for (const k of [client, trx]) {
          expect({
            client: k.client.config.client as unknown,
            dialect: k.client.dialect as unknown,
            driverName: k.client.driverName as unknown,
          }).toEqual({ client: 'pg', dialect: 'postgresql', driverName: 'pg' });
        }
      } finally {
        await trx.rollback();
      }
      // Still PGlite underneath: the name changes nothing knex does.
      await expect(
        client.raw('SELECT current_schema() AS name'),
      ).resolves.toMatchObject({
        rows: [{ name: 'plinth_plugin_client-name' }],
      });
    });

    it('keeps each plugin in a schema named after it', async () => {
      const client = await getClient('schemas');

      await expect(
        client.raw('SELECT current_schema() AS name'),
      ).resolves.toMatchObject({ rows: [{ name: 'plinth_plugin_schemas' }] });
    });

    it("runs another plugin's statement only after a transaction has ended", async () => {
      const one = await getClient('order-one');
      const two = await getClient('order-two');
      const events: string[] = [];
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let begun!: () => void;
      const inTransaction = new Promise<void>(resolve => {
        begun = resolve;
      });

      const transaction = one.transaction(async trx => {
        await trx.raw('SELECT 1');
        events.push('one: in transaction');
        begun();
        await held;
        events.push('one: commits');
      });
      await inTransaction;
      const statement = two
        .raw('SELECT 1')
        .then(() => events.push('two: statement ran'));
      // Give the waiting statement every chance to run early.
      for (let i = 0; i < 10; i++) {
        await new Promise(resolve => setImmediate(resolve));
      }
      release();
      await Promise.all([transaction, statement]);

      expect(events).toEqual([
        'one: in transaction',
        'one: commits',
        'two: statement ran',
      ]);
    });

    it('names the waiting and the holding plugin when the shared connection stays taken', async () => {
      const holder = await getClient('timeout-holder');
      const waiter = await getClient('timeout-waiter');
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let begun!: () => void;
      const inTransaction = new Promise<void>(resolve => {
        begun = resolve;
      });
      const transaction = holder.transaction(async trx => {
        await trx.raw('SELECT 1');
        begun();
        await held;
      });
      await inTransaction;

      await expect(waiter.raw('SELECT 1')).rejects.toThrow(
        "Timed out after 20 ms: plugin 'timeout-waiter' waited for the embedded database connection, which plugin 'timeout-holder' still holds. " +
          'PGlite has one connection shared by all plugins, so a query made outside an open transaction waits until that transaction ends; ' +
          "run the query inside the transaction with .transacting(trx), or raise 'backend.database.pool.acquireTimeoutMillis'.",
      );
      release();
      await transaction;
      await expect(waiter.raw('SELECT 1 AS one')).resolves.toMatchObject({
        rows: [{ one: 1 }],
      });
    });

    it('says which database each plugin uses', async () => {
      await getClient('announced');

      expect(logger.messages('info')).toContain(
        "Database of plugin 'announced': PGlite (embedded PostgreSQL), schema 'plinth_plugin_announced' in memory",
      );
    });

    it('warns that pool settings other than the acquire timeout do not apply', async () => {
      await getClient('pooled');

      expect(logger.messages('warn')).toContain(
        "Ignoring the pool settings 'min', 'max' for plugin 'pooled': PGlite has a single connection shared by all plugins.",
      );
    });

    it('reports skipMigrations per plugin', () => {
      expect(manager.forPlugin('skipping', { logger }).migrations).toEqual({
        skip: true,
      });
      expect(manager.forPlugin('migrating', { logger }).migrations).toEqual({
        skip: false,
      });
    });

    it('refuses a data directory that another live process holds', async () => {
      const directory = path.join(tmp, 'locked');
      const lockFile = path.join(directory, 'plinth.lock');
      await fs.mkdir(directory, { recursive: true });
      await fs.writeFile(lockFile, `${process.ppid}\n`);

      await expect(getClient('locked')).rejects.toThrow(
        `Cannot open the PGlite data directory '${directory}': it is in use by process ${process.ppid} (lock file '${lockFile}'). ` +
          'PGlite allows one process per directory; stop that process, or set backend.database.connection.directory to another directory. ' +
          'If no such process runs, delete the lock file.',
      );
    });

    it('rejects an unknown client when created', () => {
      expect(() =>
        DatabaseManager.fromConfig(
          new ConfigReader({ backend: { database: { client: 'oracle' } } }),
          { logger },
        ),
      ).toThrow(
        "Invalid config at 'backend.database.client': 'oracle' is not a supported database client. Use one of 'pglite', 'pg'.",
      );
    });

    // Last: it shuts the file's manager down.
    it('closes every client and PGlite in the root shutdown hook', async () => {
      const client = await getClient('closing');
      const pglite = (client.client as { driver: { closed: boolean } }).driver;

      await expect(rootLifecycle.shutdown()).resolves.toEqual([]);

      expect(pglite.closed).toBe(true);
      await expect(client.raw('SELECT 1')).rejects.toThrow();
      await expect(getClient('closing')).rejects.toThrow(
        "The database of plugin 'closing' was requested after the backend closed its database connections; ask for the client during init or startup, not after shutdown.",
      );
    });
  });
});
