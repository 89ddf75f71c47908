import { mockServices } from '@plinth/backend-test-utils';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '../../config';
import { DatabaseManager } from './DatabaseManager';

// Each test starts PGlite in a new directory, which takes seconds.
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'plinth-db-dir-'));
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function createManager(directory: string) {
  return DatabaseManager.fromConfig(
    new ConfigReader({
      backend: { database: { client: 'pglite', connection: { directory } } },
    }),
    { logger: mockServices.rootLogger() },
  );
}

describe('DatabaseManager', () => {
  describe('with a PGlite data directory', () => {
    it('keeps data between managers and removes its lock file on close', async () => {
      const directory = path.join(tmp, 'kept');
      const first = createManager(directory);
      const logger = mockServices.rootLogger();
      const writer = await first.forPlugin('notes', { logger }).getClient();
      await writer.schema.createTable('notes', t => t.string('text'));
      await writer('notes').insert({ text: 'kept' });

      await expect(
        fs.readFile(path.join(directory, 'plinth.lock'), 'utf8'),
      ).resolves.toMatch(new RegExp(`^${process.pid}\nhostname=`));
      await first.close();

      await expect(
        fs.stat(path.join(directory, 'plinth.lock')),
      ).rejects.toMatchObject({ code: 'ENOENT' });
      const second = createManager(directory);
      const reader = await second.forPlugin('notes', { logger }).getClient();
      await expect(reader('notes').pluck('text')).resolves.toEqual(['kept']);
      await second.close();
    }, 60_000);

    it('names the directory when PGlite cannot start there, and releases the lock', async () => {
      const directory = path.join(tmp, 'damaged');
      await fs.mkdir(directory);
      await fs.writeFile(path.join(directory, 'PG_VERSION'), '9\n');
      const manager = createManager(directory);

      await expect(
        manager
          .forPlugin('notes', { logger: mockServices.rootLogger() })
          .getClient(),
      ).rejects.toThrow(
        `Could not open the database of plugin 'notes': PGlite failed to start with the data directory '${directory}'. ` +
          'If the directory holds data from another PGlite version or is damaged, move it aside to start with an empty database; the cause has the details.',
      );
      await expect(
        fs.stat(path.join(directory, 'plinth.lock')),
      ).rejects.toMatchObject({ code: 'ENOENT' });
      await manager.close();
    });
  });
});
