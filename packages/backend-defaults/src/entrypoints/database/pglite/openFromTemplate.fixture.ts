/**
 * Run by PgliteTemplate.test.ts as a process of its own: opens a PGlite
 * data directory through a connector with the given template, records
 * its pid in it, and prints `ok` or the error's code.
 *
 * Usage: node -r sucrase/register/ts openFromTemplate.fixture.ts <directory> <cache>
 */
import { mockServices } from '@plinth/backend-test-utils';
import { PgliteConnector } from './PgliteConnector';
import { PgliteTemplate } from './PgliteTemplate';

async function main() {
  const [directory, cacheDirectory] = process.argv.slice(2);
  const connector = PgliteConnector.create({
    template: PgliteTemplate.default({ cacheDirectory }),
  });
  try {
    const knex = await connector.connect({
      owner: "plugin 'starts'",
      name: 'starts',
      divisionMode: 'schema',
      connection: { client: 'pglite', directory },
      connectionKey: 'backend.database.connection',
      pool: {},
      logger: mockServices.rootLogger(),
    });
    await knex.raw(
      'CREATE TABLE IF NOT EXISTS starts.pids (pid integer NOT NULL)',
    );
    await knex('starts.pids').insert({ pid: process.pid });
    process.stdout.write('ok');
  } catch (error) {
    process.stdout.write(String((error as { code?: string }).code ?? error));
  } finally {
    await connector.close();
  }
}

void main();
