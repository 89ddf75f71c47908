import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  coreServices,
  createServiceFactory,
  type UrlReaderService,
  type UrlReaderServiceReadUrlResponse,
  type UrlReaderServiceSearchResponse,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import { NotAllowedError } from '@plinth/errors';
import request from 'supertest';
import { catalogPlugin } from './plugin';

/** Refuses `file:` URLs as Backstage's URL reader does. */
class BackstageLikeUrlReader implements UrlReaderService {
  async readUrl(url: string): Promise<UrlReaderServiceReadUrlResponse> {
    throw refuse(url);
  }
  async readTree(url: string): Promise<never> {
    throw refuse(url);
  }
  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    throw refuse(url);
  }
}

function refuse(url: string): Error {
  return new NotAllowedError(
    `Reading from '${url}' is not allowed. You may need to configure an integration for the target host, or add it to the configured list of allowed hosts at 'backend.reading.allow'`,
  );
}

const logger = MockLoggerService.create();
const authorization = mockCredentials.user.header('user:default/jane');
let dir: string;
let backend: Awaited<ReturnType<typeof startTestBackend>>;

function write(relative: string, content: string): void {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

async function get(url: string) {
  return request(backend.server)
    .get(`/api/catalog${url}`)
    .set('authorization', authorization);
}

async function eventually(ref: string): Promise<Entity> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await get(`/entities/by-name/${ref}`);
    if (res.status === 200) {
      return res.body as Entity;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for '${ref}': ${res.status}`);
    }
    await new Promise(done => setTimeout(done, 50));
  }
}

beforeAll(async () => {
  dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-files-')),
  );
  write(
    'catalog/all.yaml',
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Location',
      'metadata: { name: all }',
      'spec:',
      '  targets: [./teams/*.yaml, ./cart.yaml]',
    ].join('\n'),
  );
  write(
    'catalog/teams/team-a.yaml',
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: team-a }\nspec: { type: team, children: [] }\n',
  );
  write(
    'catalog/cart.yaml',
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: API',
      'metadata: { name: cart }',
      'spec:',
      '  { type: openapi, lifecycle: production, owner: team-a, definition: { $text: ./cart.txt } }',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: API',
      'metadata: { name: leaky }',
      'spec:',
      '  { type: openapi, lifecycle: production, owner: team-a, definition: { $text: ./.env } }',
    ].join('\n'),
  );
  write('catalog/cart.txt', 'Keeps what you buy');
  write('catalog/.env', 'TOKEN=secret');
  write(
    'catalog/registered.yaml',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: registered }\nspec: { type: service, lifecycle: production, owner: team-a }\n',
  );
  backend = await startTestBackend({
    features: [
      catalogPlugin,
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => new BackstageLikeUrlReader(),
      }),
      mockServices.rootLogger.factory({ logger }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Component', 'API', 'Group', 'Location'] }],
            allowedLocationTypes: ['url', 'file'],
            locations: [
              { type: 'file', target: path.join(dir, 'catalog', 'all.yaml') },
            ],
          },
        },
      }),
    ],
  });
}, 90_000);

afterAll(async () => {
  await backend?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('catalogPlugin', () => {
  it('reads file locations from config, their file targets, globs and placeholders from disk when the URL reader refuses file: URLs', async () => {
    const cart = await eventually('api/default/cart');
    expect(cart.spec?.definition).toBe('Keeps what you buy');
    await expect(eventually('group/default/team-a')).resolves.toMatchObject({
      metadata: { name: 'team-a' },
    });
  }, 90_000);

  it('keeps the rules of file roots on disk: a placeholder may not read a dotfile', async () => {
    await eventually('api/default/cart');
    const envUrl = pathToFileURL(path.join(dir, 'catalog', '.env')).href;
    const refusal = `Cannot read '${envUrl}': config file locations read only files below 'backend.reading.fileRoots' (by default the folders of the file entries of 'catalog.locations'), never hidden files or folders nor 'app-config*' files, as written or through a link.`;
    const deadline = Date.now() + 60_000;
    while (!logger.messages('warn').includes(refusal)) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for the refusal of '${envUrl}'`);
      }
      await new Promise(done => setTimeout(done, 50));
    }
    expect(
      logger
        .messages('warn')
        .some(message =>
          message.startsWith(
            "Processing of entity 'api:default/leaky' reported an error: NotAllowedError",
          ),
        ),
    ).toBe(true);
    expect((await get('/entities/by-name/api/default/leaky')).status).toBe(404);
    expect(JSON.stringify((await get('/entities')).body)).not.toContain(
      'TOKEN=secret',
    );
  }, 90_000);

  it('never reads a file location registered through the API from disk', async () => {
    const target = path.join(dir, 'catalog', 'registered.yaml');
    const res = await request(backend.server)
      .post('/api/catalog/locations?dryRun=true')
      .set('authorization', authorization)
      .send({ type: 'file', target });
    expect(res.body.entities ?? []).toEqual([]);
    expect(JSON.stringify(res.body)).toContain(
      `Reading from '${pathToFileURL(target).href}' is not allowed.`,
    );
  }, 90_000);
});
