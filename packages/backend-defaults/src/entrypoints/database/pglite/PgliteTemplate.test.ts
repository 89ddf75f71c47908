import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { mockServices } from '@plinth/backend-test-utils';
import type { DatabaseTarget } from '../DatabaseConnector';
import { PgliteConnector } from './PgliteConnector';
import { PgliteTemplate, pgVersionFile } from './PgliteTemplate';

// One real template, made once: initdb takes seconds. The tests of the
// cache's protocol use a fake initdb that makes a recognisable directory.
let tmp: string;
let cacheDirectory: string;
let template: PgliteTemplate;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'plinth-pglite-template-'));
  cacheDirectory = path.join(tmp, 'cache');
  template = PgliteTemplate.default({ cacheDirectory });
  await template.prepare();
}, 120_000);

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function createTarget(
  directory: string,
  logger = mockServices.rootLogger(),
): DatabaseTarget {
  return {
    owner: "plugin 'notes'",
    name: 'notes',
    divisionMode: 'schema',
    connection: { client: 'pglite', directory },
    connectionKey: 'backend.database.connection',
    pool: {},
    logger,
  };
}

/** initdb writes a system identifier that no other database shares. */
async function systemIdentifier(directory: string): Promise<string> {
  const control = await fs.readFile(path.join(directory, 'global/pg_control'));
  return control.subarray(0, 8).toString('hex');
}

/** A fake initdb whose directories say which call made them. */
function fakeInitdb(label: string, started?: () => Promise<void>) {
  return async (directory: string) => {
    await started?.();
    await fs.writeFile(path.join(directory, pgVersionFile), '18\n');
    await fs.writeFile(path.join(directory, 'made-by'), label);
  };
}

describe('PgliteTemplate', () => {
  it('gives a new data directory a copy of the template, so PGlite runs no initdb there', async () => {
    const directory = path.join(tmp, 'fresh');
    const logger = mockServices.rootLogger();
    const connector = PgliteConnector.create({ template });
    const knex = await connector.connect(createTarget(directory, logger));

    const { rows } = await knex.raw("SELECT current_setting('shared_buffers')");
    expect(rows).toEqual([{ current_setting: '32MB' }]);
    await connector.close();
    await expect(systemIdentifier(directory)).resolves.toBe(
      await systemIdentifier(template.directory),
    );
    expect(logger.messages('info')[0]).toBe(
      `Created the PGlite data directory '${directory}' from the template '${template.directory}'.`,
    );
  }, 60_000);

  it('copies again into a data directory whose copy was cut short', async () => {
    const directory = path.join(tmp, 'cut-short');
    await fs.mkdir(directory);
    template.copyTo(directory);
    // As a crash leaves it: the marker of a copy in progress is still
    // there, PG_VERSION not yet, and a file is half written.
    await fs.copyFile(
      path.join(template.directory, 'plinth-template.json'),
      path.join(directory, 'plinth-template.json'),
    );
    await fs.rm(path.join(directory, pgVersionFile));
    await fs.writeFile(path.join(directory, 'global/pg_control'), '');
    const connector = PgliteConnector.create({ template });
    const knex = await connector.connect(createTarget(directory));

    await expect(knex.raw('SELECT 1 AS one')).resolves.toMatchObject({
      rows: [{ one: 1 }],
    });
    await connector.close();
    await expect(systemIdentifier(directory)).resolves.toBe(
      await systemIdentifier(template.directory),
    );
  }, 60_000);

  it('copies nothing into a directory that holds files of its own', async () => {
    const directory = path.join(tmp, 'not-ours');
    await fs.mkdir(directory);
    await fs.writeFile(path.join(directory, 'notes.txt'), 'keep me');

    expect(template.copyTo(directory)).toBe(false);

    await expect(fs.readdir(directory)).resolves.toEqual(['notes.txt']);
  });

  it('gives two processes opening a new directory at once one good database', async () => {
    const directory = path.join(tmp, 'raced');
    const fixture = path.join(__dirname, 'openFromTemplate.fixture.ts');
    const start = () =>
      promisify(execFile)(process.execPath, [
        '-r',
        'sucrase/register/ts',
        fixture,
        directory,
        cacheDirectory,
      ]).then(({ stdout }) => stdout);

    const outcomes = await Promise.all([start(), start()]);

    // The loser of the lock is refused; were the starts apart in time,
    // both would have opened the database one after the other.
    expect(outcomes).toContain('ok');
    for (const outcome of outcomes) {
      expect(['ok', 'DATABASE_LOCKED']).toContain(outcome);
    }
    const connector = PgliteConnector.create({ template });
    const knex = await connector.connect(createTarget(directory));
    await expect(knex('starts.pids').count('* as n')).resolves.toEqual([
      { n: outcomes.filter(o => o === 'ok').length },
    ]);
    await connector.close();
  }, 120_000);

  it('replaces a template that another PGlite version made', async () => {
    const cache = path.join(tmp, 'versions');
    await new PgliteTemplate({
      cacheDirectory: cache,
      pgliteVersion: '1.0.0',
      initdb: fakeInitdb('old'),
    }).prepare();
    // A template moved under the name of another version is still refused:
    // its manifest says what made it.
    await fs.rename(path.join(cache, '1.0.0'), path.join(cache, '2.0.0'));
    const upgraded = new PgliteTemplate({
      cacheDirectory: cache,
      pgliteVersion: '2.0.0',
      initdb: fakeInitdb('new'),
    });

    await expect(upgraded.isValid()).resolves.toBe(false);
    await expect(upgraded.prepare()).resolves.toBe(true);

    await expect(
      fs.readFile(path.join(upgraded.directory, 'made-by'), 'utf8'),
    ).resolves.toBe('new');
    await expect(fs.readdir(cache)).resolves.toEqual(['2.0.0']);
  });

  it('never uses a half-made template, and removes drafts a crash left', async () => {
    const cache = path.join(tmp, 'crashed');
    const options = { cacheDirectory: cache, pgliteVersion: '1.0.0' };
    await fs.mkdir(path.join(cache, '1.0.0'), { recursive: true });
    await fs.writeFile(path.join(cache, '1.0.0', pgVersionFile), '18\n');
    const abandoned = path.join(cache, '1.0.0.abandoned.tmp');
    await fs.mkdir(abandoned);
    const anHourAgo = new Date(Date.now() - 61 * 60_000);
    await fs.utimes(abandoned, anHourAgo, anHourAgo);
    const inProgress = path.join(cache, '1.0.0.in-progress.tmp');
    await fs.mkdir(inProgress);
    const repaired = new PgliteTemplate({
      ...options,
      initdb: fakeInitdb('complete'),
    });

    await expect(repaired.isValid()).resolves.toBe(false);
    await expect(repaired.prepare()).resolves.toBe(true);

    await expect(
      fs.readFile(path.join(repaired.directory, 'made-by'), 'utf8'),
    ).resolves.toBe('complete');
    // Another process may still be writing a recent draft.
    expect((await fs.readdir(cache)).sort()).toEqual([
      '1.0.0',
      '1.0.0.in-progress.tmp',
    ]);
  });

  it('lets processes preparing it at once share one template', async () => {
    const cache = path.join(tmp, 'concurrent');
    let arrived = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>(r => (release = r));
    const barrier = async () => {
      arrived += 1;
      if (arrived === 2) {
        release();
      }
      await bothStarted;
    };
    const templates = ['first', 'second'].map(
      label =>
        new PgliteTemplate({
          cacheDirectory: cache,
          pgliteVersion: '1.0.0',
          initdb: fakeInitdb(label, barrier),
        }),
    );

    const made = await Promise.all(templates.map(t => t.prepare()));

    expect(made).toEqual([true, true]);
    await expect(templates[0].isValid()).resolves.toBe(true);
    await expect(fs.readdir(cache)).resolves.toEqual(['1.0.0']);
  });
});
