import { mockServices } from '@plinth/backend-test-utils';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget } from '../DatabaseConnector';
import { lockFileName } from './DataDirectoryLock';
import { PgliteConnector } from './PgliteConnector';

// A PGlite whose constructor throws, as it may for an unusable directory
// or options; DatabaseManager.directory.test.ts covers a real failed start.
jest.mock('@electric-sql/pglite', () => ({
  PGlite: jest.fn(() => {
    throw new Error('PGlite cannot start here');
  }),
}));

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
    const connector = PgliteConnector.create();
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
});
