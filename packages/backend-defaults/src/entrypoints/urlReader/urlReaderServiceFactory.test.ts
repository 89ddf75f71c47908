import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type UrlReaderService,
} from '@plinth/backend-plugin-api';
import {
  MockLoggerService,
  mockServices,
  startTestBackend,
} from '@plinth/backend-test-utils';
import {
  urlReaderFactoriesServiceRef,
  urlReaderServiceFactory,
} from './urlReaderServiceFactory';

let tmp: string;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'url-factory-')));
  fs.writeFileSync(path.join(tmp, 'a.yaml'), 'kind: Component\n');
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A plugin that hands its url reader to the test once initialised. */
function capturingPlugin(pluginId: string) {
  let captured: UrlReaderService | undefined;
  const plugin = createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { urlReader: coreServices.urlReader },
        async init({ urlReader }) {
          captured = urlReader;
        },
      });
    },
  });
  return { plugin, reader: () => captured! };
}

const config = () =>
  mockServices.rootConfig.factory({
    data: { backend: { reading: { fileRoots: [tmp] } } },
  });

describe('urlReaderServiceFactory', () => {
  it('gives plugins a reader built from backend.reading', async () => {
    const catalog = capturingPlugin('catalog');
    await startTestBackend({
      features: [urlReaderServiceFactory, config(), catalog.plugin],
    });
    const response = await catalog
      .reader()
      .readUrl(pathToFileURL(path.join(tmp, 'a.yaml')).href);
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
  });

  it('logs refused reads to the root logger', async () => {
    const catalog = capturingPlugin('catalog');
    const logger = MockLoggerService.create();
    await startTestBackend({
      features: [
        urlReaderServiceFactory,
        config(),
        mockServices.rootLogger.factory({ logger }),
        catalog.plugin,
      ],
    });
    const file = path.join(tmp, '.env');
    await expect(
      catalog.reader().readUrl(pathToFileURL(file).href),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: { service: 'urlReader' },
        meta: { path: file, fileRoots: [tmp] },
      }),
    );
  });

  it('adds the readers that modules provide', async () => {
    const catalog = capturingPlugin('catalog');
    const other = capturingPlugin('other');
    const gitReaders = createServiceFactory({
      service: urlReaderFactoriesServiceRef,
      deps: {},
      factory: () => () => [
        {
          predicate: (url: URL) => url.protocol === 'git:',
          reader: {
            readUrl: async () => ({ buffer: async () => Buffer.from('git') }),
            readTree: async () => {
              throw new Error('not used');
            },
            search: async () => ({ files: [], etag: '' }),
          },
        },
      ],
    });
    await startTestBackend({
      features: [
        urlReaderServiceFactory,
        gitReaders,
        config(),
        catalog.plugin,
        other.plugin,
      ],
    });
    for (const reader of [catalog.reader(), other.reader()]) {
      const response = await reader.readUrl('git://example.com/a');
      expect((await response.buffer()).toString()).toBe('git');
    }
  });

  it('fails to start when backend.reading is invalid', async () => {
    const catalog = capturingPlugin('catalog');
    await expect(
      startTestBackend({
        features: [
          urlReaderServiceFactory,
          mockServices.rootConfig.factory({
            data: { backend: { reading: { maxSize: 'huge' } } },
          }),
          catalog.plugin,
        ],
      }),
    ).rejects.toThrow(
      `Invalid config at 'backend.reading.maxSize' (mock-config): expected a whole number of bytes or a size such as '1mb' (units b, kb, mb, gb), got "huge".`,
    );
  });
});
