import { PGlite } from '@electric-sql/pglite';
import { mockServices } from '@plinth/backend-test-utils';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget } from '../DatabaseConnector';
import { lockFileName } from './DataDirectoryLock';
import { PgliteConnector } from './PgliteConnector';
import { PgliteTemplate } from './PgliteTemplate';

// A fake PGlite whose start and close a test chooses: by default its
// constructor throws, as it may for an unusable directory or options;
// DatabaseManager.directory.test.ts covers a real failed start.
const fake = {
  construct: 'throw' as 'throw' | 'succeed' | 'failReady' | 'failClose',
  closed: 0,
};
jest.mock('@electric-sql/pglite', () => ({
  PGlite: jest.fn(() => {
    if (fake.construct === 'throw') {
      throw new Error('PGlite cannot start here');
    }
    return {
      waitReady:
        fake.construct === 'failReady'
          ? Promise.reject(new Error('initdb failed'))
          : Promise.resolve(),
      query: async () => ({ rows: [], fields: [], affectedRows: 0 }),
      close: async () => {
        fake.closed += 1;
        if (fake.construct === 'failClose') {
          throw new Error('close failed');
        }
      },
    };
  }),
}));

beforeEach(() => {
  fake.construct = 'throw';
  fake.closed = 0;
});

let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'plinth-pglite-'));
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function createTarget(directory: string): DatabaseTarget {
  return {
    owner: "plugin 'notes'",
    name: 'notes',
    divisionMode: 'schema',
    connection: { client: 'pglite', directory },
    connectionKey: 'backend.database.connection',
    pool: {},
    logger: mockServices.rootLogger(),
  };
}

describe('PgliteConnector', () => {
  it('releases the data directory lock when PGlite throws on construction', async () => {
    const directory = path.join(tmp, 'throws');
    const connector = PgliteConnector.create({ template: null });
    const message =
      `Could not open the database of plugin 'notes': PGlite failed to start with the data directory '${directory}'. ` +
      'If the directory holds data from another PGlite version or is damaged, move it aside to start with an empty database; the cause has the details.';

    await expect(connector.connect(createTarget(directory))).rejects.toThrow(
      message,
    );

    await expect(
      fs.stat(path.join(directory, lockFileName)),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    // This process no longer holds the directory either: the second attempt
    // fails in PGlite again, not on the lock.
    await expect(connector.connect(createTarget(directory))).rejects.toThrow(
      message,
    );
    await connector.close();
  });

  it('closes a PGlite that failed to get ready before releasing its directory', async () => {
    fake.construct = 'failReady';
    const directory = path.join(tmp, 'not-ready');
    const connector = PgliteConnector.create({ template: null });

    await expect(connector.connect(createTarget(directory))).rejects.toThrow(
      "Could not open the database of plugin 'notes'",
    );

    expect(fake.closed).toBe(1);
    await expect(
      fs.stat(path.join(directory, lockFileName)),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('releases every lock and reports the failure when closing a PGlite fails', async () => {
    fake.construct = 'failClose';
    const directory = path.join(tmp, 'close-fails');
    const connector = PgliteConnector.create({ template: null });
    await connector.connect(createTarget(directory));

    await expect(connector.close()).rejects.toThrow(
      'Closing the PGlite databases failed 1 time(s); every database was still closed.',
    );

    await expect(
      fs.stat(path.join(directory, lockFileName)),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails the queries waiting for the connection when it closes', async () => {
    fake.construct = 'succeed';
    const directory = path.join(tmp, 'close-with-waiters');
    const connector = PgliteConnector.create({ template: null });
    const knex = await connector.connect(createTarget(directory));
    const trx = await knex.transaction();
    // A knex query runs again on each `then`; this runs it once.
    const waiting = Promise.resolve(knex.raw('SELECT 1'));
    waiting.catch(() => undefined);
    const pool = (knex.client as { pool: { numPendingAcquires(): number } })
      .pool;
    while (pool.numPendingAcquires() === 0) {
      await new Promise(resolve => setImmediate(resolve));
    }

    await connector.close();

    await expect(waiting).rejects.toMatchObject({ code: 'DATABASE_CLOSED' });
    await trx.rollback().catch(() => undefined);
  });

  it('lets PGlite run initdb, with a warning, when the template cannot be made', async () => {
    fake.construct = 'succeed';
    const directory = path.join(tmp, 'no-template');
    const cacheDirectory = path.join(tmp, 'broken-cache');
    const template = new PgliteTemplate({
      cacheDirectory,
      pgliteVersion: '1.0.0',
      initdb: async () => {
        throw new Error('initdb ran out of memory');
      },
    });
    const logger = mockServices.rootLogger();
    const connector = PgliteConnector.create({ template });

    await connector.connect({ ...createTarget(directory), logger });

    expect(logger.messages('warn')).toEqual([
      `Could not create the PGlite data directory '${directory}' from the template '${path.join(cacheDirectory, '1.0.0')}', so PGlite runs initdb in this process, which takes seconds and ~600 MiB more memory: Error: initdb ran out of memory`,
    ]);
    expect(jest.mocked(PGlite)).toHaveBeenCalledWith(directory);
    await connector.close();
  });
});
